from datetime import date, timedelta
from urllib.parse import unquote

from django import template
from django.utils.formats import time_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from todos import assignment, rows
from todos.links import object_url
from todos.memo import Memo

register = template.Library()


@register.filter
def message_actions(message) -> list[dict]:
    """Return the buttons a message offers, named in its extra tags.

    `undo:<record id>` offers Undo; `newproject:<task id>:<quoted name>` offers to
    create the project an unknown #word named and move the task there.
    """
    actions = []
    for tag in str(message.extra_tags).split():
        kind, _, rest = tag.partition(":")
        if kind == "undo" and rest.isdigit():
            actions.append({"kind": "undo", "url": object_url("todos:undo", int(rest))})
        elif kind == "newproject":
            pk, _, name = rest.partition(":")
            if pk.isdigit() and name:
                url = object_url("todos:task_new_project", int(pk))
                actions.append({"kind": "newproject", "url": url, "name": unquote(name)})
    return actions


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


@register.filter
def is_overdue(task, today: date) -> bool:
    """Tell whether an open task's day has passed."""
    return task.due_date is not None and not task.is_completed and task.due_date < today


@register.simple_tag
def due_label(task, today: date) -> str:
    label = day_label(task.due_date, today)
    if task.due_time:
        label += " " + time_format(task.due_time, "H:i")
    return label


@register.simple_tag(takes_context=True)
def task_rows(context, tasks):
    """Draw completed rows in the page's list style (`row_style`): see todos.rows.render."""
    return rows.render(
        tasks,
        context.get("row_style", rows.PLAIN),
        today=context["today"],
        planned=context["sidebar"].my_day_ids,
        team=assignment.team_of(context["request"]),
    )
