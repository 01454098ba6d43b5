"""Everything a person owns as one versioned JSON document, and their tasks as CSV.

Ids in the document are local to it (p1, g1, t1) and given in a fixed order, so
the same data always gives the same file; times are UTC in ISO 8601.
"""

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable

from django.db.models.functions import Lower

from reminders.models import Reminder
from todos.models import Comment, Completion, Membership, Project, Tag, Task

FORMAT = "ticklist"
VERSION = 1
PROFILE_FIELDS = (
    "display_name",
    "timezone",
    "week_start",
    "theme",
    "keyboard_shortcuts",
    "default_reminder",
    "remind_by_email",
    "remind_in_app",
    "remind_by_push",
    "digest_hour",
    "today_assigned_only",
)
CSV_COLUMNS = (
    "id",
    "project",
    "parent",
    "title",
    "notes",
    "due_date",
    "due_time",
    "priority",
    "tags",
    "recurrence",
    "recurrence_mode",
    "completed_at",
    "deleted_at",
    "assignee",
    "created_at",
    "updated_at",
)
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def stamp(moment) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


def day(value) -> str | None:
    return value.isoformat() if value is not None else None


def username(user) -> str | None:
    return user.get_username() if user is not None else None


def ordered_tasks(user) -> list[Task]:
    """Return the person's tasks, each project's in list order, sub-tasks after their parent."""
    tasks = list(
        Task.objects.owned_by(user)
        .select_related("assignee")
        .prefetch_related("tags")
        .order_by("position", "created_at", "pk")
    )
    children = defaultdict(list)
    for task in tasks:
        children[task.parent_id].append(task)
    ordered = []
    for task in children[None]:
        ordered.append(task)
        ordered.extend(children[task.pk])
    # A sub-task whose parent belongs to someone else cannot be: none is lost all the same.
    seen = {task.pk for task in ordered}
    ordered.extend(task for task in tasks if task.pk not in seen)
    return ordered


def document(user, *, advance: Callable[[int], None] | None = None) -> dict:
    """Return everything the person owns as a JSON-ready document."""
    advance = advance or (lambda count: None)
    projects = list(
        Project.objects.owned_by(user).order_by("-is_inbox", "position", Lower("name"))
    )
    project_ids = {project.pk: f"p{n}" for n, project in enumerate(projects, 1)}
    members = defaultdict(list)
    for membership in (
        Membership.objects.filter(project__in=projects)
        .select_related("user")
        .order_by(Lower("user__username"))
    ):
        members[membership.project_id].append(
            {"username": username(membership.user), "role": membership.role}
        )
    tags = list(Tag.objects.for_user(user).order_by(Lower("name")))
    tag_ids = {tag.pk: f"g{n}" for n, tag in enumerate(tags, 1)}
    tasks = [task for task in ordered_tasks(user) if task.project_id in project_ids]
    task_ids = {task.pk: f"t{n}" for n, task in enumerate(tasks, 1)}
    completions = defaultdict(list)
    for completion in (
        Completion.objects.filter(task__in=task_ids)
        .select_related("completed_by")
        .order_by("completed_at", "pk")
    ):
        completions[completion.task_id].append(
            {
                "completed_at": stamp(completion.completed_at),
                "due_date": day(completion.due_date),
                "completed_by": username(completion.completed_by),
            }
        )
    comments = defaultdict(list)
    for comment in (
        Comment.objects.filter(task__in=task_ids)
        .select_related("author")
        .order_by("created_at", "pk")
    ):
        comments[comment.task_id].append(
            {
                "author": username(comment.author),
                "body": comment.body,
                "created_at": stamp(comment.created_at),
                "edited_at": stamp(comment.edited_at),
            }
        )
    reminders = defaultdict(list)
    # The reminders the person set; a default one follows their preference instead.
    for reminder in Reminder.objects.filter(
        owner=user, task__in=task_ids, is_default=False
    ).order_by("created_at", "pk"):
        reminders[reminder.task_id].append(
            {
                "kind": reminder.kind,
                "at": stamp(reminder.at),
                "minutes_before": reminder.minutes_before,
                "days_before": reminder.days_before,
                "at_time": day(reminder.at_time),
            }
        )
    rows = []
    for task in tasks:
        rows.append(
            {
                "id": task_ids[task.pk],
                "project": project_ids[task.project_id],
                "parent": task_ids.get(task.parent_id),
                "title": task.title,
                "notes": task.notes,
                "due_date": day(task.due_date),
                "due_time": day(task.due_time),
                "priority": task.priority,
                "position": task.position,
                "recurrence": task.recurrence,
                "recurrence_mode": task.recurrence_mode,
                "completed_at": stamp(task.completed_at),
                "deleted_at": stamp(task.deleted_at),
                "assignee": username(task.assignee),
                "created_at": stamp(task.created_at),
                "updated_at": stamp(task.updated_at),
                "tags": sorted(
                    (tag_ids[tag.pk] for tag in task.tags.all() if tag.pk in tag_ids),
                    key=lambda id_: int(id_[1:]),
                ),
                "completions": completions[task.pk],
                "comments": comments[task.pk],
                "reminders": reminders[task.pk],
            }
        )
        advance(1)
    return {
        "format": FORMAT,
        "version": VERSION,
        "username": user.get_username(),
        "profile": {field: getattr(user, field) for field in PROFILE_FIELDS},
        "projects": [
            {
                "id": project_ids[project.pk],
                "name": project.name,
                "colour": project.colour,
                "position": project.position,
                "is_inbox": project.is_inbox,
                "is_archived": project.is_archived,
                "is_favourite": project.is_favourite,
                "created_at": stamp(project.created_at),
                "members": members[project.pk],
            }
            for project in projects
        ],
        "tags": [{"id": tag_ids[tag.pk], "name": tag.name, "colour": tag.colour} for tag in tags],
        "tasks": rows,
    }


def as_json(user, **kwargs) -> str:
    return json.dumps(document(user, **kwargs), ensure_ascii=False, indent=2) + "\n"


def safe_cell(value) -> str:
    """Return the value as a cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_csv(user, **kwargs) -> str:
    """Return one row per task, the columns of CSV_COLUMNS, names instead of ids."""
    data = document(user, **kwargs)
    projects = {project["id"]: project["name"] for project in data["projects"]}
    tags = {tag["id"]: tag["name"] for tag in data["tags"]}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for task in data["tasks"]:
        row = {
            **task,
            "project": projects[task["project"]],
            "tags": " ".join(tags[id_] for id_ in task["tags"]),
        }
        writer.writerow([safe_cell(row[column]) for column in CSV_COLUMNS])
    return out.getvalue()
