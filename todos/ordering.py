"""The order of tasks within a project: where a new one goes, and the lock that keeps it unique."""

from django.db.models import Max

from todos import changes
from todos.models import Project, Task


def lock_order_of(project_id: int) -> None:
    """Hold the project's row until the transaction ends, so writes to its order queue up.

    Two swaps, moves or inserts that read the same positions at once would
    otherwise both write them, leaving two tasks at one position. The owner's
    data version is moved first, the lock every write takes first (todos.changes).
    """
    changes.data_changed(Project.objects.filter(pk=project_id).values("owner_id"), [project_id])
    list(Project.objects.select_for_update().filter(pk=project_id).values_list("pk"))


def next_position(project_id: int, parent_id: int | None = None) -> int:
    """Return the position after the last of the project's (or the parent's) tasks."""
    siblings = Task.objects.filter(project_id=project_id, parent_id=parent_id)
    return (siblings.aggregate(top=Max("position"))["top"] or 0) + 1
