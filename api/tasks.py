"""Tasks: the web's rules through the web's forms and services, as JSON."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from api import versions
from api.common import Resource, checked, created, idempotency_key
from api.filters import TaskFilters
from api.forms import form_data, valid
from api.pagination import Cursor
from api.serializers import (
    CommentSerializer,
    QuickAddResultSerializer,
    QuickAddSerializer,
    ReminderSerializer,
    ReminderWriteSerializer,
    TaskSerializer,
    TaskWriteSerializer,
)
from reminders import schedule
from reminders.forms import ReminderForm
from reminders.models import Reminder
from todos import access, comments, services
from todos.forms import CommentForm, TaskForm
from todos.models import Project, Tag, Task

IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description='The ETag you read ("3"); or send the `version` field.',
)
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any new value per object: a retried request with it returns the first result.",
)
# The API's names for the task form's fields that are named otherwise.
FORM_NAMES = {
    "repeat_text": "recurrence",
    "repeat": "recurrence",
    "repeat_mode": "recurrence_mode",
}
# What PUT gives the fields it does not send: the values of a new task.
PUT_DEFAULTS = {
    "notes": "",
    "due_date": None,
    "due_time": None,
    "priority": 4,
    "tags": [],
    "assignee": None,
    "recurrence": "",
}


def shown(user, tasks=None):
    """Return the tasks the person sees (or these of them), read as the API shows them: with
    their own tags and reminders."""
    return (
        (Task.objects.for_user(user) if tasks is None else tasks)
        .select_related("assignee")
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.filter(owner=user), to_attr="own_tags"),
            Prefetch(
                "reminders",
                queryset=Reminder.objects.filter(owner=user).order_by("remind_at", "pk"),
                to_attr="own_reminders",
            ),
        )
    )


def form_values(values: dict) -> dict:
    """Turn the API's fields into the task form's."""
    data = {
        k: v
        for k, v in values.items()
        if k not in {"recurrence", "recurrence_mode", "assignee", "parent"}
    }
    if "recurrence" in values:
        rule = values["recurrence"]
        data.update(repeat="custom" if rule else "", repeat_text=rule)
    if "recurrence_mode" in values:
        data["repeat_mode"] = values["recurrence_mode"]
    if "assignee" in values:
        name = values["assignee"]
        person = get_user_model().objects.filter(username__iexact=name).first() if name else None
        # An unknown name is no member: the form says so in its own words.
        data["assignee"] = person.pk if person else ("" if not name else 0)
    return data


def task_form(user, values: dict, *, task: Task | None = None, parent: Task | None = None):
    """Return the web's task form holding these values, ready to validate."""
    if task is None:
        instance = Task(parent=parent, project=parent.project) if parent else None
        form = TaskForm(user=user, instance=instance)
        changes = {"project": services.ensure_inbox(user).pk} if parent is None else {}
    else:
        form = TaskForm(user=user, instance=task)
        # A member's own tags: the others' on a shared task are theirs alone.
        changes = {"tags": [tag.pk for tag in task.own_tags]}
    changes |= form_values(values)
    data = form_data(form, changes)
    bound = TaskForm(data, user=user, instance=task or form.instance)
    if "assignee" in values and values["assignee"] and "assignee" not in bound.fields:
        raise serializers.ValidationError(
            {"assignee": ["Only a task in a shared project can be given to someone."]}
        )
    return valid(bound, FORM_NAMES)


