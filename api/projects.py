"""Projects, shared ones included: their owner changes them, members read and order them."""

from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from api import versions
from api.common import Resource, checked, created, refuse
from api.filters import ProjectFilters
from api.forms import form_data, valid
from api.serializers import (
    MemberSerializer,
    ProjectSerializer,
    ProjectWriteSerializer,
    ReorderSerializer,
)
from api.tasks import IF_MATCH
from todos import access, services, sharing
from todos.forms import ProjectForm
from todos.models import Membership, Project, Task

FLAGS = {"is_archived": services.set_archived, "is_favourite": services.set_favourite}


def shown(user):
    """Return the person's projects with what the API says of each: their role, and if shared."""
    mine = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
    return (
        Project.objects.for_user(user)
        .select_related("owner")
        .annotate(my_role=Subquery(mine), member_count=Count("memberships"))
    )


@extend_schema_view(
    list=extend_schema(
        summary="List your projects and those shared with you", parameters=[ProjectFilters]
    ),
    retrieve=extend_schema(summary="Read a project"),
    destroy=extend_schema(
        summary="Delete a project and its tasks (its owner only)",
        responses={204: None, 400: OpenApiResponse(description="The Inbox cannot be deleted.")},
    ),
)
class ProjectViewSet(Resource):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        return shown(self.request.user)

    def list(self, request, *args, **kwargs):
        filters = checked(ProjectFilters, request.query_params)
        projects = self.get_queryset()
        if filters.get("archived") is not None:
            projects = projects.filter(is_archived=filters["archived"])
        if "updated_since" in filters:
            projects = projects.filter(updated_at__gte=filters["updated_since"])
        return self.page_of(projects)

    @extend_schema(
        summary="Add a project", request=ProjectWriteSerializer, responses={201: ProjectSerializer}
    )
    def create(self, request, *args, **kwargs):
        values = checked(ProjectWriteSerializer, request.data)
        form = valid(
            ProjectForm(form_data(ProjectForm(user=request.user), values), user=request.user)
        )
        project = services.create_project(owner=request.user, **form.cleaned_data)
        for flag, setter in FLAGS.items():
            if values.get(flag):
                setter(project, True)
        project = self.get_queryset().get(pk=project.pk)
        return created(self.get_serializer(project).data, project)

    def _update(self, request, values: dict) -> Response:
        project = self.get_object()
        access.require_owner(request.user, project)
        expected = versions.expected(request)
        if project.is_inbox and "name" in values and values["name"] != project.name:
            refuse("name", "The Inbox keeps its name.")
        form = valid(
            ProjectForm(
                form_data(
                    ProjectForm(user=request.user, instance=project),
                    {k: v for k, v in values.items() if k in ("name", "colour")}
                    | {"version": expected},
                ),
                user=request.user,
                instance=project,
            )
        )
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update_project(project, expected_version=expected, **fields)
        except services.StaleEditError:
            raise versions.refuse_stale(project, request.user) from None
        for flag, setter in FLAGS.items():
            if flag in values:
                setter(project, values[flag])
        return self.shown(project)

    @extend_schema(
        summary="Change a project (its owner only)",
        request=ProjectWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: ProjectSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        return self._update(request, checked(ProjectWriteSerializer, request.data, partial=True))

    @extend_schema(
        summary="Replace a project's fields (its owner only)",
        request=ProjectWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: ProjectSerializer},
    )
    def update(self, request, *args, **kwargs):
        values = {"is_archived": False, "is_favourite": False}
        return self._update(request, values | checked(ProjectWriteSerializer, request.data))

    def destroy(self, request, *args, **kwargs):
        project = self.get_object()
        access.require_owner(request.user, project)
        if project.is_inbox:
            refuse("project", "The Inbox cannot be deleted.")
        services.delete_project(project, now=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="List the project's people", responses={200: MemberSerializer(many=True)}
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def members(self, request, pk=None):
        project = self.get_object()
        people = [
            {"username": p.username, "name": p.name, "role": p.role}
            for p in sharing.people_in(project)
        ]
        return Response(MemberSerializer(people, many=True).data)

    @extend_schema(
        summary="Put the project's tasks (or one task's sub-tasks) in this order",
        request=ReorderSerializer,
        responses={204: None},
    )
    @action(detail=True, methods=["post"])
    def reorder(self, request, pk=None):
        project = self.get_object()
        access.require_editor(request.user, project)
        values = checked(ReorderSerializer, request.data)
        parent = None
        if values.get("parent"):
            parent = get_object_or_404(
                Task.objects.for_user(request.user).filter(project=project), pk=values["parent"]
            )
        services.reorder(project, values["tasks"], parent=parent)
        return Response(status=status.HTTP_204_NO_CONTENT)
