"""When reminders go off: computed from their task, and kept in step with it.

Every write that moves, completes, reopens, deletes or restores tasks calls
`resync(task_ids)`: a reminder relative to the due time moves with it (and may
go off again once its task moved on to a new occurrence), and one of a task
that is done or in the trash is put aside (`remind_at` empty) until it is open
again. The worker checks again before firing anything, so a write that forgot
to resync can delay a reminder but never send a wrong one.
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from reminders.models import Reminder
from todos import changes
from todos.models import Task

# What "tomorrow morning" and "1 day before at 9am" mean.
MORNING = time(9)


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def zone_of(user) -> ZoneInfo:
    return zone_named(user.timezone)


def due_moment(task: Task, tz: ZoneInfo) -> datetime | None:
    """Return when the task is due, as an aware moment, or None without a due time."""
    if task.due_date is None or task.due_time is None:
        return None
    return datetime.combine(task.due_date, task.due_time, tzinfo=tz)


def moment_of(reminder: Reminder, task: Task, tz: ZoneInfo) -> datetime | None:
    """Return when the reminder should go off for the task as it is now, or None."""
    if task.completed_at is not None or task.deleted_at is not None:
        return None
    if reminder.kind == Reminder.Kind.AT:
        return reminder.at
    if reminder.minutes_before is not None:
        due = due_moment(task, tz)
        if due is None:
            return None
        # Through UTC, so "30 minutes before" is 30 real minutes across a clock change.
        return due.astimezone(ZoneInfo("UTC")) - timedelta(minutes=reminder.minutes_before)
    if task.due_date is None or reminder.days_before is None or reminder.at_time is None:
        return None
    day = task.due_date - timedelta(days=reminder.days_before)
    return datetime.combine(day, reminder.at_time, tzinfo=tz)


@transaction.atomic
def resync(task_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Recompute the reminders of these tasks after they changed; return how many moved.

    A reminder whose moment changes goes off again at the new one, unless that is
    already past: moving a due date back never sets off a flood of old reminders.
    Gives a task with a due time the owner's default reminder when it has none.
    """
    now = now or timezone.now()
    ids = list(task_ids)
    if not ids:
        return 0
    tasks = {
        task.pk: task
        for task in Task.objects.filter(pk__in=ids)
        .select_related("owner")
        .only(
            "pk",
            "due_date",
            "due_time",
            "completed_at",
            "deleted_at",
            "owner__timezone",
            "owner__default_reminder",
        )
    }
    _add_defaults(tasks.values())
    moved = 0
    for reminder in Reminder.objects.filter(task__in=tasks).order_by("pk"):
        task = tasks[reminder.task_id]
        moment = moment_of(reminder, task, zone_of(task.owner))
        if moment == reminder.remind_at:
            continue
        fields = {"remind_at": moment}
        if moment is not None and moment > now:
            fields["fired_at"] = None
        Reminder.objects.filter(pk=reminder.pk).update(**fields)
        moved += 1
    if moved:
        changes.data_changed({task.owner_id for task in tasks.values()})
    return moved


def _add_defaults(tasks: Iterable[Task]) -> None:
    wanting = [
        task
        for task in tasks
        if task.owner.default_reminder is not None
        and task.due_time is not None
        and task.completed_at is None
        and task.deleted_at is None
    ]
    if not wanting:
        return
    have = set(
        Reminder.objects.filter(task__in=wanting).values_list("task_id", flat=True).distinct()
    )
    Reminder.objects.bulk_create(
        Reminder(
            task=task,
            owner_id=task.owner_id,
            kind=Reminder.Kind.BEFORE,
            minutes_before=task.owner.default_reminder,
            is_default=True,
        )
        for task in wanting
        if task.pk not in have
    )


def add(task: Task, *, owner=None, **when) -> Reminder:
    """Give the task a reminder (`at=`, `minutes_before=`, or `days_before=` with `at_time=`).

    It reminds `owner` (by default the task's): on a shared task each member sets their own.
    """
    kind = Reminder.Kind.AT if "at" in when else Reminder.Kind.BEFORE
    owner_id = owner.pk if owner is not None else task.owner_id
    reminder = Reminder.objects.create(task=task, owner_id=owner_id, kind=kind, **when)
    changes.data_changed([owner_id])
    resync([task.pk])
    reminder.refresh_from_db()
    return reminder


def remove(reminder: Reminder) -> None:
    owner_id = reminder.owner_id
    reminder.delete()
    changes.data_changed([owner_id])


def snooze_until(choice: str, *, now: datetime, tz: ZoneInfo) -> datetime | None:
    """Return the moment a snooze choice ("10m", "1h", "morning") stands for."""
    if choice == "10m":
        return now + timedelta(minutes=10)
    if choice == "1h":
        return now + timedelta(hours=1)
    if choice == "morning":
        tomorrow = now.astimezone(tz).date() + timedelta(days=1)
        return datetime.combine(tomorrow, MORNING, tzinfo=tz)
    return None


def apply_default(user) -> None:
    """Bring the default reminders of a person's open, timed tasks in line with their setting."""
    Reminder.objects.filter(owner=user, is_default=True, fired_at__isnull=True).delete()
    today = timezone.localdate(timezone.now(), zone_of(user))
    ids = list(
        Task.objects.for_user(user)
        .open()
        .filter(due_time__isnull=False, due_date__gte=today)
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), 500):
        resync(ids[start : start + 500])
    changes.data_changed([user.pk])
