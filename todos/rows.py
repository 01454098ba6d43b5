"""What lists show of tasks, projects and tags, read as plain values.

A page of 50 tasks built as model instances, with their tags and sub-tasks
prefetched as more model instances, cost more than the rest of the page. A row
reads only the columns it shows, straight into a small object; its tags and
sub-task progress come from one query each for every list on the page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection
from django.db.models.query import BaseIterable, ValuesListIterable

from todos.links import ProjectLinks, TagLinks, TaskLinks


@dataclass(frozen=True, slots=True)
class ProjectRow(ProjectLinks):
    pk: int
    name: str
    colour: str
    is_inbox: bool
    open_count: int = 0
    is_archived: bool = False


@dataclass(frozen=True, slots=True)
class TagRow(TagLinks):
    pk: int
    name: str


@dataclass(slots=True)
class TaskRow(TaskLinks):
    pk: int
    title: str
    priority: int
    due_date: date | None
    due_time: time | None
    completed_at: datetime | None
    parent_id: int | None
    project: ProjectRow
    # Filled in by `complete`, for every list on a page at once.
    tag_list: tuple[TagRow, ...] | None = None
    subtask_count: int = 0
    done_subtask_count: int = 0

    @property
    def project_id(self) -> int:
        return self.project.pk


# A row's own columns, in TaskRow's order, then those of its ProjectRow.
TASK_COLUMNS = ("pk", "title", "priority", "due_date", "due_time", "completed_at", "parent_id")
COLUMNS = (*TASK_COLUMNS, "project_id", "project__name", "project__colour", "project__is_inbox")


def subtasks_of(task, tasks) -> list[TaskRow]:
    """Return the rows of a task's sub-tasks among `tasks`; they share its project."""
    project = task.project
    shared = ProjectRow(project.pk, project.name, project.colour, project.is_inbox)
    columns = tasks.filter(parent=task).in_manual_order().values_list(*TASK_COLUMNS)
    return [TaskRow(*row, project=shared) for row in columns]


class BareRowIterable(BaseIterable):
    """Yield a TaskRow per task, without its tags and sub-task progress."""

    def __iter__(self):
        for pk, title, priority, due, at, done, parent, *project in ValuesListIterable(
            self.queryset, self.chunked_fetch, self.chunk_size
        ):
            yield TaskRow(pk, title, priority, due, at, done, parent, ProjectRow(*project))


class RowIterable(BareRowIterable):
    """Yield complete TaskRows: the list, then its tags and sub-task progress."""

    def __iter__(self):
        rows = list(super().__iter__())
        complete(rows)
        yield from rows


# The two queries that complete rows, with {} for the ids. They are written out
# because building them through the ORM, with an IN list of 50 ids each, took ten
# times longer than the database took to answer them.
TAGS_SQL = """
    SELECT link.task_id, tag.id, tag.name
    FROM todos_task_tags link JOIN todos_tag tag ON tag.id = link.tag_id
    WHERE link.task_id IN ({}) ORDER BY LOWER(tag.name), tag.id
"""
PROGRESS_SQL = """
    SELECT parent_id, COUNT(*), COUNT(completed_at) FROM todos_task
    WHERE deleted_at IS NULL AND parent_id IN ({}) GROUP BY parent_id
"""


def _read(statement: str, ids: list[int]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement.format(", ".join(["%s"] * len(ids))), ids)
        return cursor.fetchall()


def complete(rows: Iterable[TaskRow], *, tags_for: Iterable[int] = ()) -> dict:
    """Give rows their tags and sub-task progress: two queries, however many rows.

    Return the tags of the tasks in `tags_for` as well, read by the same query.
    The ids come from lists already limited to the person's own tasks.
    """
    rows = [row for row in rows if row.tag_list is None]
    tags = defaultdict(list)
    ids = [*tags_for, *(row.pk for row in rows)]
    if ids:
        for task_id, tag_id, name in _read(TAGS_SQL, ids):
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
