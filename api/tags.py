"""Tags: each person's own, never another member's."""

from django.db import IntegrityError, transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from api.common import Resource, checked, refuse
from api.forms import valid
from api.serializers import TagSerializer
from todos import services
from todos.forms import TagForm
from todos.models import Colour, Tag


@extend_schema_view(
    list=extend_schema(summary="List your tags"),
    retrieve=extend_schema(summary="Read a tag"),
    create=extend_schema(summary="Add a tag"),
    partial_update=extend_schema(summary="Rename or recolour a tag"),
    update=extend_schema(summary="Rename and recolour a tag"),
    destroy=extend_schema(summary="Delete a tag (its tasks stay, without it)"),
)
class TagViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, Resource):
    serializer_class = TagSerializer

    def get_queryset(self):
        return Tag.objects.for_user(self.request.user)

    def _form(self, values: dict) -> TagForm:
        return valid(TagForm({"colour": Colour.GREY, **values}))

    def create(self, request, *args, **kwargs):
        form = self._form(checked(TagSerializer, request.data))
        name, colour = form.cleaned_data["name"], form.cleaned_data["colour"]
        taken = f"You already have a tag called “{name}”."
        if services.tag_named(request.user, name):
            refuse("name", taken)
        try:
            with transaction.atomic():
                tag = Tag.objects.create(owner=request.user, name=name, colour=colour)
        except IntegrityError:  # made meanwhile by another request
            refuse("name", taken)
        return Response(TagSerializer(tag).data, status=status.HTTP_201_CREATED)

    def _update(self, request, values: dict) -> Response:
        tag = self.get_object()
        form = self._form({"name": tag.name, "colour": tag.colour, **values})
        try:
            tag = services.update_tag(tag, **form.cleaned_data | {"merge": False})
        except services.TagNameTaken as taken:
            refuse("name", f"You already have a tag called “{taken.tag.name}”.")
        return Response(TagSerializer(tag).data)

    def partial_update(self, request, *args, **kwargs):
        return self._update(request, checked(TagSerializer, request.data, partial=True))

    def update(self, request, *args, **kwargs):
        return self._update(request, checked(TagSerializer, request.data))

    def perform_destroy(self, tag):
        services.delete_tag(tag)
