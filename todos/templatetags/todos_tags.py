from datetime import date, timedelta

from django import template
from django.utils.formats import time_format

register = template.Library()


@register.filter
def undo_pk(message) -> str:
    """Return the id of the trashed task a message offers to restore, or ''."""
    for tag in str(message.extra_tags).split():
        if tag.startswith("undo-") and tag[5:].isdigit():
            return tag[5:]
    return ""


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
