"""The reminder clock: what the background worker does every few seconds.

`tick()` fires the reminders whose time has come, writes the daily digests that
are due, and hands every delivery waiting to be sent to the Tasks framework
(`deliver`), which sends it on its channel. Exactly once:

- firing a reminder marks it fired and makes its notification in one transaction,
  guarded by a conditional UPDATE, so of two workers only one ever fires it;
- a delivery is claimed for `CLAIM` before it is queued; a worker that dies
  between claiming and sending lets the claim run out, and the next tick queues it
  again. The task carries its claim and takes the delivery over only while that
  claim still holds, so of two tasks for one delivery only one sends it. A failed
  send is tried again with backoff (`REMINDER_RETRY_SECONDS`), then given up.

Reminders a worker outage left more than `REMINDER_GRACE` late are folded into one
"while you were away" notification per person instead of a burst of old ones.
"""

import logging
import os
import smtplib
import socket
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from reminders import links, push
from reminders.models import Delivery, Lease, Notification, Reminder
from reminders.schedule import moment_of, zone_of
from todos import changes
from todos.models import Task

logger = logging.getLogger("ticklist.reminders")

# How long a worker holds a delivery it is sending before another may try it.
CLAIM = timedelta(minutes=2)
# Reminders fired per tick; the next tick takes the rest.
BATCH = 500
# Late by more than this, a reminder says so.
LATE = timedelta(minutes=1)
TICK_LEASE = "reminders.tick"


def grace() -> timedelta:
    return timedelta(minutes=settings.REMINDER_GRACE_MINUTES)


def retry_delays() -> list[int]:
    """Return the seconds to wait before each new try of a failed delivery; then it is given up."""
    return settings.REMINDER_RETRY_SECONDS


def tick(now: datetime | None = None) -> dict[str, int]:
    """Do what is due now; return how many reminders, digests and deliveries it handled."""
    now = now or timezone.now()
    done = {"reminders": 0, "digests": 0, "deliveries": 0}
    if not hold_lease(TICK_LEASE, now=now, seconds=30):
        # Another worker's tick is running; the per-row guards make it safe anyway.
        return done
    try:
        done["reminders"] = fire_due(now)
        done["digests"] = write_digests(now)
        done["deliveries"] = queue_deliveries(now)
    finally:
        release_lease(TICK_LEASE)
    return done


def holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def hold_lease(name: str, *, now: datetime, seconds: int) -> bool:
    """Take the named lease for `seconds` unless another holder has it; True when taken."""
    until = now + timedelta(seconds=seconds)
    Lease.objects.get_or_create(name=name, defaults={"held_until": now - timedelta(seconds=1)})
    taken = Lease.objects.filter(Q(held_until__lt=now) | Q(holder=holder()), name=name).update(
        held_until=until, holder=holder()
    )
    return bool(taken)


def release_lease(name: str) -> None:
    Lease.objects.filter(name=name, holder=holder()).update(
        held_until=timezone.now() - timedelta(seconds=1)
    )


# Firing


def fire_due(now: datetime) -> int:
    """Fire the reminders whose time has come; return how many notifications that made."""
    due = list(
        Reminder.objects.filter(fired_at__isnull=True, remind_at__lte=now)
        .select_related("task__owner", "owner")
        .order_by("remind_at", "pk")[:BATCH]
    )
    away: dict[User, list[Reminder]] = defaultdict(list)
    made = 0
    for reminder in due:
        task = reminder.task
        moment = moment_of(reminder, task, zone_of(task.owner))
        if moment != reminder.remind_at:
            # The task changed and nobody resynced it: put it right, fire it when due.
            Reminder.objects.filter(pk=reminder.pk, fired_at__isnull=True).update(remind_at=moment)
            if moment is None or moment > now:
                continue
            reminder.remind_at = moment
        if now - reminder.remind_at > grace():
            away[reminder.owner].append(reminder)
            continue
        made += _fire(reminder, now)
    for user, reminders in away.items():
        made += _fire_away(user, reminders, now)
    return made


def _claim(reminders: list[Reminder], now: datetime) -> list[Reminder]:
    """Mark these reminders fired; return those this worker won (the others were taken)."""
    return [
        reminder
        for reminder in reminders
        if Reminder.objects.filter(
            pk=reminder.pk, fired_at__isnull=True, remind_at=reminder.remind_at
        ).update(fired_at=now)
    ]


