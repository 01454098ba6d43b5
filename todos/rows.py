"""A row of a task list, as one unit: what it reads, how it is drawn, and what it is cached by.

A page of 50 tasks built as model instances, with their tags and sub-tasks
prefetched as more model instances, cost more than the rest of the page. A row
reads only the columns it shows, straight into a small object; its tags and
sub-task progress come from one query each for every list on the page.

What a row shows besides its task (a box to select it, controls to reorder it,
its project's name) belongs to the kind of list it is in: a `ListStyle`, chosen
by the page. Whatever draws a row (the page, the answer to an htmx request, the
cache of drawn rows) draws it through `render` with the style of the page it is
shown on, so the same task in the same list always gets the same markup.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import connection
from django.db.models.query import BaseIterable, ValuesListIterable
from django.template import engines
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from todos import recurrence
from todos.links import ProjectLinks, TagLinks, TaskLinks
from todos.memo import Memo


@dataclass(frozen=True, slots=True)
class ProjectRow(ProjectLinks):
    pk: int
    name: str
    colour: str
    is_inbox: bool
    open_count: int = 0
    is_archived: bool = False
    is_favourite: bool = False


@dataclass(frozen=True, slots=True)
class TagRow(TagLinks):
    pk: int
    name: str
    colour: str = "grey"


@dataclass(frozen=True, slots=True)
class Person:
    """Someone a row names (its assignee) or a menu offers (a project's members)."""

    pk: int
    username: str
    display_name: str = ""

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def initials(self) -> str:
        return initials_of(self.name)


# What splits a name into the words its initials come from.
SEPARATED = re.compile(r"[\s._-]+")


def initials_of(name: str) -> str:
    """Return up to two letters for an avatar: "Ada Lovelace" is "AL", "sam.jones" "SJ"."""
    words = [word for word in SEPARATED.split(name) if word]
    letters = [word[0] for word in words[:1] + words[1:][-1:]]
    return "".join(letters).upper() or "?"


@dataclass(slots=True)
class TaskRow(TaskLinks):
    pk: int
    title: str
    priority: int
    due_date: date | None
    due_time: time | None
    completed_at: datetime | None
    parent_id: int | None
    recurrence: str
    recurrence_mode: str
    version: int
    comment_count: int
    assignee: Person | None
    project: ProjectRow
    # Filled in by `complete`, for every list on a page at once.
    tag_list: tuple[TagRow, ...] | None = None
    subtask_count: int = 0
    done_subtask_count: int = 0

    @property
    def project_id(self) -> int:
        return self.project.pk

    @property
    def recurrence_text(self) -> str:
        return (
            recurrence.describe(self.recurrence, self.recurrence_mode) if self.recurrence else ""
        )


# A row's own columns, in TaskRow's order, then its assignee's (a Person, joined in
# the same query), then those of its ProjectRow.
TASK_COLUMNS = (
    "pk",
    "title",
    "priority",
    "due_date",
    "due_time",
    "completed_at",
    "parent_id",
    "recurrence",
    "recurrence_mode",
    "version",
    "comment_count",
)
ASSIGNEE_COLUMNS = ("assignee_id", "assignee__username", "assignee__display_name")
ROW_COLUMNS = (*TASK_COLUMNS, *ASSIGNEE_COLUMNS)
COLUMNS = (*ROW_COLUMNS, "project_id", "project__name", "project__colour", "project__is_inbox")


def _task_row(values: tuple, project: ProjectRow) -> TaskRow:
    own = len(TASK_COLUMNS)
    assignee = Person(*values[own : own + 3]) if values[own] is not None else None
    return TaskRow(*values[:own], assignee, project)


def subtasks_of(task, tasks) -> list[TaskRow]:
    """Return the rows of a task's sub-tasks among `tasks`; they share its project."""
    project = task.project
    shared = ProjectRow(project.pk, project.name, project.colour, project.is_inbox)
    columns = tasks.filter(parent=task).in_manual_order().values_list(*ROW_COLUMNS)
    return [_task_row(row, shared) for row in columns]


class RowIterable(BaseIterable):
    """Yield a TaskRow per task, without its tags and sub-task progress (see `complete`)."""

    def __iter__(self):
        own = len(ROW_COLUMNS)
        for values in ValuesListIterable(self.queryset, self.chunked_fetch, self.chunk_size):
            yield _task_row(values, ProjectRow(*values[own:]))


# The two queries that complete rows, with {} for the ids. They are written out
# because building them through the ORM, with an IN list of 50 ids each, took ten
# times longer than the database took to answer them.
TAGS_SQL = """
    SELECT link.task_id, tag.id, tag.name
    FROM todos_task_tags link JOIN todos_tag tag ON tag.id = link.tag_id
    WHERE tag.owner_id = %s AND link.task_id IN ({}) ORDER BY LOWER(tag.name), tag.id
"""
PROGRESS_SQL = """
    SELECT parent_id, COUNT(*), COUNT(completed_at) FROM todos_task
    WHERE deleted_at IS NULL AND parent_id IN ({}) GROUP BY parent_id
"""


def _read(statement: str, ids: list[int], *before) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement.format(", ".join(["%s"] * len(ids))), [*before, *ids])
        return cursor.fetchall()


