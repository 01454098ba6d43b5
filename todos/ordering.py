"""The order of tasks within a project: where a new one goes, and the lock that keeps it unique."""

from django.db.models import Max

from todos import changes
from todos.models import Project, Task


def lock_order_of(*project_ids: int) -> None:
    """Hold the projects' rows until the transaction ends, so writes to their order queue up.

    Two swaps, moves or inserts that read the same positions at once would
    otherwise both write them, leaving two tasks at one position. A move locks
    both its projects, so no reorder of the one it leaves writes a position to
    the task after it arrived in the other. Everyone whose data version the
    write moves is locked first, all at once (todos.changes), then the projects
    in id order: a write across projects never holds what another one needs next.
    """
    ids = sorted(set(project_ids))
    changes.data_changed(Project.objects.filter(pk__in=ids).values("owner_id"), ids)
    # NO KEY UPDATE: a task or membership added to the project meanwhile needs only
    # a key share of its row, and must not wait here while holding what we need.
    locked = Project.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")
    list(locked.values_list("pk"))


def next_position(project_id: int, parent_id: int | None = None) -> int:
    """Return the position after the last of the project's (or the parent's) tasks."""
    siblings = Task.objects.filter(project_id=project_id, parent_id=parent_id)
    return (siblings.aggregate(top=Max("position"))["top"] or 0) + 1
