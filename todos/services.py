"""Business rules for projects, tasks and tags: plain functions, tested without HTTP.

Writes state the result they want (complete, reopen, restore, archive): asking for
the state something is already in changes nothing, and the result says so, so a
repeated click or one from a stale page never reverses what another tab did.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from reminders import schedule
from todos import assignment, history, recurrence, undo
from todos.models import (
    INBOX_NAME,
    Colour,
    Completion,
    Membership,
    Project,
    Tag,
    Task,
    Tombstone,
    UndoRecord,
)
from todos.ordering import lock_order_of, next_position
from todos.quickadd import QuickAdd, parse

# One line of quick add may create this many tags it does not know yet.
MAX_NEW_TAGS = 10


class StaleEditError(Exception):
    """The object changed since the form was loaded; the edit was not applied."""


class TagNameTaken(Exception):
    """Another of the person's tags has the name asked for; they may merge the two."""

    def __init__(self, tag: Tag):
        super().__init__(tag.name)
        self.tag = tag


@dataclass(frozen=True)
class Outcome:
    """What a write did: how many tasks it changed, how many it left as they were, its undo."""

    changed: int
    skipped: int = 0
    undo: UndoRecord | None = None


def ensure_inbox(user) -> Project:
    """Return the user's Inbox, creating it the first time."""
    inbox, _ = Project.objects.get_or_create(
        owner=user, is_inbox=True, defaults={"name": INBOX_NAME}
    )
    return inbox


def tags_named(user, names: Iterable[str]) -> list[Tag]:
    """Return the user's tags with these names (any case), creating the new ones."""
    tags = []
    for name in dict.fromkeys(names):
        tag = Tag.objects.for_user(user).filter(name__iexact=name).first()
        tags.append(tag or Tag.objects.create(owner=user, name=name))
    return tags


def new_tag_names(user, names: Iterable[str]) -> list[str]:
    """Return the names among these that are not yet one of the user's tags."""
    names = list(names)
    known = set(
        Tag.objects.for_user(user)
        .annotate(lower=Lower("name"))
        .filter(lower__in=[name.lower() for name in names])
        .values_list("lower", flat=True)
    )
    return [name for name in names if name.lower() not in known]


def submitted_task(owner, idempotency_key: str) -> Task | None:
    """Return the task a form with this key already created, if it did."""
    if not idempotency_key:
        return None
    return Task.objects.owned_by(owner).filter(idempotency_key=idempotency_key).first()


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
    idempotency_key: str = "",
    recurrence: str = "",
    recurrence_mode: str = recurrence.Mode.SCHEDULE,
    assignee=None,
) -> Task:
    """Add a task at the end of its list; a form sent twice (same key) adds it once.

    An `assignee` (a member of the project: the caller checked) hears of it.
    """
    if parent is not None:
        # Sub-tasks live in their parent's project, one level deep.
        project = parent.project
        parent = parent.parent or parent
    lock_order_of(project.pk)
    # Under the lock, so a second submission waits for the first and then finds it.
    if existing := submitted_task(owner, idempotency_key):
        return existing
    try:
        with transaction.atomic():
            task = Task.objects.create(
                # A task belongs to its project's owner, whoever of its members adds it.
                owner_id=project.owner_id,
                project=project,
                parent=parent,
                title=title,
                notes=notes,
                due_date=due_date,
                due_time=due_time,
                priority=priority,
                position=next_position(project.pk, parent.pk if parent else None),
                idempotency_key=idempotency_key,
                recurrence=recurrence,
                recurrence_mode=recurrence_mode,
                assignee=assignee,
            )
    except IntegrityError:
        if existing := submitted_task(owner, idempotency_key):
            return existing
        raise
    task.tags.set(tags)
    schedule.resync([task.pk])
    assignment.announce(task, assignee, by=owner)
    return task


@dataclass(frozen=True)
class QuickAddOutcome:
    task: Task | None
    parsed: QuickAdd
    errors: tuple[str, ...]
    notices: tuple[str, ...] = ()


