"""Business rules for projects, tasks and tags: plain functions, tested without HTTP."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F, Max, Q, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from todos.models import INBOX_NAME, Project, Tag, Task
from todos.quickadd import QuickAdd, parse


class StaleEditError(Exception):
    """The task changed since the form was loaded; the edit was not applied."""


def ensure_inbox(user) -> Project:
    """Return the user's Inbox, creating it the first time."""
    inbox, _ = Project.objects.get_or_create(
        owner=user, is_inbox=True, defaults={"name": INBOX_NAME}
    )
    return inbox


def next_position(project: Project, parent: Task | None = None) -> int:
    siblings = Task.objects.filter(project=project, parent=parent)
    return (siblings.aggregate(top=Max("position"))["top"] or 0) + 1


def lock_order_of(project_id: int) -> None:
    """Hold the project's row until the transaction ends, so reorders queue, not interleave.

    Two swaps that read the same positions at once would otherwise both write
    them back, leaving two tasks at one position.
    """
    list(Project.objects.select_for_update().filter(pk=project_id).values_list("pk"))


def tags_named(user, names: Iterable[str]) -> list[Tag]:
    """Return the user's tags with these names (any case), creating the new ones."""
    tags = []
    for name in dict.fromkeys(names):
        tag = Tag.objects.for_user(user).filter(name__iexact=name).first()
        tags.append(tag or Tag.objects.create(owner=user, name=name))
    return tags


@transaction.atomic
def create_task(
    *,
    owner,
    project: Project,
    title: str,
    notes: str = "",
    due_date: date | None = None,
    due_time: time | None = None,
    priority: int = 4,
    tags: Iterable[Tag] = (),
    parent: Task | None = None,
) -> Task:
    if parent is not None:
        # Sub-tasks live in their parent's project, one level deep.
        project = parent.project
        parent = parent.parent or parent
    lock_order_of(project.pk)
    task = Task.objects.create(
        owner=owner,
        project=project,
        parent=parent,
        title=title,
        notes=notes,
        due_date=due_date,
        due_time=due_time,
        priority=priority,
        position=next_position(project, parent),
    )
    task.tags.set(tags)
    return task


@dataclass(frozen=True)
class QuickAddOutcome:
    task: Task | None
    parsed: QuickAdd
    errors: tuple[str, ...]


def quick_add(
    *,
    user,
    text: str,
    now: datetime,
    project: Project | None = None,
    parent: Task | None = None,
    tags: Iterable[Tag] = (),
) -> QuickAddOutcome:
    """Parse one line and create the task it describes, or say why not.

    `tags` are added to those the line names: quick add on a tag's page tags the task.
    """
    projects = {p.name.lower(): p for p in Project.objects.for_user(user).active()}
    parsed = parse(
        text,
        now=now,
        tz=timezone.get_current_timezone(),
        projects=[p.name for p in projects.values()],
        week_start=user.week_start,
    )
    if not parsed.ok:
        return QuickAddOutcome(None, parsed, parsed.errors)
    if parsed.project:
        project = projects[parsed.project.lower()]
    task = create_task(
        owner=user,
        project=project or ensure_inbox(user),
        title=parsed.title,
        due_date=parsed.due_date,
        due_time=parsed.due_time,
        priority=parsed.priority,
        tags=[*tags_named(user, parsed.tags), *tags],
        parent=parent,
    )
    return QuickAddOutcome(task, parsed, ())


@transaction.atomic
def update_task(task: Task, *, expected_version: int, tags: Iterable[Tag], **fields) -> Task:
    """Apply an edit only if nobody changed the task since `expected_version` was read."""
    if "project" in fields and fields["project"].pk != task.project_id:
        move_subtasks = True
        fields["position"] = next_position(fields["project"], task.parent)
    else:
        move_subtasks = False
    updated = Task.objects.filter(pk=task.pk, version=expected_version).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise StaleEditError
    if move_subtasks:
        task.subtasks.update(project=fields["project"])
    task.refresh_from_db()
    task.tags.set(tags)
    return task


@transaction.atomic
def set_completed(task: Task, completed: bool, *, now: datetime) -> Task:
    """Complete or reopen a task; its sub-tasks stay as they are."""
    Task.objects.filter(pk=task.pk).update(
        completed_at=now if completed else None, version=F("version") + 1, updated_at=now
    )
    task.refresh_from_db()
    return task


def toggle(task: Task, *, now: datetime) -> Task:
    return set_completed(task, not task.is_completed, now=now)


