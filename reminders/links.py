"""Links in reminders: to the task, and signed one-time links that complete or snooze it.

Mail scanners follow links, so an action link only opens a page with one button;
the button does it. The token names the notification and the action, expires
after `MAX_AGE` and works once (`UsedLink`), without a session: whoever holds the
message may act on that one task, and on nothing else.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from reminders.models import Notification, UsedLink

SALT = "reminders.links.action"
MAX_AGE = timedelta(days=7)
# What a message offers: email has a link for each, a browser notification a
# Complete and a Snooze button (whose page then offers the three snoozes).
ACTIONS = {
    "complete": "Complete",
    "10m": "Snooze 10 minutes",
    "1h": "Snooze 1 hour",
    "morning": "Snooze until tomorrow morning",
    "snooze": "Snooze",
}
SNOOZES = ("10m", "1h", "morning")
IN_EMAIL = ("complete", *SNOOZES)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def task_url(task) -> str:
    return absolute(task.get_absolute_url())


def token_for(notification: Notification, action: str) -> str:
    return signing.dumps({"n": notification.pk, "a": action}, salt=SALT, compress=True)


def action_url(notification: Notification, action: str) -> str:
    return absolute(reverse("reminders:act", args=[token_for(notification, action)]))


def actions_for(notification: Notification) -> list[tuple[str, str, str]]:
    """Return (action, label, absolute URL) for what the message offers; none without a task."""
    if notification.task_id is None or notification.kind != Notification.Kind.REMINDER:
        return []
    return [(action, ACTIONS[action], action_url(notification, action)) for action in IN_EMAIL]


def push_actions(notification: Notification) -> dict[str, str]:
    """Return the links behind a browser notification's Complete and Snooze buttons."""
    if notification.task_id is None or notification.kind != Notification.Kind.REMINDER:
        return {}
    return {action: action_url(notification, action) for action in ("complete", "snooze")}


def read(token: str) -> tuple[Notification, str] | None:
    """Return the notification and action a token stands for, or None if it is not valid now."""
    try:
        claim = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(claim, dict) or claim.get("a") not in ACTIONS:
        return None
    notification = (
        Notification.objects.filter(pk=claim.get("n"), task__isnull=False)
        .select_related("task__owner", "user")
        .first()
    )
    if notification is None or used(token):
        return None
    return notification, claim["a"]


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def used(token: str) -> bool:
    return UsedLink.objects.filter(digest=digest(token)).exists()


def use(token: str) -> bool:
    """Spend the token; False when it was spent already (a second click, another tab)."""
    try:
        with transaction.atomic():
            UsedLink.objects.create(digest=digest(token))
    except IntegrityError:
        return False
    return True