def read_quick_add(
    *, user, text: str, now: datetime, projects: Iterable[str] | None = None
) -> QuickAdd:
    """Parse a line of quick add for this person, against their active projects."""
    if projects is None:
        projects = Project.objects.editable_by(user).active().values_list("name", flat=True)
    return parse(
        text,
        now=now,
        tz=timezone.get_current_timezone(),
        projects=list(projects),
        week_start=user.week_start,
    )


def quick_add(
    *,
    user,
    text: str,
    now: datetime,
    project: Project | None = None,
    parent: Task | None = None,
    tags: Iterable[Tag] = (),
    default_due: date | None = None,
    idempotency_key: str = "",
) -> QuickAddOutcome:
    """Parse one line and create the task it describes, or say why not.

    `tags` are added to those the line names (quick add on a tag's page tags the
    task); `default_due` is the day of the page it was added on (Today, a day of
    Upcoming) when the line names none.
    """
    if repeated := submitted_task(user, idempotency_key):
        parsed = QuickAdd(title=repeated.title)
        return QuickAddOutcome(repeated, parsed, ())
    projects = editable_projects_by_name(user)
    parsed = read_quick_add(
        user=user, text=text, now=now, projects=[p.name for p in projects.values()]
    )
    errors = list(parsed.errors)
    new_tags = new_tag_names(user, parsed.tags)
    if len(new_tags) > MAX_NEW_TAGS:
        errors.append(
            f"One line can create up to {MAX_NEW_TAGS} new tags; this one names "
            f"{len(new_tags)}. Create the others first, or add them in the full form."
        )
    assignee = None
    if parsed.assignee and not errors:
        assignee, error = quick_add_assignee(
            user, parsed, project=project, parent=parent, projects=projects
        )
        errors += [error] if error else []
    if errors:
        return QuickAddOutcome(None, parsed, tuple(errors), parsed.notices)
    if parsed.project:
        project = projects[parsed.project.lower()]
    due_date = parsed.due_date
    if due_date is None and parent is None:
        due_date = default_due
    task = create_task(
        owner=user,
        project=project or ensure_inbox(user),
        title=parsed.title,
        due_date=due_date,
        due_time=parsed.due_time,
        priority=parsed.priority,
        tags=[*tags_named(user, parsed.tags), *tags],
        parent=parent,
        idempotency_key=idempotency_key,
        assignee=assignee,
        **(
            {"recurrence": parsed.repeat.rule, "recurrence_mode": parsed.repeat.mode}
            if parsed.repeat
            else {}
        ),
    )
    return QuickAddOutcome(task, parsed, (), parsed.notices)


def editable_projects_by_name(user) -> dict[str, Project]:
    """Return the active projects the person may add tasks to, by lowercase name.

    Shared projects first, so one of the person's own wins a name both have.
    """
    editable = Project.objects.editable_by(user).active()
    return {p.name.lower(): p for p in sorted(editable, key=lambda p: p.owner_id == user.pk)}


def quick_add_assignee(
    user,
    parsed: QuickAdd,
    *,
    project: Project | None,
    parent: Task | None,
    projects: dict[str, Project] | None = None,
) -> tuple:
    """Return the member a line's +name gives its task, or None and why not.

    The name is a username, in any case, of a member of the project the task lands
    in: its parent's, the line's #project, the page's, or the person's Inbox.
    """
    if parent is not None:
        landing = parent.project
    elif parsed.project:
        projects = projects if projects is not None else editable_projects_by_name(user)
        landing = projects.get(parsed.project.lower())
        if landing is None:  # read (by a preview) among projects the person cannot add to
            return None, None
    else:
        landing = project or ensure_inbox(user)
    member = assignment.member_named(landing, parsed.assignee)
    if member is None:
        return None, assignment.refusal(landing, f"+{parsed.assignee}")
    return member, None