def complete(rows: Iterable[TaskRow], *, viewer, tags_for: Iterable[int] = ()) -> dict:
    """Give rows their tags and sub-task progress: two queries, however many rows.

    Return the tags of the tasks in `tags_for` as well, read by the same query.
    Tags are personal: only the viewer's own are read.
    """
    rows = [row for row in rows if row.tag_list is None]
    tags = defaultdict(list)
    ids = [*tags_for, *(row.pk for row in rows)]
    if ids:
        for task_id, tag_id, name in _read(TAGS_SQL, ids, viewer.pk):
            tags[task_id].append(TagRow(tag_id, name))
    # Only top-level tasks have sub-tasks; a list of sub-tasks needs no query.
    parents = [row.pk for row in rows if row.parent_id is None]
    progress = {}
    if parents:
        progress = {parent: (total, done) for parent, total, done in _read(PROGRESS_SQL, parents)}
    for row in rows:
        row.tag_list = tuple(tags.get(row.pk, ()))
        row.subtask_count, row.done_subtask_count = progress.get(row.pk, (0, 0))
    return {pk: tuple(tags.get(pk, ())) for pk in tags_for}


@dataclass(frozen=True, slots=True)
class ListStyle:
    """What every row of one kind of list shows besides its task."""

    # A box to select the row for the page's bulk actions.
    bulk: bool = True
    # Drag and drop, and up/down buttons, on its open rows.
    reorderable: bool = False
    # The project's name under the title (a project's own page leaves it out).
    show_project: bool = True
    # The list is My Day itself: taking a row off the plan takes it out of the list.
    plan: bool = False


PROJECT_LIST = ListStyle(reorderable=True, show_project=False)
# The style of each page's lists, by the page's URL name.
STYLES = {
    "todos:my_day": ListStyle(plan=True),
    "todos:today": ListStyle(),
    "todos:upcoming": ListStyle(),
    "todos:assigned": ListStyle(),
    "todos:inbox": PROJECT_LIST,
    "todos:project_detail": PROJECT_LIST,
    "todos:tag_detail": ListStyle(),
    "todos:completed": ListStyle(),
    "todos:search": ListStyle(),
    "todos:task_detail": ListStyle(bulk=False, show_project=False),
}
# Pages without a list of their own (a form, a confirmation) show rows plainly.
PLAIN = ListStyle(bulk=False)


def style_of(view_name: str | None) -> ListStyle:
    """Return the style of the lists on the page with this URL name."""
    return STYLES.get(view_name or "", PLAIN)


@dataclass(frozen=True, slots=True)
class Sharing:
    """What a row of a shared project shows its viewer: whether they may change it, and who
    they may assign it to (the project's owner first, then its members)."""

    viewer: int
    read_only: bool
    members: tuple[Person, ...]