@transaction.atomic
def _fire(reminder: Reminder, now: datetime) -> int:
    if not _claim([reminder], now):
        return 0
    task = reminder.task
    # Reminders are personal: on a shared task, each member sets their own.
    user = reminder.owner
    late = now - reminder.remind_at
    notification = Notification.objects.create(
        user=user,
        kind=Notification.Kind.REMINDER,
        task=task,
        reminder=reminder,
        title=task.title,
        body=when_due(task, user, late=late if late > LATE else None),
        due_at=reminder.remind_at,
        in_app=user.remind_in_app,
    )
    _plan_deliveries(notification, user, now)
    return 1


@transaction.atomic
def _fire_away(user: User, reminders: list[Reminder], now: datetime) -> int:
    won = _claim(reminders, now)
    if not won:
        return 0
    titles = [reminder.task.title for reminder in won]
    listed = "\n".join(f"• {title}" for title in titles[:20])
    more = f"\n…and {len(titles) - 20} more." if len(titles) > 20 else ""
    notification = Notification.objects.create(
        user=user,
        kind=Notification.Kind.AWAY,
        task=won[0].task if len(won) == 1 else None,
        title=(
            f"While you were away: {len(won)} reminder"
            + ("s" if len(won) != 1 else "")
            + " went past"
        ),
        body=f"Ticklist could not remind you on time of:\n{listed}{more}",
        due_at=min(reminder.remind_at for reminder in won),
        in_app=user.remind_in_app,
    )
    _plan_deliveries(notification, user, now)
    return 1


def notify(
    user: User,
    kind: str,
    *,
    title: str,
    body: str = "",
    task: Task | None = None,
    path: str = "",
    now: datetime | None = None,
) -> Notification:
    """Tell a person something (assigned a task, mentioned, invited) on the channels they chose.

    The notification is written now; email and push go out from the worker
    (`queue_deliveries`), never from the request that caused it.
    """
    now = now or timezone.now()
    notification = Notification.objects.create(
        user=user,
        kind=kind,
        task=task,
        title=title[:600],
        body=body,
        path=path,
        due_at=now,
        in_app=user.remind_in_app,
    )
    _plan_deliveries(notification, user, now)
    return notification


def when_due(task: Task, user: User, *, late: timedelta | None = None) -> str:
    """Say when the task is due, in its owner's words and zone ("Due today at 09:00")."""
    tz = zone_of(user)
    today = timezone.now().astimezone(tz).date()
    if task.due_date is None:
        words = "No due date"
    else:
        if task.due_date == today:
            day = "today"
        elif task.due_date == today + timedelta(days=1):
            day = "tomorrow"
        elif task.due_date < today:
            day = f"{(today - task.due_date).days} days ago, on {task.due_date:%a %-d %b}"
        else:
            day = f"on {task.due_date:%a %-d %b %Y}"
        words = f"Due {day}" + (f" at {task.due_time:%H:%M}" if task.due_time else "")
    if late is not None:
        minutes = int(late.total_seconds() // 60)
        words += f". Sent {minutes} minute{'s' if minutes != 1 else ''} late."
    return words


def _plan_deliveries(notification: Notification, user: User, now: datetime) -> None:
    """Queue the notification on each channel the person chose; tell their pages it came."""
    rows = []
    if user.remind_by_email and user.email:
        rows.append(Delivery(notification=notification, channel=Delivery.Channel.EMAIL))
    if user.remind_by_push and push.is_configured():
        rows += [
            Delivery(notification=notification, channel=Delivery.Channel.PUSH, subscription=sub)
            for sub in user.push_subscriptions.all()
        ]
    for row in rows:
        row.next_attempt_at = now
    Delivery.objects.bulk_create(rows)
    changes.data_changed([user.pk])
    if notification.in_app:
        User.objects.filter(pk=user.pk).update(unread_notifications=F("unread_notifications") + 1)


# Digests


def write_digests(now: datetime) -> int:
    """Make the daily digest of everyone whose digest hour has come today, once a day."""
    made = 0
    for user in User.objects.filter(digest_hour__isnull=False, is_active=True).exclude(email=""):
        local = now.astimezone(zone_of(user))
        if local.hour < user.digest_hour or user.digest_sent_on == local.date():
            continue
        made += _write_digest(user, local, now)
    return made


@transaction.atomic
def _write_digest(user: User, local: datetime, now: datetime) -> int:
    today = local.date()
    claimed = (
        User.objects.filter(pk=user.pk)
        .filter(Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=today))
        .update(digest_sent_on=today)
    )
    if not claimed:
        return 0
    tasks = list(
        Task.objects.for_user(user).open().top_level().due_by(today).select_related("project")[:51]
    )
    if not tasks:
        return 0
    overdue = [task for task in tasks if task.due_date < today]
    context = {
        "user": user,
        "today": today,
        "overdue": overdue,
        "due_today": [task for task in tasks if task.due_date == today],
        "more": len(tasks) > 50,
    }
    notification = Notification.objects.create(
        user=user,
        kind=Notification.Kind.DIGEST,
        title=f"Your day: {len(tasks) if len(tasks) <= 50 else '50+'} tasks"
        + (f", {len(overdue)} overdue" if overdue else ""),
        body=render_to_string("reminders/email/digest.txt", context),
        due_at=now,
        in_app=False,
    )
    Delivery.objects.create(
        notification=notification, channel=Delivery.Channel.EMAIL, next_attempt_at=now
    )
    return 1