@transaction.atomic
def update_task(
    task: Task, *, expected_version: int, tags: Iterable[Tag], by=None, **fields
) -> Task:
    """Apply an edit only if nobody changed the task since `expected_version` was read.

    `tags` are those of the person editing (`by`, by default the task's owner): the
    tags other members put on a shared task are theirs, and stay.
    """
    # Read, not taken from `task`: a form has already put its values on the instance.
    was_in, was_assigned_to = Task.objects.filter(pk=task.pk).values_list(
        "project_id", "assignee_id"
    ).first() or (task.project_id, task.assignee_id)
    move_subtasks = "project" in fields and fields["project"].pk != was_in
    if move_subtasks:
        lock_order_of(was_in, fields["project"].pk)
        fields["position"] = next_position(fields["project"].pk, task.parent_id)
        fields["owner_id"] = fields["project"].owner_id
    updated = Task.objects.filter(pk=task.pk, version=expected_version).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise StaleEditError
    if move_subtasks:
        task.subtasks.update(
            project=fields["project"],
            owner_id=fields["project"].owner_id,
            assignee=assignee_in(fields["project"]),
        )
    task.refresh_from_db()
    set_own_tags(task, by.pk if by is not None else task.owner_id, tags)
    schedule.resync([task.pk])
    if "assignee" in fields and task.assignee_id != was_assigned_to:
        assignment.announce(task, task.assignee, by=by or task.owner)
    return task


def set_own_tags(task: Task, owner_id: int, tags: Iterable[Tag]) -> None:
    """Give the task exactly these of one person's tags, leaving everyone else's."""
    tags = list(tags)
    dropped = task.tags.filter(owner_id=owner_id).exclude(pk__in=[tag.pk for tag in tags])
    if dropped := list(dropped):
        task.tags.remove(*dropped)
    task.tags.add(*tags)


def local_today(user_id: int, now: datetime) -> date:
    """Return the day it is for this person, in their own zone."""
    zone = get_user_model().objects.filter(pk=user_id).values_list("timezone", flat=True).first()
    return timezone.localdate(now, schedule.zone_named(zone or "UTC"))


def _next_occurrence(task: Task, now: datetime, *, by=None, record: bool = True) -> bool:
    """Move a repeating task on to its next occurrence, leaving a Completion unless skipped.

    The occurrence is named by its due date: a second click on the same one (a
    stale page, a double click) finds the task moved on already and changes
    nothing. The last occurrence of a rule completes the task for good. Sub-tasks
    reopen, as a checklist that resets.
    """
    stamp = {"version": F("version") + 1, "updated_at": now}
    current = Task.objects.filter(
        pk=task.pk, completed_at__isnull=True, due_date=task.due_date, recurrence=task.recurrence
    )
    following = recurrence.advance(
        task.recurrence,
        task.recurrence_mode,
        due=task.due_date,
        today=local_today(task.owner_id, now),
    )
    reason = history.OCCURRENCE_DONE if record else history.OCCURRENCE_SKIPPED
    if following is None:
        with history.because(reason):
            changed = current.update(completed_at=now, **stamp)
        if changed:
            task.subtasks.filter(completed_at__isnull=True, deleted_at__isnull=True).update(
                completed_at=now, **stamp
            )
    else:
        with history.because(reason):
            changed = current.update(
                due_date=following.due_date, recurrence=following.rule, **stamp
            )
        if changed:
            task.subtasks.filter(completed_at__isnull=False, deleted_at__isnull=True).update(
                completed_at=None, **stamp
            )
    if changed and record:
        # Inside an undo recording, so that Undo removes it with the move it records.
        undo.remember_completion(
            Completion.objects.create(
                task=task,
                owner_id=task.owner_id,
                completed_by_id=by.pk if by is not None else task.owner_id,
                completed_at=now,
                due_date=task.due_date,
            )
        )
    return bool(changed)