@dataclass(frozen=True)
class Team:
    """The shared projects one person sees, with their members and the person's part in each."""

    viewer: int = 0
    members: dict[int, tuple[Person, ...]] = field(default_factory=dict)
    read_only_ids: frozenset[int] = frozenset()

    @property
    def shared_ids(self) -> tuple[int, ...]:
        """Return the ids of the projects shared with anyone, in order (for stable SQL)."""
        return tuple(sorted(self.members))

    def sharing(self, project_id: int) -> Sharing | None:
        """Return what the rows of a project show their viewer, or None if it is not shared."""
        members = self.members.get(project_id)
        if members is None:
            return None
        return Sharing(self.viewer, project_id in self.read_only_ids, members)


# A person without a shared project: every row theirs to change, none with members to assign.
NO_TEAM = Team()

TEMPLATE = "todos/_task_row.html"
# A line break and the indentation after it, which the row template has for its readers only.
LAYOUT = re.compile(r"\n\s*")


@functools.lru_cache(maxsize=4)
def _compact(source: str):
    """Compile the row template without its line breaks and indentation.

    A page draws fifty rows or more: the template's layout, kept, was a fifth of
    every row's bytes. Taken from the source, not from the drawn HTML, it leaves
    what people wrote as it is.
    """
    return engines["django"].from_string(LAYOUT.sub("", source))


# Drawn rows, about 2 KB each: at most 10 MB a process, room for many busy lists.
drawn = Memo(5000)


def _key(row: TaskRow, shared: tuple, planned: bool, sharing: Sharing | None) -> tuple:
    """Name a row's HTML by everything it shows, so a change anywhere makes a new name.

    `shared` holds what the rows of one list have in common. A row carries no
    CSRF token or nonce, only its task's own data, whether it is on the viewer's
    My Day and, in a shared project, the viewer's part in it (`sharing`), so its
    HTML is the same whenever these are.
    """
    return (
        shared,
        planned,
        sharing,
        row.pk,
        row.title,
        row.priority,
        row.due_date,
        row.due_time,
        row.completed_at,
        row.recurrence,
        row.recurrence_mode,
        # Only a shared row's assign buttons show it; other rows need not be drawn again.
        row.version if sharing else None,
        row.comment_count,
        row.assignee,
        row.project,
        row.tag_list,
        row.subtask_count,
        row.done_subtask_count,
    )


def render(
    rows: Iterable[TaskRow],
    style: ListStyle,
    *,
    today: date,
    planned: frozenset[int],
    team: Team,
) -> SafeString:
    """Draw completed rows (see `complete`) in a list of this style, reusing unchanged HTML.

    `planned` holds the ids of the tasks on the viewer's My Day (the sidebar's
    `my_day_ids`), `team` the viewer's shared projects (todos.assignment.team_for).
    Drawing rows was most of a list page's time, so the HTML is kept in each
    process's memory, named by everything the row shows (`_key`).
    """
    source = get_template(TEMPLATE).template.source
    template = _compact(source)
    shared = (
        hashlib.blake2b(source.encode(), digest_size=8).digest(),
        get_script_prefix(),
        timezone.get_current_timezone_name(),
        today,
        style,
    )
    rows = list(rows)
    keys = [_key(row, shared, row.pk in planned, team.sharing(row.project.pk)) for row in rows]
    html = drawn.get_many(keys)
    fresh = {
        key: template.render(_context(row, style, today, planned=key[1], sharing=key[2]))
        for key, row in zip(keys, rows, strict=True)
        if key not in html
    }
    if fresh:
        drawn.set_many(fresh)
        html |= fresh
    return mark_safe("".join(html[key] for key in keys))  # noqa: S308  (escaped templates)


def _context(row: TaskRow, style: ListStyle, today: date, *, planned, sharing) -> dict:
    editable = sharing is None or not sharing.read_only
    return {
        "task": row,
        "style": style,
        "today": today,
        "planned": planned,
        "sharing": sharing,
        # A viewer of a shared project reads it: no control that would answer 403.
        "editable": editable,
        "move": style.reorderable and editable,
        "bulk": style.bulk and editable,
    }
