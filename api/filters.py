"""The query parameters of the lists, checked like any other input (a 400, never a 500)."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import DateField, Value
from django.db.models.functions import Coalesce
from rest_framework import serializers

from api.serializers import ID_MAX

# What `sort` may name, and the columns it stands for; ties are broken by id.
TASK_SORTS = {
    "id": "id",
    "created": "created_at",
    "updated": "updated_at",
    # Tasks without a date come last, as on the pages.
    "due": "due_key",
    "priority": "priority",
    "position": "position",
}
NEVER = Value(date(9999, 12, 31), output_field=DateField())


def sort_choices(sorts: dict) -> list[str]:
    return [sign + name for name in sorts for sign in ("", "-")]


class TaskFilters(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=ID_MAX, required=False)
    tag = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="One of your tags."
    )
    parent = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="Its sub-tasks."
    )
    completed = serializers.BooleanField(required=False, allow_null=True, default=None)
    due_before = serializers.DateField(required=False, help_text="Due on or before this day.")
    due_after = serializers.DateField(required=False, help_text="Due on or after this day.")
    assigned = serializers.CharField(
        max_length=150, required=False, help_text="`me`, `nobody`, or a member's username."
    )
    updated_since = serializers.DateTimeField(
        required=False, help_text="Changed at or after this moment (with /tombstones/ to sync)."
    )
    sort = serializers.ChoiceField(choices=sort_choices(TASK_SORTS), default="id")

    def filter(self, tasks, user):
        """Return the tasks these (valid) parameters ask for, in their order."""
        wanted = self.validated_data
        if "project" in wanted:
            tasks = tasks.filter(project_id=wanted["project"])
        if "tag" in wanted:
            tasks = tasks.filter(tags=wanted["tag"], tags__owner=user)
        if "parent" in wanted:
            tasks = tasks.filter(parent_id=wanted["parent"])
        if wanted.get("completed") is not None:
            tasks = tasks.filter(completed_at__isnull=not wanted["completed"])
        if "due_before" in wanted:
            tasks = tasks.filter(due_date__lte=wanted["due_before"])
        if "due_after" in wanted:
            tasks = tasks.filter(due_date__gte=wanted["due_after"])
        if "assigned" in wanted:
            tasks = tasks.filter(**assigned_to(wanted["assigned"], user))
        if "updated_since" in wanted:
            tasks = tasks.filter(updated_at__gte=wanted["updated_since"])
        if wanted["sort"].lstrip("-") == "due":
            tasks = tasks.annotate(due_key=Coalesce("due_date", NEVER))
        return tasks

    def ordering(self) -> tuple[str, ...]:
        sort = self.validated_data["sort"]
        sign = "-" if sort.startswith("-") else ""
        column = TASK_SORTS[sort.lstrip("-")]
        return (sign + column,) if column == "id" else (sign + column, sign + "id")


def assigned_to(who: str, user) -> dict:
    if who == "me":
        return {"assignee": user}
    if who == "nobody":
        return {"assignee__isnull": True}
    person = get_user_model().objects.filter(username__iexact=who).values("pk")
    return {"assignee__in": person}


class ProjectFilters(serializers.Serializer):
    archived = serializers.BooleanField(required=False, allow_null=True, default=None)
    updated_since = serializers.DateTimeField(required=False)


class SinceFilter(serializers.Serializer):
    since = serializers.DateTimeField(help_text="What was deleted at or after this moment.")