def _set_completed(task: Task, completed: bool, now: datetime, *, by=None) -> bool:
    """Complete or reopen one task with the sub-tasks that follow it; False if it already was."""
    stamp = {"version": F("version") + 1, "updated_at": now}
    if completed and task.recurrence and task.completed_at is None:
        return _next_occurrence(task, now, by=by)
    if completed:
        changed = Task.objects.filter(pk=task.pk, completed_at__isnull=True).update(
            completed_at=now, **stamp
        )
        if changed and task.parent_id is None:
            task.subtasks.filter(completed_at__isnull=True, deleted_at__isnull=True).update(
                completed_at=now, **stamp
            )
        return bool(changed)
    done_at = Task.objects.filter(pk=task.pk).values_list("completed_at", flat=True).first()
    changed = Task.objects.filter(pk=task.pk, completed_at__isnull=False).update(
        completed_at=None, **stamp
    )
    if changed and task.parent_id is None:
        # Exactly the sub-tasks completed with it, not those ticked off on their own.
        task.subtasks.filter(completed_at=done_at).update(completed_at=None, **stamp)
    return bool(changed)


def set_completed(task: Task, completed: bool, *, now: datetime, by=None) -> Outcome:
    """Complete or reopen a task, recorded for Undo; completing it completes its open sub-tasks.

    Completing a repeating task completes its current occurrence: the task moves on
    to the next one and a Completion records the one done (Undo takes both back).
    """
    again = "open again" if completed else "completed again"
    if completed and task.recurrence:
        again = f"back on {task.due_date:%-d %b}" if task.due_date else "back"
    with undo.recording(task.owner_id, f"“{task.title}” is {again}.", [task.pk]) as record:
        changed = _set_completed(task, completed, now, by=by)
    task.refresh_from_db()
    schedule.resync([task.pk])
    return Outcome(int(changed), int(not changed), record[0] if record else None)


def skip_occurrence(task: Task, *, now: datetime) -> Outcome:
    """Move a repeating task on to its next occurrence without recording it as done."""
    if not task.recurrence or task.completed_at is not None:
        return Outcome(0, 1)
    label = f"“{task.title}” is back on {task.due_date:%-d %b}."
    with undo.recording(task.owner_id, label, [task.pk]) as record:
        changed = _next_occurrence(task, now, record=False)
    task.refresh_from_db()
    schedule.resync([task.pk])
    return Outcome(int(changed), int(not changed), record[0] if record else None)


def assignee_in(project: Project) -> Case:
    """Return a task's assignee where they are a member of `project` (moved there), else nobody."""
    members = Membership.objects.filter(project=project).values("user_id")
    member = Q(assignee_id=project.owner_id) | Q(assignee_id__in=members)
    return Case(When(member, then=F("assignee")), default=None)


def _move(task: Task, project: Project, now: datetime) -> bool:
    if project.pk == task.project_id:
        return False
    lock_order_of(task.project_id, project.pk)
    Task.objects.filter(pk=task.pk).update(
        project=project,
        owner_id=project.owner_id,
        parent=None,
        position=next_position(project.pk),
        assignee=assignee_in(project),
        version=F("version") + 1,
        updated_at=now,
    )
    task.subtasks.update(project=project, owner_id=project.owner_id, assignee=assignee_in(project))
    return True


@transaction.atomic
def move_to_project(task: Task, project: Project) -> bool:
    """Move a task, with its sub-tasks, to the end of another project; False if it is there."""
    moved = _move(task, project, timezone.now())
    task.refresh_from_db()
    return moved


def _trash(task: Task, now: datetime) -> bool:
    return bool(
        Task.objects.filter(Q(pk=task.pk) | Q(parent=task.pk), deleted_at__isnull=True).update(
            deleted_at=now, version=F("version") + 1, updated_at=now
        )
    )


def trash(task: Task, *, now: datetime) -> Outcome:
    """Put a task and its sub-tasks in the trash, recorded for Undo."""
    label = f"“{task.title}” is back where it was."
    with undo.recording(task.owner_id, label, [task.pk]) as record:
        changed = _trash(task, now)
    schedule.resync(_with_subtasks([task.pk]))
    return Outcome(int(changed), int(not changed), record[0] if record else None)


def _with_subtasks(ids: list[int]) -> list[int]:
    return list(
        Task.objects.filter(Q(pk__in=ids) | Q(parent__in=ids)).values_list("pk", flat=True)
    )


