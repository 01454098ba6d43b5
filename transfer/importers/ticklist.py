"""Read a Ticklist JSON export (transfer.export) back into a Plan."""

import json
from datetime import date, datetime, time

from accounts.models import Theme, Weekday
from todos.models import Colour
from transfer.export import FORMAT, PROFILE_FIELDS, VERSION
from transfer.plan import Plan, PlannedTask, Problem, Unreadable


def _moment(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _day(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _clock(value) -> time | None:
    try:
        return time.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _int(value, default=None):
    return (
        value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default
    )


def _profile(data) -> dict:
    profile = {}
    valid = {
        "theme": set(Theme.values),
        "week_start": set(Weekday.values),
        "digest_hour": {None, *range(24)},
        "default_reminder": {None, 0, 10, 30, 60},
    }
    for name in PROFILE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in valid and value not in valid[name]:
            continue
        if name in ("display_name", "timezone") and not isinstance(value, str):
            continue
        if name.startswith(("remind_by", "remind_in", "keyboard", "today")) and not isinstance(
            value, bool
        ):
            continue
        profile[name] = value
    return profile


def read(text: str, **context) -> Plan:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise Unreadable(
            f"The file is not valid JSON (line {error.lineno}: {error.msg})."
        ) from None
    except RecursionError:
        raise Unreadable("The file is not valid JSON (nested too deeply).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Unreadable('This is not a Ticklist export: it has no "format": "ticklist".')
    if data.get("version") != VERSION:
        raise Unreadable(
            f"This export is version {data.get('version')!r}; Ticklist reads version {VERSION}."
        )
    for key in ("projects", "tags", "tasks"):
        if not isinstance(data.get(key, []), list):
            raise Unreadable(f'The export\'s "{key}" is not a list.')
    plan = Plan()
    if isinstance(data.get("profile"), dict):
        plan.profile = _profile(data["profile"])
    me = data.get("username")
    projects = {}
    for n, item in enumerate(data.get("projects", []), 1):
        if not isinstance(item, dict):
            plan.problems.append(Problem(0, f"Project {n} is not an object: skipped."))
            continue
        name = plan.project(_text(item.get("name")) if not item.get("is_inbox") else "")
        project = plan.projects[name]
        colour = item.get("colour")
        project.colour = colour if colour in Colour.values else Colour.GREY
        project.position = _int(item.get("position"))
        project.is_archived = item.get("is_archived") is True
        project.is_favourite = item.get("is_favourite") is True
        project.created_at = _moment(item.get("created_at"))
        if item.get("members"):
            plan.notices.append(
                f"“{name}” was shared with {len(item['members'])} people: invite them again."
            )
        projects[item.get("id")] = name
    tags = {}
    for item in data.get("tags", []):
        if isinstance(item, dict) and (name := plan.tag(_text(item.get("name")))):
            colour = item.get("colour")
            plan.tags[name] = colour if colour in Colour.values else Colour.GREY
            tags[item.get("id")] = name
    tasks = {}
    for n, item in enumerate(data.get("tasks", []), 1):
        if not isinstance(item, dict):
            plan.problems.append(Problem(0, f"Task {n} is not an object: skipped."))
            continue
        project = projects.get(item.get("project")) or plan.project("")
        parent = tasks.get(item.get("parent"))
        task = PlannedTask(
            line=0,
            title=_text(item.get("title")),
            project=project,
            parent=parent,
            notes=_text(item.get("notes")),
            due_date=_day(item.get("due_date")),
            due_time=_clock(item.get("due_time")),
            priority=_int(item.get("priority"), 4),
            tags=[tags[id_] for id_ in item.get("tags") or [] if id_ in tags],
            recurrence=_text(item.get("recurrence")),
            recurrence_mode=_text(item.get("recurrence_mode")),
            position=_int(item.get("position")),
            completed_at=_moment(item.get("completed_at")),
            deleted_at=_moment(item.get("deleted_at")),
            created_at=_moment(item.get("created_at")),
            updated_at=_moment(item.get("updated_at")),
            assigned_to_me=bool(me) and item.get("assignee") == me,
        )
        for completion in item.get("completions") or []:
            if isinstance(completion, dict) and (at := _moment(completion.get("completed_at"))):
                task.completions.append(
                    {
                        "completed_at": at,
                        "due_date": _day(completion.get("due_date")),
                        "mine": bool(me) and completion.get("completed_by") == me,
                    }
                )
        for comment in item.get("comments") or []:
            if isinstance(comment, dict) and (body := _text(comment.get("body")).strip()):
                task.comments.append(
                    {
                        "body": body[:5000],
                        "mine": bool(me) and comment.get("author") == me,
                        "created_at": _moment(comment.get("created_at")),
                        "edited_at": _moment(comment.get("edited_at")),
                    }
                )
        for reminder in item.get("reminders") or []:
            if isinstance(reminder, dict) and (when := _reminder(reminder)):
                task.reminders.append(when)
        index = plan.add(task)
        if index is not None and isinstance(item.get("id"), str):
            tasks[item["id"]] = index
    return plan


def _reminder(item: dict) -> dict | None:
    if item.get("kind") == "at" and (at := _moment(item.get("at"))):
        return {"at": at}
    if item.get("kind") == "before":
        if (minutes := _int(item.get("minutes_before"))) is not None:
            return {"minutes_before": minutes}
        days, at_time = _int(item.get("days_before")), _clock(item.get("at_time"))
        if days is not None and at_time is not None and days < 32768:
            return {"days_before": days, "at_time": at_time}
    return None
