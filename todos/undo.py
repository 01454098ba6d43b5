"""Undo: what a change did to some tasks, recorded so that it can be taken back once.

A record keeps, for each task the change touched, the fields that say where and
in what state it was (project, parent, position, completed, in the trash) and the
version the change left it at. Undoing restores only the tasks still at that
version: whatever someone did to a task since (in another tab, on another
device) stays done.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from reminders import schedule
from todos.models import Completion, Project, Task, UndoRecord
from todos.ordering import lock_order_of

# The fields an undoable change may alter, and so the ones undo puts back: a
# repeating task's completed occurrence moves its due date and may use up a COUNT.
PLACE = (
    "project_id",
    "parent_id",
    "position",
    "completed_at",
    "deleted_at",
    "due_date",
    "recurrence",
)
# The completion records made inside the `recording` block now running.
_completions: ContextVar[list | None] = ContextVar("completions", default=None)
# How long an Undo button keeps working; older records are dropped as new ones come.
KEPT_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Undone:
    restored: int
    skipped: int


def _places(ids) -> dict[int, dict]:
    """Return the place fields of these tasks and of their sub-tasks, by id."""
    tasks = Task.objects.filter(Q(pk__in=ids) | Q(parent__in=ids))
    return {row["pk"]: row for row in tasks.values("pk", "version", *PLACE)}


def _encode(value):
    return value.isoformat() if isinstance(value, date) else value


def remember_completion(completion: Completion) -> None:
    """Note that the change being recorded left this completion, so undo removes it."""
    made = _completions.get()
    if made is not None:
        made.append(completion)


@contextmanager
def recording(owner_id: int, label: str, ids) -> Iterator[list]:
    """Record what the block does to these tasks (and their sub-tasks) as one undoable change.

    Yields a list that holds the UndoRecord afterwards, or nothing when the block
    changed none of the tasks.
    """
    ids = list(ids)
    result: list[UndoRecord] = []
    made: list[Completion] = []
    token = _completions.set(made)
    with transaction.atomic():
        before = _places(ids)
        try:
            yield result
        finally:
            _completions.reset(token)
        after = _places(before)
        completion_of = {completion.task_id: completion.pk for completion in made}
        changes = [
            {
                "pk": pk,
                "version": after[pk]["version"],
                **{f: _encode(old[f]) for f in PLACE},
                **({"completion": completion_of[pk]} if pk in completion_of else {}),
            }
            for pk, old in before.items()
            if pk in after and any(after[pk][f] != old[f] for f in PLACE)
        ]
        if changes:
            UndoRecord.objects.filter(
                owner_id=owner_id, created_at__lt=timezone.now() - KEPT_FOR
            ).delete()
            result.append(
                UndoRecord.objects.create(owner_id=owner_id, label=label[:600], changes=changes)
            )


def _make_room(project_id: int, parent_id: int | None, position: int, pk: int) -> None:
    """Move siblings on or after `position` one down, if another task took that place."""
    siblings = Task.objects.filter(project_id=project_id, parent_id=parent_id).exclude(pk=pk)
    if siblings.filter(position=position).exists():
        siblings.filter(position__gte=position).update(position=F("position") + 1)


@transaction.atomic
def undo(record: UndoRecord) -> Undone:
    """Put every task the change touched back where it was, unless it has changed since."""
    if record.undone_at is not None:
        return Undone(0, 0)
    projects = {change["project_id"] for change in record.changes}
    # Only what the person may still change, put back only into projects they still may.
    current = Task.objects.editable_by(record.owner).filter(
        pk__in=[change["pk"] for change in record.changes]
    )
    versions = dict(current.values_list("pk", "version"))
    projects |= set(current.values_list("project_id", flat=True))
    owners = dict(
        Project.objects.editable_by(record.owner)
        .filter(pk__in=projects)
        .values_list("pk", "owner_id")
    )
    lock_order_of(*projects)
    restored = 0
    # Parents first, so a sub-task returns under a parent that is back in place.
    for change in sorted(record.changes, key=lambda change: change["parent_id"] is not None):
        if versions.get(change["pk"]) != change["version"] or change["project_id"] not in owners:
            continue
        _make_room(change["project_id"], change["parent_id"], change["position"], change["pk"])
        # Records made before due dates and rules were kept hold neither: leave them.
        repeat = {}
        if "due_date" in change:
            repeat["due_date"] = parse_date(change["due_date"] or "")
        if "recurrence" in change:
            repeat["recurrence"] = change["recurrence"]
        Task.objects.filter(pk=change["pk"]).update(
            project_id=change["project_id"],
            owner_id=owners[change["project_id"]],
            parent_id=change["parent_id"],
            position=change["position"],
            completed_at=parse_datetime(change["completed_at"] or ""),
            deleted_at=parse_datetime(change["deleted_at"] or ""),
            **repeat,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if "completion" in change:
            Completion.objects.filter(pk=change["completion"], task_id=change["pk"]).delete()
        restored += 1
    record.undone_at = timezone.now()
    record.save(update_fields=["undone_at"])
    schedule.resync([change["pk"] for change in record.changes])
    return Undone(restored, len(record.changes) - restored)