@transaction.atomic
def restore(task: Task) -> bool:
    """Take a task (and a trashed parent it needs) out of the trash, with its sub-tasks.

    A task restored from the trash page goes to the end of its list: its old
    place may have been taken since. (Undo puts it back exactly where it was.)
    Return False when it was not in the trash.
    """
    lock_order_of(task.project_id)
    if not Task.objects.filter(pk=task.pk, deleted_at__isnull=False).exists():
        return False
    ids = [task.pk]
    if task.parent_id:
        ids.append(task.parent_id)
    Task.objects.filter(Q(pk__in=ids) | Q(parent=task)).update(
        deleted_at=None, version=F("version") + 1, updated_at=timezone.now()
    )
    Task.objects.filter(pk=task.pk).update(position=next_position(task.project_id, task.parent_id))
    schedule.resync(_with_subtasks(ids))
    return True


def purge(task: Task) -> None:
    """Delete a task from the trash for good."""
    task.delete()


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
    # Read again under the lock: the position this request saw may be stale, and the
    # task may have moved to another project meanwhile, whose order this lock does not hold.
    in_project = Task.objects.filter(project=task.project_id)
    position = in_project.filter(pk=task.pk).values_list("position", flat=True).first()
    if position is None:
        return
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
    in_project.filter(pk=task.pk).update(position=neighbour.position)
    in_project.filter(pk=neighbour.pk).update(position=position)


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
    in_project = Task.objects.filter(project=project)
    positions = sorted(in_project.filter(pk__in=ids).values_list("position", flat=True))
    for pk, position in zip(ids, positions, strict=True):
        # Only while it is still here: a task moved out meanwhile keeps its new place.
        in_project.filter(pk=pk).update(position=position)


BULK_LABELS = {
    "complete": "Completed",
    "reopen": "Reopened",
    "move": "Moved",
    "delete": "Moved to the trash",
}


def bulk(
    user, tasks: Iterable[Task], *, action: str, now: datetime, project: Project | None = None
) -> Outcome:
    """Complete, reopen, move or trash several of a person's tasks at once, as one Undo.

    Tasks already in the state asked for, or in the trash, are left alone and counted.
    """
    if action not in BULK_LABELS:
        raise ValueError(f"unknown bulk action {action!r}")
    tasks = list(tasks)
    changed = 0
    label = f"{len(tasks)} task{'' if len(tasks) == 1 else 's'} back as they were."
    with undo.recording(user.pk, label, [t.pk for t in tasks]) as record:
        # Every project involved at once: task by task, two bulk actions could each
        # hold a project (and its people) that the other needs next.
        lock_order_of(*{t.project_id for t in tasks}, *([project.pk] if project else []))
        for task in tasks:
            if task.deleted_at is not None:
                continue
            if action in ("complete", "reopen"):
                changed += _set_completed(task, action == "complete", now, by=user)
            elif action == "move":
                changed += _move(task, project, now)
            else:
                changed += _trash(task, now)
    schedule.resync(_with_subtasks([t.pk for t in tasks]))
    return Outcome(changed, len(tasks) - changed, record[0] if record else None)


@transaction.atomic
def delete_project(project: Project, *, now: datetime) -> int:
    """Move a project's tasks to the trash (restorable into the Inbox), then delete it."""
    inbox = ensure_inbox(project.owner)
    lock_order_of(inbox.pk, project.pk)
    count = Task.objects.for_user(project.owner).filter(project=project).count()
    # Tasks already in the trash keep their own deletion time; all of them are
    # placed after the Inbox's own, so a restore never lands on a taken position.
    Task.objects.filter(project=project).update(
        project=inbox,
        deleted_at=Coalesce("deleted_at", Value(now)),
        position=F("position") + next_position(inbox.pk),
        version=F("version") + 1,
    )
    pk, people = (
        project.pk,
        [project.owner_id, *project.memberships.values_list("user_id", flat=True)],
    )
    project.delete()
    Tombstone.objects.bulk_create(
        Tombstone(user_id=person, kind=Tombstone.Kind.PROJECT, object_id=pk, deleted_at=now)
        for person in people
    )
    return count


