"""Comments and reminders, reached by their own ids once made on a task."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from api.common import Resource, checked
from api.forms import valid
from api.serializers import CommentSerializer, ReminderSerializer
from reminders import schedule
from reminders.models import Reminder
from todos import comments
from todos.forms import CommentForm
from todos.models import Comment, Task


@extend_schema_view(
    retrieve=extend_schema(summary="Read a comment"),
    partial_update=extend_schema(summary="Change your comment (in its first 15 minutes)"),
    update=extend_schema(summary="Change your comment (in its first 15 minutes)"),
    destroy=extend_schema(summary="Delete your comment (or any, as the project's owner)"),
)
class CommentViewSet(Resource):
    serializer_class = CommentSerializer
    http_method_names = ["get", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        tasks = Task.objects.for_user(self.request.user)
        return Comment.objects.filter(task__in=tasks).select_related("author", "task")

    def _edit(self, request, partial: bool) -> Response:
        comment = self.get_object()
        values = checked(CommentSerializer, request.data, partial=partial)
        comments.require_edit(comment, request.user, timezone.now())
        if "body" in values:
            form = valid(CommentForm(values))
            comments.edit(comment, request.user, form.cleaned_data["body"])
        return Response(CommentSerializer(comment).data)

    def partial_update(self, request, *args, **kwargs):
        return self._edit(request, partial=True)

    def update(self, request, *args, **kwargs):
        return self._edit(request, partial=False)

    def destroy(self, request, *args, **kwargs):
        comments.delete(self.get_object(), request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    retrieve=extend_schema(summary="Read one of your reminders"),
    destroy=extend_schema(summary="Remove one of your reminders"),
)
class ReminderViewSet(Resource):
    serializer_class = ReminderSerializer
    http_method_names = ["get", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        return Reminder.objects.filter(owner=user, task__in=Task.objects.for_user(user))

    def destroy(self, request, *args, **kwargs):
        schedule.remove(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