@transaction.atomic
def move_to_project(task: Task, project: Project) -> Task:
    """Move a task, with its sub-tasks, to the end of another project."""
    if project.pk == task.project_id:
        return task
    Task.objects.filter(pk=task.pk).update(
        project=project,
        parent=None,
        position=next_position(project),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    task.subtasks.update(project=project)
    task.refresh_from_db()
    return task


@transaction.atomic
def trash(task: Task, *, now: datetime) -> None:
    """Put a task and its sub-tasks in the trash."""
    Task.objects.filter(Q(pk=task.pk) | Q(parent=task), deleted_at__isnull=True).update(
        deleted_at=now, version=F("version") + 1
    )


@transaction.atomic
def restore(task: Task) -> None:
    """Take a task (and a trashed parent it needs) out of the trash, with its sub-tasks.

    A restored task goes to the end of its list: its old place may have been taken.
    """
    lock_order_of(task.project_id)
    ids = [task.pk]
    if task.parent_id:
        ids.append(task.parent_id)
    Task.objects.filter(Q(pk__in=ids) | Q(parent=task)).update(
        deleted_at=None, version=F("version") + 1
    )
    Task.objects.filter(pk=task.pk).update(position=next_position(task.project, task.parent))


def purge_trash(*, user=None, older_than: timedelta, now: datetime, dry_run: bool = False) -> int:
    """Delete for good the tasks trashed before `now - older_than`; return how many."""
    tasks = Task.objects.filter(deleted_at__lt=now - older_than)
    if user is not None:
        tasks = tasks.filter(owner=user)
    count = tasks.count()
    if not dry_run:
        tasks.delete()
    return count


@transaction.atomic
def move_step(task: Task, step: int) -> None:
    """Swap a task with its neighbour above (-1) or below (+1) among open siblings."""
    lock_order_of(task.project_id)
    # Read again under the lock: the position this request saw may be stale.
    position = Task.objects.filter(pk=task.pk).values_list("position", flat=True).get()
    siblings = (
        Task.objects.for_user(task.owner)
        .open()
        .filter(project=task.project_id, parent=task.parent_id)
    )
    if step < 0:
        neighbour = siblings.filter(position__lt=position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=position).order_by("position").first()
    if neighbour is None:
        return
    Task.objects.filter(pk=task.pk).update(position=neighbour.position)
    Task.objects.filter(pk=neighbour.pk).update(position=position)


@transaction.atomic
def reorder(project: Project, ordered_ids: list[int], *, parent: Task | None = None) -> None:
    """Give the project's tasks the order listed; ids that are not its own are ignored."""
    lock_order_of(project.pk)
    owned = set(
        Task.objects.for_user(project.owner)
        .filter(project=project, parent=parent, pk__in=ordered_ids)
        .values_list("pk", flat=True)
    )
    ids = [pk for pk in dict.fromkeys(ordered_ids) if pk in owned]
    positions = sorted(Task.objects.filter(pk__in=ids).values_list("position", flat=True))
    for pk, position in zip(ids, positions, strict=True):
        Task.objects.filter(pk=pk).update(position=position)


@transaction.atomic
def delete_project(project: Project, *, now: datetime) -> int:
    """Move a project's tasks to the trash (restorable into the Inbox), then delete it."""
    inbox = ensure_inbox(project.owner)
    lock_order_of(inbox.pk)
    count = Task.objects.for_user(project.owner).filter(project=project).count()
    # Tasks already in the trash keep their own deletion time; all of them are
    # placed after the Inbox's own, so a restore never lands on a taken position.
    Task.objects.filter(project=project).update(
        project=inbox,
        deleted_at=Coalesce("deleted_at", Value(now)),
        position=F("position") + next_position(inbox),
        version=F("version") + 1,
    )
    project.delete()
    return count


def project_name_taken(user, name: str, *, exclude: Project | None = None) -> bool:
    projects = (
        Project.objects.for_user(user)
        .annotate(lower=Lower("name"))
        .filter(lower=name.strip().lower())
    )
    if exclude is not None:
        projects = projects.exclude(pk=exclude.pk)
    return projects.exists()


@transaction.atomic
def bulk(tasks, *, action: str, now: datetime, project: Project | None = None) -> int:
    """Complete, move or trash several of one user's tasks at once; return how many."""
    tasks = list(tasks)
    for task in tasks:
        if action == "complete":
            set_completed(task, True, now=now)
        elif action == "move":
            move_to_project(task, project)
        elif action == "delete":
            trash(task, now=now)
        else:
            raise ValueError(f"unknown bulk action {action!r}")
    return len(tasks)