@extend_schema_view(
    list=extend_schema(summary="List tasks", parameters=[TaskFilters]),
    retrieve=extend_schema(summary="Read a task"),
    destroy=extend_schema(summary="Move a task (and its sub-tasks) to the trash"),
)
class TaskViewSet(Resource):
    serializer_class = TaskSerializer

    def get_queryset(self):
        return shown(self.request.user)

    def list(self, request, *args, **kwargs):
        filters = TaskFilters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        self.ordering = filters.ordering()
        return self.page_of(filters.filter(self.get_queryset(), request.user))

    def _editable(self) -> Task:
        task = self.get_object()
        access.require_editor(self.request.user, task)
        return task

    @extend_schema(
        summary="Add a task",
        request=TaskWriteSerializer,
        responses={
            201: TaskSerializer,
            404: OpenApiResponse(description="No such parent task among yours."),
        },
        parameters=[IDEMPOTENCY],
    )
    def create(self, request, *args, **kwargs):
        values = checked(TaskWriteSerializer, request.data)
        key = idempotency_key(request)
        if existing := services.submitted_task(request.user, key):
            return created(
                self.get_serializer(shown(request.user).get(pk=existing.pk)).data,
                existing,
                replayed=True,
            )
        parent = None
        if "parent" in values:
            parent = get_object_or_404(Task.objects.for_user(request.user), pk=values["parent"])
            access.require_editor(request.user, parent)
        form = task_form(request.user, values, parent=parent)
        task = services.create_task(
            owner=request.user,
            tags=form.cleaned_data["tags"],
            idempotency_key=key,
            parent=parent,
            **{"project": parent.project if parent else None, **form.task_fields()},
        )
        task = shown(request.user).get(pk=task.pk)
        return created(self.get_serializer(task).data, task)

    def _update(self, request, values: dict) -> Response:
        task = self._editable()
        expected = versions.expected(request)
        form = task_form(request.user, values, task=task)
        try:
            services.update_task(
                task,
                expected_version=expected,
                tags=form.cleaned_data["tags"],
                by=request.user,
                **form.task_fields(),
            )
        except services.StaleEditError:
            raise versions.refuse_stale(task, request.user) from None
        return self.shown(task)

    @extend_schema(
        summary="Change some of a task's fields",
        request=TaskWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: TaskSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        values = checked(TaskWriteSerializer, request.data, partial=True)
        values.pop("parent", None)
        return self._update(request, values)

    @extend_schema(
        summary="Replace a task's fields (those left out get a new task's values)",
        request=TaskWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: TaskSerializer},
    )
    def update(self, request, *args, **kwargs):
        values = checked(TaskWriteSerializer, request.data)
        values.pop("parent", None)
        return self._update(request, PUT_DEFAULTS | values)

    def destroy(self, request, *args, **kwargs):
        task = self._editable()
        services.trash(task, now=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _set_completed(self, request, completed: bool) -> Response:
        task = self._editable()
        expected = versions.expected(request, required=False)
        if expected is not None and expected != task.version:
            raise versions.refuse_stale(task, request.user)
        services.set_completed(task, completed, now=timezone.now(), by=request.user)
        return self.shown(task)

    @extend_schema(
        summary="Complete a task (a repeating one moves on to its next date)",
        request=None,
        parameters=[IF_MATCH],
        responses={200: TaskSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._set_completed(request, True)

    @extend_schema(
        summary="Reopen a completed task",
        request=None,
        parameters=[IF_MATCH],
        responses={200: TaskSerializer},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._set_completed(request, False)

    @extend_schema(
        summary="Add a task from one line, as quick add reads it",
        request=QuickAddSerializer,
        responses={
            201: QuickAddResultSerializer,
            404: OpenApiResponse(description="No such project or parent task among yours."),
        },
        parameters=[IDEMPOTENCY],
    )
    @action(detail=False, methods=["post"], url_path="quick-add")
    def quick_add(self, request):
        values = checked(QuickAddSerializer, request.data)
        user = request.user
        project = parent = None
        if "project" in values:
            project = get_object_or_404(Project.objects.for_user(user), pk=values["project"])
            access.require_editor(user, project)
        if "parent" in values:
            parent = get_object_or_404(Task.objects.for_user(user), pk=values["parent"])
            access.require_editor(user, parent)
        key = idempotency_key(request)
        replayed = services.submitted_task(user, key) is not None
        outcome = services.quick_add(
            user=user,
            text=values["text"],
            now=timezone.now(),
            project=project,
            parent=parent,
            idempotency_key=key,
        )
        if outcome.errors:
            raise serializers.ValidationError({"text": list(outcome.errors)})
        task = shown(user).get(pk=outcome.task.pk)
        parsed = outcome.parsed
        understood = {
            "title": parsed.title,
            "due_date": parsed.due_date,
            "due_time": parsed.due_time,
            "priority": parsed.priority,
            "project": parsed.project,
            "tags": list(parsed.tags),
            "assignee": parsed.assignee,
            "recurrence": parsed.repeat.rule if parsed.repeat else None,
        }
        data = QuickAddResultSerializer(
            {"task": task, "understood": understood, "notices": list(outcome.notices)},
            context=self.get_serializer_context(),
        ).data
        return created(data, task, replayed=replayed)

    @extend_schema(
        summary="Remind yourself of a task",
        request=ReminderWriteSerializer,
        responses={201: ReminderSerializer},
    )
    @action(detail=True, methods=["post"])
    def reminders(self, request, pk=None):
        task = self._editable()
        values = checked(ReminderWriteSerializer, request.data)
        form = valid(ReminderForm(values, task=task))
        reminder = schedule.add(task, owner=request.user, **form.reminder_fields())
        return Response(ReminderSerializer(reminder).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["get"],
        summary="List a task's comments, oldest first",
        responses={200: CommentSerializer(many=True)},
    )
    @extend_schema(
        methods=["post"],
        summary="Comment on a task (any member may, viewers too)",
        request=CommentSerializer,
        responses={201: CommentSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=Cursor)
    def comments(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            self.ordering = ("id",)
            page = self.paginate_queryset(task.comments.select_related("author").order_by("id"))
            return self.get_paginated_response(CommentSerializer(page, many=True).data)
        values = checked(CommentSerializer, request.data)
        form = valid(CommentForm(values))
        comment = comments.add(task, request.user, form.cleaned_data["body"])
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