def project_name_taken(user, name: str, *, exclude: Project | None = None) -> bool:
    projects = (
        Project.objects.owned_by(user)
        .annotate(lower=Lower("name"))
        .filter(lower=Lower(Value(name.strip())))
    )
    if exclude is not None:
        projects = projects.exclude(pk=exclude.pk)
    return projects.exists()


def create_project(*, owner, name: str, colour: str) -> Project:
    """Add a project after the person's others."""
    project = Project(owner=owner, name=name, colour=colour)
    project.position = Project.objects.owned_by(owner).count()
    project.save()
    return project


@transaction.atomic
def update_project(project: Project, *, expected_version: int, **fields) -> Project:
    """Rename or recolour a project only if nobody changed it since `expected_version`."""
    updated = Project.objects.filter(pk=project.pk, version=expected_version).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise StaleEditError
    project.refresh_from_db()
    return project


@transaction.atomic
def file_in_new_project(task: Task, name: str, *, user) -> Project:
    """Create the person's project a line named with an unknown #word; move the task into it.

    The #word leaves the title, as it would have had the project existed. A
    project of that name made meanwhile (or archived) is used instead of a new one.
    """
    project = Project.objects.owned_by(user).filter(name__iexact=name).first()
    if project is None:
        project = create_project(owner=user, name=name, colour=Colour.GREY)
    elif project.is_archived:
        set_archived(project, False)
    _move(task, project, timezone.now())
    word = f"#{name}".lower()
    title = " ".join(w for w in task.title.split() if w.lower() != word)
    if title and title != task.title:
        Task.objects.filter(pk=task.pk).update(title=title)
    task.refresh_from_db()
    return project


def set_flag(project: Project, field: str, value: bool, **also) -> bool:
    """Set one of a project's yes/no fields, writing only if it differs; False when it did not."""
    changed = Project.objects.filter(pk=project.pk, **{field: not value}).update(
        **{field: value}, updated_at=timezone.now(), **also
    )
    project.refresh_from_db()
    return bool(changed)


def set_archived(project: Project, archived: bool) -> bool:
    """Archive or unarchive a project; False when it already was."""
    return set_flag(project, "is_archived", archived, version=F("version") + 1)


def set_favourite(project: Project, favourite: bool) -> bool:
    """Pin a project at the top of the sidebar, or unpin it; False when it already was."""
    # No version bump: pinning must not make an open rename form stale.
    return set_flag(project, "is_favourite", favourite)


def tag_named(user, name: str, *, exclude: Tag | None = None) -> Tag | None:
    tags = Tag.objects.for_user(user).filter(name__iexact=name.strip())
    if exclude is not None:
        tags = tags.exclude(pk=exclude.pk)
    return tags.first()


@transaction.atomic
def update_tag(tag: Tag, *, name: str, colour: str, merge: bool = False) -> Tag:
    """Rename or recolour a tag; renaming to another tag's name merges the two only if asked.

    Raise TagNameTaken when the name is another tag's and `merge` is off.
    """
    other = tag_named(tag.owner, name, exclude=tag)
    if other is not None:
        if not merge:
            raise TagNameTaken(other)
        merge_tags(tag, into=other)
        return other
    Tag.objects.filter(pk=tag.pk).update(name=name, colour=colour)
    tag.refresh_from_db()
    return tag


@transaction.atomic
def merge_tags(tag: Tag, *, into: Tag) -> int:
    """Give `into` to every task that has `tag`, then delete `tag`; return how many tasks it tagged."""
    links = Task.tags.through.objects
    already = links.filter(tag=into).values("task_id")
    moved = links.filter(tag=tag).exclude(task_id__in=already).update(tag=into)
    _bury_tag(tag)
    return moved


def delete_tag(tag: Tag) -> int:
    """Delete a tag (its tasks stay, without it); return how many tasks had it."""
    count = Task.tags.through.objects.filter(tag=tag).count()
    _bury_tag(tag)
    return count


def _bury_tag(tag: Tag) -> None:
    pk = tag.pk
    tag.delete()
    Tombstone.objects.create(user_id=tag.owner_id, kind=Tombstone.Kind.TAG, object_id=pk)
