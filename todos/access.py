"""Who may do what in a project: its owner everything, an editor its tasks, a viewer read.

Reads go through the one door (`for_user`), which leaves strangers a 404; these
checks come after it, so a member without the right gets a 403 and nothing changes.
"""

from django.core.exceptions import PermissionDenied

from todos.models import Membership, Project, Role, Task

VIEWER_REFUSAL = (
    "You can read this shared project but not change it: ask its owner to make you an editor."
)
OWNER_REFUSAL = "Only the project's owner can do this."


def role_in(user, project: Project | Task) -> Role | None:
    """Return the person's role in a project (or a task's), None if it is not shared with them.

    A task's owner is its project's owner, so a task answers without reading its project.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if project.owner_id == user.pk:
        return Role.OWNER
    project_id = project.project_id if isinstance(project, Task) else project.pk
    role = (
        Membership.objects.filter(project_id=project_id, user=user)
        .values_list("role", flat=True)
        .first()
    )
    return Role(role) if role else None


def can_edit(user, project: Project | Task) -> bool:
    return role_in(user, project) in (Role.OWNER, Role.EDITOR)


def require_editor(user, project: Project | Task) -> None:
    """Refuse (403) a write to a project's tasks by anyone but its owner and editors."""
    if not can_edit(user, project):
        raise PermissionDenied(VIEWER_REFUSAL)


def require_owner(user, project: Project) -> None:
    """Refuse (403) what only the project's owner may do: members, archive, delete, rename."""
    if project.owner_id != getattr(user, "pk", None):
        raise PermissionDenied(OWNER_REFUSAL)


def all_editable(user, tasks) -> bool:
    """Say whether the person may change every one of these tasks (one query at most)."""
    tasks = list(tasks)
    others = {task.pk for task in tasks if task.owner_id != user.pk}
    if not others:
        return True
    editable = Task.objects.editable_by(user).filter(pk__in=others).values_list("pk", flat=True)
    return set(editable) == others
