"""Every change to a task or project, recorded by django-simple-history, and read back.

Saving a model records itself (the library's signals). Most of Ticklist's writes
are conditional queryset updates, which send no signal: `OwnedQuerySet.update`
records the rows it changed here, after it changed them, so a write from a page,
the admin, a command or the worker is recorded the same way, with the signed-in
person (simple_history's middleware) as its author.

Reading turns records into entries people read ("Sam moved “Buy milk”",
Project: Home → Garden). A record holds the whole row as it was after the change,
so what changed is its difference from the record before it of the same object:
one query reads a page of records of every kind (a union), each with the record
before it and the names it mentions, whatever the length of the history.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import batched
from typing import NamedTuple

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, JSONObject, NullIf
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record, pre_create_historical_record

BATCH = 500

# Columns whose change alone is no change anyone looks for in a history: a list's
# order (a reorder writes every row of the list), the edit counter, the cached
# comment count, the sidebar's favourite pin. A write of only these is not recorded.
QUIET = frozenset(
    {"position", "version", "updated_at", "comment_count", "idempotency_key", "is_favourite"}
)
# A task's owner follows its project's owner: the project records the hand-over.
QUIET_FOR_TASKS = QUIET | {"owner", "owner_id"}

# `history_change_reason` holds words that say how a change came about.
OCCURRENCE_DONE = "occurrence-done"
OCCURRENCE_SKIPPED = "occurrence-skipped"
# No one signed in made the change (a command, the worker, a shell): written so a
# change of Ticklist's own is told from one by someone who has since left.
BY_TICKLIST = "ticklist"

FORMER_MEMBER = "A former member"
TICKLIST = "Ticklist"

_reasons: ContextVar[tuple[str, ...]] = ContextVar("history_reasons", default=())
_acting: ContextVar = ContextVar("history_author", default=None)


def is_recorded(model) -> bool:
    return hasattr(model, "history") and hasattr(model.history, "bulk_history_create")


@contextmanager
def because(reason: str) -> Iterator[None]:
    """Note why the changes recorded inside happen (OCCURRENCE_DONE, ...)."""
    token = _reasons.set((*_reasons.get(), reason))
    try:
        yield
    finally:
        _reasons.reset(token)


@contextmanager
def by(person) -> Iterator[None]:
    """Name the person as the author of the changes made inside, where no session does.

    A link from an email acts for its reader without signing them in; so would a
    request signed with an API token.
    """
    token = _acting.set(person)
    try:
        yield
    finally:
        _acting.reset(token)


def _author():
    """Return the person making the change: named by `by`, or signed in to the request."""
    if (person := _acting.get()) is not None:
        return person
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _reason(author_id: int | None, given: str | None = None) -> str | None:
    words = [*(given or "").split(), *_reasons.get()]
    if author_id is None:
        words.append(BY_TICKLIST)
    return " ".join(words) or None


@receiver(pre_create_historical_record, dispatch_uid="todos_history_reason")
def _note_reason(sender, history_instance, **kwargs):
    """Say who made a change recorded by a save and how, as record_changed does for updates."""
    if history_instance.history_user_id is None and (person := _acting.get()) is not None:
        history_instance.history_user = person
    history_instance.history_change_reason = _reason(
        history_instance.history_user_id, history_instance.history_change_reason
    )


def _bulk_record(model, objs, *, update: bool) -> None:
    author = _author()
    records = model.history.bulk_history_create(
        objs,
        update=update,
        default_user=author,
        default_change_reason=_reason(author.pk if author else None),
    )
    # A bulk insert sends no signal; send the one a save sends, so that whoever
    # listens for changes (webhooks) hears these too.
    for record in records or ():
        post_create_historical_record.send(
            sender=record.__class__,
            instance=None,
            history_instance=record,
            history_date=record.history_date,
            history_user=author,
            history_change_reason=record.history_change_reason,
            using=record._state.db,
        )


def record_changed(model, pks: list[int]) -> None:
    """Record the rows with these ids as they are now, as changes."""
    for chunk in batched(pks, BATCH, strict=False):
        _bulk_record(model, model._base_manager.filter(pk__in=chunk), update=True)


def record_created(model, objs: list) -> None:
    """Record rows a bulk insert made, as created."""
    _bulk_record(model, objs, update=False)


def _recorded_models() -> list:
    return [apps.get_model("todos", name) for name in ("Task", "Project", "Comment", "Membership")]


def forget_project(project_id: int) -> None:
    """Delete the history of a project, its tasks, their comments and its members."""
    from todos.models import Comment, Membership, Project, Task

    task_ids = Task.history.filter(project_id=project_id).values("id")
    Comment.history.filter(task_id__in=task_ids).delete()
    Task.history.filter(project_id=project_id).delete()
    Membership.history.filter(project_id=project_id).delete()
    Project.history.filter(id=project_id).delete()


def forget_author(user_id: int) -> None:
    """Leave no record naming a deleted account, not even those its deletion wrote.

    Deleting an account empties `history_user` (SET_NULL) of the records it had,
    but the deletion itself records (a membership it ends) in its own name.
    """
    for model in _recorded_models():
        model.history.filter(history_user_id=user_id).update(history_user=None)


def recorded_update(queryset: models.QuerySet, kwargs: dict, update) -> int:
    """Run `update` (the queryset's own) and record the rows it changed."""
    model = queryset.model
    quiet = QUIET_FOR_TASKS if model._meta.model_name == "task" else QUIET
    if not is_recorded(model) or set(kwargs) <= quiet:
        return update(**kwargs)
    pks = list(queryset.order_by().values_list("pk", flat=True))
    if not pks:
        return 0
    count = update(**kwargs)
    record_changed(model, pks)
    return count


def name_of(user) -> str:
    """Return how history names a person: their display name or username."""
    return FORMER_MEMBER if user is None else user.name


def last_changed_by(obj):
    """Return who made the latest recorded change to a task or project (None if unknown)."""
    record = (
        obj.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    )
    return record.history_user if record else None


def changed_meanwhile(obj, viewer) -> str | None:
    """Say who else made the latest change to a task or project ("Sam changed it meanwhile")."""
    if (by := last_changed_by(obj)) and by.pk != viewer.pk:
        return f"{name_of(by)} changed it meanwhile"
    return None


# Reading


class Kind(models.TextChoices):
    """The kinds of change the activity page filters by."""

    CREATED = "created", "Created"
    COMPLETED = "completed", "Completed or reopened"
    EDITED = "edited", "Edited"
    MOVED = "moved", "Moved"
    ASSIGNED = "assigned", "Assigned"
    DELETED = "deleted", "Deleted or restored"
    COMMENTS = "comments", "Comments"
    MEMBERS = "members", "Members"


ICONS = {
    Kind.CREATED: "plus-lg",
    Kind.COMPLETED: "check-lg",
    Kind.EDITED: "pencil",
    Kind.MOVED: "folder-symlink",
    Kind.ASSIGNED: "person-check",
    Kind.DELETED: "trash3",
    Kind.COMMENTS: "chat-left-text",
    Kind.MEMBERS: "people",
}

# The fields of a task whose change makes each kind of change, in the order an
# entry names the first kind it finds.
TASK_KINDS = {
    Kind.DELETED: ("deleted_at",),
    Kind.COMPLETED: ("completed_at",),
    Kind.MOVED: ("project_id",),
    Kind.ASSIGNED: ("assignee_id",),
    Kind.EDITED: (
        "title",
        "due_date",
        "due_time",
        "priority",
        "recurrence",
        "recurrence_mode",
        "notes",
        "parent_id",
    ),
}
TASK_FIELDS = tuple(name for fields in TASK_KINDS.values() for name in fields)
OCCURRENCES = (OCCURRENCE_DONE, OCCURRENCE_SKIPPED)
TASK_LABELS = {
    "title": "Title",
    "due_date": "Due date",
    "due_time": "Due time",
    "priority": "Priority",
    "recurrence": "Repeats",
    "recurrence_mode": "Repeats from",
    "notes": "Notes",
    "parent_id": "Parent task",
    "project_id": "Project",
    "assignee_id": "Assignee",
}
# What an edit of only these fields is called ("Sam renamed “Buy milk”").
EDIT_VERBS = {
    "title": "renamed",
    "due_date": "changed the due date of",
    "due_time": "changed the due date of",
    "priority": "changed the priority of",
    "recurrence": "changed the repeat rule of",
    "recurrence_mode": "changed the repeat rule of",
    "notes": "changed the notes of",
    "parent_id": "changed the parent task of",
}
PROJECT_FIELDS = ("name", "colour", "is_archived", "owner_id")
PROJECT_LABELS = {"name": "Name", "colour": "Colour", "owner_id": "Owner"}
NOTES_SHOWN = 100


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    """One change as people read it: "{who} {verb} {subject}", then each field's old and new."""

    when: datetime
    who: str
    kind: Kind
    verb: str
    # The task it was done to (its title then); None for a project's or its members' changes.
    subject: str | None = None
    # The task's page, when the reader may open it.
    url: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def icon(self) -> str:
        return ICONS[self.kind]

    def __str__(self) -> str:
        subject = f" “{self.subject}”" if self.subject is not None else ""
        changes = "".join(f"; {c.label}: {c.old} → {c.new}" for c in self.changes)
        return f"{self.who} {self.verb}{subject}{changes}"


class Row(NamedTuple):
    """A record as a timeline reads it: its own columns, then what `Source.part` adds."""

    history_id: int
    history_date: datetime
    history_type: str
    history_user_id: int | None
    history_change_reason: str | None
    id: int
    source: str
    who: str | None
    state: dict
    before: dict | None

    @property
    def reasons(self) -> list[str]:
        return (self.history_change_reason or "").split()

    @property
    def author(self) -> str:
        if self.history_user_id is not None:
            return self.who or FORMER_MEMBER
        return TICKLIST if BY_TICKLIST in self.reasons else FORMER_MEMBER

    @property
    def by_former_member(self) -> bool:
        return self.history_user_id is None and BY_TICKLIST not in self.reasons


def _name(column: str) -> Subquery:
    """Read the name of the person a column points at (None once their account is gone)."""
    people = get_user_model().objects.filter(pk=OuterRef(column))
    return Subquery(people.values(name=Coalesce(NullIf("display_name", Value("")), "username")))


def _earlier(history: models.QuerySet) -> models.QuerySet:
    """Return the records of the same object before the outer record, latest first.

    One object's records are written in the order of its changes, each right after
    its change, so the record before has the next lower id: one index lookup.
    """
    return history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by(
        "-history_id"
    )


def _live(visible_tasks, column: str):
    """Say whether the reader can open the task a column names (never for the admin)."""
    if visible_tasks is None:
        return Value(False)
    return Exists(visible_tasks.filter(pk=OuterRef(column)))


def _decode(model, state: dict | None) -> dict | None:
    """Turn a state read as JSON back into Python values, as the model's fields hold them."""
    if state is None:
        return None
    values = {}
    for key, value in state.items():
        try:
            column = model._meta.get_field(key)
        except FieldDoesNotExist:
            values[key] = value
            continue
        if value is not None:
            value = column.to_python(value)
            if isinstance(value, datetime) and timezone.is_naive(value):
                value = timezone.make_aware(value, UTC)
        values[key] = value
    return values


class Source(ABC):
    """One recorded model: what its records keep, which are of a kind, and how they read."""

    name = ""
    model_name = ""
    # Whether an entry reads the record before it (a comment's does not).
    diffs = True

    @property
    def model(self):
        return apps.get_model("todos", self.model_name)

    @property
    def history(self) -> models.QuerySet:
        return self.model.history.all()

    @abstractmethod
    def state(self, visible_tasks) -> JSONObject:
        """Return what an entry reads of a record: its fields and the names they point at."""

    @abstractmethod
    def of_kind(self, records: models.QuerySet, kind: Kind) -> models.QuerySet | None:
        """Return the records that are changes of this kind, None if none ever are."""

    @abstractmethod
    def entry(self, row: Row, state: dict, before: dict | None, projects) -> Entry | None:
        """Return the entry a record reads as, None for a record that changed nothing shown."""

    def part(self, records: models.QuerySet, visible_tasks, upto=None) -> models.QuerySet:
        """Return the records as a timeline's rows (Row), each with the state before it.

        With `upto`, only the newest `upto` records are read at all: a page of a
        timeline needs no more of any part, and each of those costs a few lookups.
        """
        if upto is not None:
            newest = records.order_by("-history_date", "-history_id").values("history_id")
            records = self.history.filter(history_id__in=newest[:upto])
        if self.diffs:
            before = Subquery(_earlier(self.history).values(state=self.state(None))[:1])
        else:
            before = Value(None, output_field=models.JSONField())
        return (
            records.order_by()
            .annotate(
                source=Value(self.name),
                who=_name("history_user_id"),
                state=self.state(visible_tasks),
                before=before,
            )
            .values_list(*Row._fields)
        )


class TaskSource(Source):
    name = "task"
    model_name = "Task"

    def state(self, visible_tasks):
        Project = apps.get_model("todos", "Project")
        return JSONObject(
            **{name: name for name in TASK_FIELDS},
            project_name=Subquery(
                Project.objects.filter(pk=OuterRef("project_id")).order_by().values("name")
            ),
            parent_title=Subquery(
                self.model.objects.filter(pk=OuterRef("parent_id")).order_by().values("title")
            ),
            assignee_name=_name("assignee_id"),
            live=_live(visible_tasks, "id"),
        )

    def _changed(self, records, kind: Kind) -> tuple[models.QuerySet, Q]:
        """Give the records what this kind's fields were before, and the test that they differ."""
        fields = {name: name for name in TASK_KINDS[kind]}
        as_text = Cast(JSONObject(**fields), models.TextField())
        earlier = _earlier(self.history).values(
            fields=Cast(JSONObject(**fields), models.TextField())
        )
        now, before = f"_{kind}_now", f"_{kind}_before"
        records = records.alias(**{now: as_text, before: Subquery(earlier[:1])})
        return records, Q(**{f"{before}__isnull": False}) & ~Q(**{now: F(before)})

    def of_kind(self, records, kind):
        occurrence = Q(history_change_reason__contains="occurrence-")
        match kind:
            case Kind.CREATED:
                return records.filter(history_type="+")
            case Kind.COMMENTS | Kind.MEMBERS:
                return None
        records, changed = self._changed(records, kind)
        changed &= Q(history_type="~")
        match kind:
            case Kind.DELETED:
                return records.filter(changed | Q(history_type="-"))
            case Kind.COMPLETED:
                return records.filter(changed | Q(occurrence, history_type="~"))
            case Kind.ASSIGNED:
                return records.filter(changed | Q(history_type="+", assignee_id__isnull=False))
            case Kind.EDITED:
                return records.filter(changed & ~occurrence)
        return records.filter(changed)

    @staticmethod
    def kinds(row: Row, changed: set[str]) -> list[Kind]:
        """Return the kinds of change a record is, as `of_kind` finds them, the main one first."""
        if row.history_type == "+":
            return [Kind.CREATED, *([Kind.ASSIGNED] if "assignee_id" in changed else [])]
        if row.history_type == "-":
            return [Kind.DELETED]
        kinds = [kind for kind, fields in TASK_KINDS.items() if changed.intersection(fields)]
        if set(OCCURRENCES).intersection(row.reasons):
            kinds = [Kind.COMPLETED, *(k for k in kinds if k not in (Kind.COMPLETED, Kind.EDITED))]
        return kinds

    def value(self, name: str, state: dict, projects) -> str:
        """Return a field's value as people read it."""
        from todos.models import Priority
        from todos.recurrence import Mode, describe

        value = state[name]
        match name:
            case "project_id":
                if projects is not None and value not in projects:
                    return "another project"
                return state["project_name"] or "a deleted project"
            case "assignee_id":
                return "Nobody" if value is None else state["assignee_name"] or "a former member"
            case "parent_id":
                return "None" if value is None else state["parent_title"] or "a deleted task"
            case "due_date":
                return f"{value:%a} {value.day} {value:%b %Y}" if value else "No date"
            case "due_time":
                return f"{value:%H:%M}" if value else "No time"
            case "priority":
                return Priority(value).label if value in Priority.values else str(value)
            case "recurrence":
                return describe(value, state["recurrence_mode"]) if value else "Does not repeat"
            case "recurrence_mode":
                return dict(Mode.CHOICES).get(value, value)
            case "notes":
                return Truncator(value).chars(NOTES_SHOWN) if value else "No notes"
        return str(value)

    def verb(self, row: Row, kind: Kind, state: dict, changed: set[str]) -> str:
        """Return what the change is called: its main kind's verb, or the field it edited."""
        reasons = row.reasons
        if OCCURRENCE_DONE in reasons and state["completed_at"] is None:
            return "completed an occurrence of"
        if OCCURRENCE_SKIPPED in reasons:
            return "skipped an occurrence of"
        match kind:
            case Kind.CREATED:
                return "created"
            case Kind.DELETED if row.history_type == "-":
                return "permanently deleted"
            case Kind.DELETED:
                return "deleted" if state["deleted_at"] else "restored"
            case Kind.COMPLETED:
                return "completed" if state["completed_at"] else "reopened"
            case Kind.MOVED:
                return "moved"
            case Kind.ASSIGNED:
                return "assigned" if state["assignee_id"] else "unassigned"
        verbs = {EDIT_VERBS[name] for name in changed}
        return verbs.pop() if len(verbs) == 1 else "edited"

    def entry(self, row, state, before, projects):
        if row.history_type == "+":
            changed = {"assignee_id"} if state["assignee_id"] else set()
            before = {**state, "assignee_id": None}
        elif before is None or row.history_type == "-":
            changed = set()
        else:
            changed = {name for name in TASK_FIELDS if state[name] != before[name]}
        kinds = self.kinds(row, changed)
        if row.history_type == "~" and before is not None and not kinds:
            return None
        kind = kinds[0] if kinds else Kind.EDITED
        verb = self.verb(row, kind, state, changed) if kinds else "changed"
        return Entry(
            when=row.history_date,
            who=row.author,
            kind=kind,
            verb=verb,
            subject=state["title"],
            url=reverse("todos:task_detail", args=[row.id]) if state["live"] else "",
            changes=[
                Change(
                    TASK_LABELS[name],
                    self.value(name, before, projects),
                    self.value(name, state, projects),
                )
                for name in TASK_FIELDS
                if name in changed and name in TASK_LABELS
            ],
        )


class CommentSource(Source):
    name = "comment"
    model_name = "Comment"
    diffs = False
    VERBS = {"+": "commented on", "~": "edited a comment on", "-": "deleted a comment on"}

    def state(self, visible_tasks):
        Task = apps.get_model("todos", "Task")
        return JSONObject(
            task_id="task_id",
            task_title=Subquery(
                Task.objects.filter(pk=OuterRef("task_id")).order_by().values("title")
            ),
            live=_live(visible_tasks, "task_id"),
        )

    def of_kind(self, records, kind):
        return records if kind == Kind.COMMENTS else None

    def entry(self, row, state, before, projects):
        url = ""
        if state["live"]:
            url = reverse("todos:task_detail", args=[state["task_id"]])
        return Entry(
            when=row.history_date,
            who=row.author,
            kind=Kind.COMMENTS,
            verb=self.VERBS[row.history_type],
            subject=state["task_title"] or "a deleted task",
            url=url,
        )


class MembershipSource(Source):
    name = "membership"
    model_name = "Membership"

    def state(self, visible_tasks):
        return JSONObject(user_id="user_id", role="role", member=_name("user_id"))

    def of_kind(self, records, kind):
        return records if kind == Kind.MEMBERS else None

    def entry(self, row, state, before, projects):
        from todos.models import MEMBER_ROLES

        roles = dict(MEMBER_ROLES)
        member = state["member"] or "a former member"
        # A former member's own deletion ends their memberships in their name.
        themselves = row.history_user_id == state["user_id"] or row.by_former_member
        role = roles.get(state["role"], state["role"])
        as_role = f"as {'an' if role[:1] in 'AEIOU' else 'a'} {role.lower()}"
        changes = []
        match row.history_type:
            case "+" if themselves:
                verb = f"joined the project {as_role}"
            case "+":
                verb = f"added {member} to the project {as_role}"
            case "-" if themselves:
                verb = "left the project"
            case "-":
                verb = f"removed {member} from the project"
            case _:
                if before is None or before["role"] == state["role"]:
                    return None
                verb = f"changed the role of {member}"
                changes = [Change("Role", roles.get(before["role"], before["role"]), role)]
        return Entry(
            when=row.history_date, who=row.author, kind=Kind.MEMBERS, verb=verb, changes=changes
        )


class ProjectSource(Source):
    name = "project"
    model_name = "Project"

    def state(self, visible_tasks):
        return JSONObject(**{name: name for name in PROJECT_FIELDS}, owner_name=_name("owner_id"))

    def of_kind(self, records, kind):
        match kind:
            case Kind.CREATED:
                return records.filter(history_type="+")
            case Kind.EDITED:
                return records.filter(history_type="~")
        return None

    def value(self, name: str, state: dict) -> str:
        from todos.models import Colour

        match name:
            case "colour":
                return Colour(state["colour"]).label if state["colour"] in Colour else "None"
            case "owner_id":
                return state["owner_name"] or "a former member"
        return str(state[name])

    def entry(self, row, state, before, projects):
        if row.history_type != "~":
            verb = "created the project" if row.history_type == "+" else "deleted the project"
            kind = Kind.CREATED if row.history_type == "+" else Kind.DELETED
            return Entry(when=row.history_date, who=row.author, kind=kind, verb=verb)
        changed = set() if before is None else {n for n in PROJECT_FIELDS if state[n] != before[n]}
        verbs = []
        if "name" in changed:
            verbs.append("renamed the project")
        if "is_archived" in changed:
            verbs.append(
                "archived the project" if state["is_archived"] else "unarchived the project"
            )
        if "owner_id" in changed:
            verbs.append(f"handed the project over to {self.value('owner_id', state)}")
        if "colour" in changed:
            verbs.append("changed the colour of the project")
        if before is None:
            verbs = ["changed the project"]
        elif not verbs:
            return None
        return Entry(
            when=row.history_date,
            who=row.author,
            kind=Kind.EDITED,
            verb=verbs[0] if len(verbs) == 1 else "edited the project",
            changes=[
                Change(label, self.value(name, before), self.value(name, state))
                for name, label in PROJECT_LABELS.items()
                if name in changed
            ],
        )


TASKS, COMMENTS, MEMBERSHIPS, PROJECTS = (
    TaskSource(),
    CommentSource(),
    MembershipSource(),
    ProjectSource(),
)
SOURCES = {source.name: source for source in (TASKS, COMMENTS, MEMBERSHIPS, PROJECTS)}


def _timeline(parts: Iterable[models.QuerySet | None]) -> models.QuerySet:
    """Return the records of every part as one list, newest first."""
    first, *rest = [part for part in parts if part is not None] or [
        TASKS.part(TASKS.history.none(), None)
    ]
    timeline = first.union(*rest, all=True) if rest else first
    return timeline.order_by("-history_date", "-history_id")


def task_timeline(task, *, viewer, upto: int | None = None) -> models.QuerySet:
    """Return the records of a task and of its comments, newest first (rows for `entries`)."""
    Task = apps.get_model("todos", "Task")
    visible = Task.objects.for_user(viewer)
    return _timeline(
        [
            TASKS.part(TASKS.history.filter(id=task.pk), visible, upto),
            COMMENTS.part(COMMENTS.history.filter(task_id=task.pk), visible, upto),
        ]
    )


def project_timeline(
    project, *, viewer, person=None, kind: Kind | None = None, upto: int | None = None
) -> models.QuerySet:
    """Return the records of a project, its members, and its tasks while they were in it.

    A task's records are those made while it was in the project, and the one
    that moved it out. Comments are those of the tasks in the project now.
    """
    Task = apps.get_model("todos", "Task")
    pk = project.pk
    # Read apart from the records in the project, so that only the records of the
    # few tasks now elsewhere are each compared with the one before.
    elsewhere = (
        Task._base_manager.filter(pk__in=TASKS.history.filter(project_id=pk).values("id"))
        .exclude(project_id=pk)
        .values("pk")
    )
    moved_out = (
        TASKS.history.filter(id__in=elsewhere)
        .exclude(project_id=pk)
        .alias(_was_in=Subquery(_earlier(TASKS.history).values("project_id")[:1]))
        .filter(_was_in=pk)
    )
    sources = [
        (TASKS, TASKS.history.filter(project_id=pk)),
        (TASKS, moved_out),
        (
            COMMENTS,
            COMMENTS.history.filter(task_id__in=Task.objects.filter(project_id=pk).values("pk")),
        ),
        (MEMBERSHIPS, MEMBERSHIPS.history.filter(project_id=pk)),
        (PROJECTS, PROJECTS.history.filter(id=pk)),
    ]
    visible = Task.objects.for_user(viewer)
    parts = []
    for source, records in sources:
        if person is not None:
            records = records.filter(history_user_id=person)
        if kind:
            records = source.of_kind(records, kind)
        parts.append(None if records is None else source.part(records, visible, upto))
    return _timeline(parts)


def entries(rows: Iterable, *, projects: Iterable[int] | None = None) -> list[Entry]:
    """Read timeline rows as entries; `projects` are the ids whose names the reader may see."""
    projects = None if projects is None else set(projects)
    found = []
    for row in map(Row._make, rows):
        source = SOURCES[row.source]
        state, before = _decode(source.model, row.state), _decode(source.model, row.before)
        if (entry := source.entry(row, state, before, projects)) is not None:
            found.append(entry)
    return found


def entries_of(model, history_ids: Iterable[int]) -> dict[int, Entry]:
    """Return the entries of these records of one model, by record id (the admin's column)."""
    source = next(source for source in SOURCES.values() if source.model is model)
    found = {}
    for row in source.part(source.history.filter(history_id__in=history_ids), None):
        for entry in entries([row]):
            found[row[0]] = entry
    return found


def people_of(project) -> list:
    """Return everyone a project's activity can name: owner, members and former members."""
    Membership = apps.get_model("todos", "Membership")
    pk = project.pk
    authors = [
        TASKS.history.filter(project_id=pk),
        COMMENTS.history.filter(task_id__in=TASKS.history.filter(project_id=pk).values("id")),
        MEMBERSHIPS.history.filter(project_id=pk),
        PROJECTS.history.filter(id=pk),
    ]
    found = Q(pk=project.owner_id) | Q(
        pk__in=Membership.objects.filter(project_id=pk).values("user_id")
    )
    found |= Q(pk__in=MEMBERSHIPS.history.filter(project_id=pk).values("user_id"))
    for records in authors:
        found |= Q(pk__in=records.values("history_user_id"))
    people = get_user_model().objects.filter(found)
    return sorted(people.only("pk", "username", "display_name"), key=lambda p: name_of(p).lower())
