"""The trash, and what is gone: with `updated_since`, a client syncs only what changed."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from api.common import ID, checked
from api.filters import SinceFilter
from api.pagination import Cursor
from api.serializers import TaskSerializer, TombstoneSerializer
from api.tasks import shown
from todos import services
from todos.models import Comment, Task, Tombstone
from todos.querysets import shared_project_ids

# One answer holds at most this many; a client asks again from the last one's moment.
TOMBSTONES_PAGE = 1000


class TrashViewSet(viewsets.GenericViewSet):
    """Tasks in the trash: restore them, or delete them for good."""

    serializer_class = TaskSerializer
    pagination_class = Cursor
    lookup_value_regex = ID
    ordering = ("-deleted_at", "-id")

    def get_queryset(self):
        return Task.objects.trash_for(self.request.user)

    @extend_schema(summary="List the tasks in your trash, last deleted first")
    def list(self, request):
        page = self.paginate_queryset(shown(request.user, self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Take a task out of the trash", request=None, responses={200: TaskSerializer}
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        task = self.get_object()
        services.restore(task)
        task = shown(request.user).get(pk=task.pk)
        return Response(self.get_serializer(task).data)

    @extend_schema(summary="Delete a task in the trash for good", responses={204: None})
    def destroy(self, request, pk=None):
        services.purge(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class TombstonesView(APIView):
    """What went from your lists since a moment: tasks trashed or deleted, comments,
    projects and tags deleted."""

    @extend_schema(
        summary="List what was deleted since a moment, oldest first",
        parameters=[SinceFilter],
        responses={200: TombstoneSerializer(many=True)},
    )
    def get(self, request):
        since = checked(SinceFilter, request.query_params)["since"]
        user = request.user
        gone = [
            *tombstones(
                Task.objects.owned_by(user).filter(deleted_at__gte=since),
                "task",
                "deleted_at",
                "trashed",
            ),
            *tombstones(_deleted(Task.history, user, since), "task", "history_date"),
            *tombstones(
                Comment.history.filter(
                    history_type="-",
                    history_date__gte=since,
                    task_id__in=Task.objects.owned_by(user).values("pk"),
                ),
                "comment",
                "history_date",
            ),
            *(
                {"type": kind, "id": pk, "deleted_at": at, "reason": "deleted"}
                for kind, pk, at in Tombstone.objects.filter(user=user, deleted_at__gte=since)
                .order_by("deleted_at")
                .values_list("kind", "object_id", "deleted_at")[:TOMBSTONES_PAGE]
            ),
        ]
        gone.sort(key=lambda t: t["deleted_at"])
        return Response(TombstoneSerializer(gone[:TOMBSTONES_PAGE], many=True).data)


def _deleted(history, user, since):
    """Tasks deleted for good that the person could see: theirs, or of a project shared with them."""
    visible = Q(owner_id=user.pk) | Q(project_id__in=shared_project_ids(user))
    return history.filter(visible, history_type="-", history_date__gte=since)


def tombstones(queryset, kind: str, moment: str, reason: str = "deleted"):
    rows = queryset.order_by(moment).values_list("id", moment)[:TOMBSTONES_PAGE]
    return ({"type": kind, "id": pk, "deleted_at": at, "reason": reason} for pk, at in rows)