# Deliveries


def queue_deliveries(now: datetime) -> int:
    """Claim the deliveries due now and queue each on the Tasks framework."""
    waiting = Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)
    waiting = waiting.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    queued = 0
    for pk in list(waiting.order_by("next_attempt_at").values_list("pk", flat=True)[:BATCH]):
        claim = now + CLAIM
        claimed = (
            Delivery.objects.filter(pk=pk, state=Delivery.State.PENDING)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .update(claimed_until=claim)
        )
        if claimed:
            deliver.enqueue(pk, claim.isoformat())
            queued += 1
    return queued


class DeliveryFailed(Exception):
    """A delivery could not be sent this time; it is tried again later or given up."""


@task()
def deliver(delivery_id: int, claim: str | None = None) -> str:
    """Send one delivery on its channel, once; on failure schedule the next try.

    `claim` is the claim the delivery was queued under. A task that waited in the
    queue until the clock queued the delivery again finds it changed and stops.
    """
    pending = Delivery.objects.filter(pk=delivery_id, state=Delivery.State.PENDING)
    if claim is not None:
        held = pending.filter(claimed_until=datetime.fromisoformat(claim))
        if not held.update(claimed_until=timezone.now() + CLAIM):
            return "already handled"
    delivery = pending.select_related(
        "notification__user", "notification__task", "subscription"
    ).first()
    if delivery is None:
        return "already handled"
    now = timezone.now()
    try:
        if delivery.channel == Delivery.Channel.EMAIL:
            _send_email(delivery.notification)
        else:
            _send_push(delivery)
    except push.SubscriptionGone:
        # The browser unsubscribed or the push service forgot it: it never comes back.
        delivery.subscription.delete()
        return "subscription gone"
    except (OSError, smtplib.SMTPException, push.PushFailed) as error:
        _failed(delivery, error, now)
        raise DeliveryFailed(str(error)) from error
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.PENDING).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), attempts=delivery.attempts + 1
    )
    return "sent"


def _failed(delivery: Delivery, error: Exception, now: datetime) -> None:
    attempts = delivery.attempts + 1
    fields = {"attempts": attempts, "last_error": str(error)[:2000], "claimed_until": None}
    delays = retry_delays()
    if attempts > len(delays):
        fields["state"] = Delivery.State.FAILED
    else:
        # A push service may ask for more patience (Retry-After) than the schedule gives.
        wait = max(delays[attempts - 1], getattr(error, "retry_after", None) or 0)
        fields["next_attempt_at"] = now + timedelta(seconds=wait)
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.PENDING).update(**fields)
    logger.warning(
        "delivery failed",
        extra={"delivery": delivery.pk, "channel": delivery.channel, "attempt": attempts},
    )


def _send_email(notification: Notification) -> None:
    user = notification.user
    context = {
        "notification": notification,
        "user": user,
        "task": notification.task,
        "site_url": settings.SITE_URL,
        "task_url": (
            links.task_url(notification.task)
            if notification.task
            else f"{settings.SITE_URL}{notification.path}"
            if notification.path
            else ""
        ),
        "actions": links.actions_for(notification),
    }
    template = {
        Notification.Kind.DIGEST: "digest",
        Notification.Kind.REMINDER: "reminder",
        Notification.Kind.AWAY: "reminder",
    }.get(notification.kind, "notice")
    subject = render_to_string(f"reminders/email/{template}_subject.txt", context)
    body = render_to_string(f"reminders/email/{template}_message.txt", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), body, to=[user.email])
    message.extra_headers["X-Ticklist-Notification"] = str(notification.pk)
    message.send()


def _send_push(delivery: Delivery) -> None:
    notification = delivery.notification
    payload = push.payload_for(
        notification, links.push_actions(notification), base_url=settings.SITE_URL
    )
    push.send(delivery.subscription, payload)
