import hashlib
from datetime import date, timedelta

from django import template
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from todos.memo import Memo

register = template.Library()


@register.filter
def undo_pk(message) -> str:
    """Return the id of the trashed task a message offers to restore, or ''."""
    for tag in str(message.extra_tags).split():
        if tag.startswith("undo-") and tag[5:].isdigit():
            return tag[5:]
    return ""


# The same few lists (a person's projects, tags, the fixed filters) with one of
# their values chosen, over and over; keyed by all of that, so never stale.
rendered_options = Memo(1000)


@register.simple_tag
def options(choices, selected=None) -> str:
    """Render <option>s from (value, label) pairs or projects, the `selected` value marked.

    A template loop comparing each option with the chosen value cost more than
    the rest of the search page's form.
    """
    pairs = tuple(
        (str(choice.pk), choice.name) if hasattr(choice, "pk") else tuple(map(str, choice))
        for choice in choices
    )
    key = (pairs, "" if selected is None else str(selected))
    html = rendered_options.get_many([key]).get(key)
    if html is None:
        html = "".join(
            f'<option value="{escape(value)}"{" selected" if value == key[1] else ""}>'
            f"{escape(label)}</option>"
            for value, label in pairs
        )
        rendered_options.set_many({key: html})
    return mark_safe(html)  # noqa: S308  (every value and label is escaped)


@register.simple_tag
def day_label(day: date, today: date) -> str:
    """Name a day the way people say it: Today, Tomorrow, Friday, or a date."""
    if day == today:
        return "Today"
    if day == today + timedelta(days=1):
        return "Tomorrow"
    if day == today - timedelta(days=1):
        return "Yesterday"
    if today < day < today + timedelta(days=7):
        return day.strftime("%A")
    if day.year == today.year:
        return day.strftime("%a %-d %b")
    return day.strftime("%-d %b %Y")


@register.simple_tag
def due_label(task, today: date) -> str:
    label = day_label(task.due_date, today)
    if task.due_time:
        label += " " + time_format(task.due_time, "H:i")
    return label


ROW_TEMPLATE = "todos/_task_row.html"
# About 2 KB a row: at most 10 MB a process, room for many people's busy lists.
rendered_rows = Memo(5000)


def row_key(task, page: tuple) -> tuple:
    """Name a row's HTML by everything it shows, so a change anywhere makes a new name.

    `page` holds what the rows of one list share. The row carries no CSRF token or
    nonce, only the task's own data, so the HTML is the same whenever these are.
    """
    return (
        page,
        task.pk,
        task.title,
        task.priority,
        task.due_date,
        task.due_time,
        task.completed_at,
        task.project,
        task.tag_list,
        task.subtask_count,
        task.done_subtask_count,
    )


@register.simple_tag(takes_context=True)
def task_rows(context, tasks):
    """Render completed rows (`todos.rows.complete`) through _task_row.html, reusing unchanged HTML.

    Rendering rows was most of a list page's time. The HTML is kept in each
    process's memory, keyed by everything the row shows (`row_key`).
    """
    row = context.template.engine.get_template(ROW_TEMPLATE)
    page = (
        hashlib.blake2b(row.source.encode(), digest_size=8).digest(),
        get_script_prefix(),
        timezone.get_current_timezone_name(),
        context.get("today"),
        bool(context.get("bulk")),
        bool(context.get("reorderable")),
        bool(context.get("show_project")),
    )
    tasks = list(tasks)
    keys = [row_key(task, page) for task in tasks]
    html = rendered_rows.get_many(keys)
    fresh = {}
    for key, task in zip(keys, tasks, strict=True):
        if key not in html:
            with context.push(task=task):
                fresh[key] = html[key] = row.render(context)
    if fresh:
        rendered_rows.set_many(fresh)
    return mark_safe("".join(html[key] for key in keys))  # noqa: S308  (rendered templates)
