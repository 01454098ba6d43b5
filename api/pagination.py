"""Cursor pages: stable while tasks are added, and as cheap on the last page as on the first."""

from django.core.exceptions import ValidationError as InvalidValue
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "id"
    invalid_cursor_message = "That cursor is not one this list gave: start again without it."

    def get_ordering(self, request, queryset, view):
        # The view reads `sort` with its other filters and says what it stands for.
        return getattr(view, "ordering", None) or (self.ordering,)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise self.refused() from None

    def paginate_queryset(self, queryset, request, view=None):
        # A cursor is ours only if it decodes: a hand-made one may hold any position.
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, TypeError, OverflowError, InvalidValue):
            raise self.refused() from None

    def refused(self) -> exceptions.ValidationError:
        return exceptions.ValidationError({"cursor": [self.invalid_cursor_message]})
