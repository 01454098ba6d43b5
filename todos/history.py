"""Every change to a task or project, recorded by django-simple-history.

Saving a model records itself (the library's signals). Most of Ticklist's writes
are conditional queryset updates, which send no signal: `OwnedQuerySet.update`
records the rows it changed here, after it changed them, so a write from a page,
the admin, a command or the worker is recorded the same way, with the signed-in
person (simple_history's middleware) as its author.
"""

from itertools import batched

from django.db import models
from simple_history.models import HistoricalRecords

BATCH = 500


def is_recorded(model) -> bool:
    return hasattr(model, "history") and hasattr(model.history, "bulk_history_create")


def record_changed(model, pks: list[int]) -> None:
    """Record the rows with these ids as they are now, as changes."""
    for chunk in batched(pks, BATCH, strict=False):
        model.history.bulk_history_create(model._base_manager.filter(pk__in=chunk), update=True)


def forget_project(project_id: int) -> None:
    """Delete the history of a project, its tasks, their comments and its members."""
    from todos.models import Comment, Membership, Project, Task

    task_ids = Task.history.filter(project_id=project_id).values("id")
    Comment.history.filter(task_id__in=task_ids).delete()
    Task.history.filter(project_id=project_id).delete()
    Membership.history.filter(project_id=project_id).delete()
    Project.history.filter(id=project_id).delete()


def forget_author(user) -> None:
    """Stop naming this person as the author of what this request records: they are going.

    Deleting an account records the deletion of its memberships and tasks; those
    rows must not point at the account being deleted.
    """
    context = HistoricalRecords.context
    request = getattr(context, "request", None)
    if getattr(getattr(request, "user", None), "pk", None) == user.pk:
        context.request = None


def recorded_update(queryset: models.QuerySet, kwargs: dict, update) -> int:
    """Run `update` (the queryset's own) and record the rows it changed."""
    if not is_recorded(queryset.model):
        return update(**kwargs)
    pks = list(queryset.order_by().values_list("pk", flat=True))
    if not pks:
        return 0
    count = update(**kwargs)
    record_changed(queryset.model, pks)
    return count


FORMER_MEMBER = "A former member"


def name_of(user) -> str:
    """Return how history names a person: their display name or username."""
    if user is None:
        return FORMER_MEMBER
    return user.display_name or user.username


def last_changed_by(obj):
    """Return who made the latest recorded change to a task or project (None if unknown)."""
    record = (
        obj.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    )
    return record.history_user if record else None
