"""A person's calendar feed: their dated open tasks as an RFC 5545 calendar, at a secret address.

The address holds a token (`User.calendar_token`); making a new one revokes the
old address. A task with a due date is an all-day event on that day, one with a
due time too a 30-minute event at that wall-clock time in its owner's zone.

- A task repeating on schedule carries its rule (RRULE), from its current due
  date on. One repeating after completion has no schedule to give: its next
  date depends on the day it is done, so the feed shows only the occurrence due.
- Each reminder not yet fired is an alarm: "minutes before" relative to the
  start, the others at their moment in UTC. A "minutes before" reminder of a
  task without a due time has no moment, and no alarm.
- DTSTAMP is the task's last change, as RFC 5545 allows for a calendar without
  METHOD: the feed is then a function of the data alone, so its ETag can be
  the person's data version (todos.changes) instead of a digest of the body.
"""

import hashlib
import secrets
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, vDuration, vRecur

from reminders.models import Reminder
from todos.models import Project, Task
from todos.recurrence import Mode, parts_of

PRODID = "-//Ticklist//Calendar feed//EN"
# Moves when what the feed says of the same data changes, so that cached copies renew.
FORMAT = 1
TOKEN_BYTES = 32
TOKEN_MAX_LENGTH = 64
TIMED_EVENT = timedelta(minutes=30)
# How often a calendar app is asked to fetch the feed again.
REFRESH = timedelta(hours=1)
# The span of years the time zone's rules are written out for, past the last event.
ZONE_YEARS_AHEAD = 5
# What the feed holds: tasks due from this many days ago, at most this many events.
PAST_DAYS = 60
MAX_EVENTS = 1000


# The address


def token_for(user) -> str:
    """Return the person's feed token, making it the first time (any number of times at once)."""
    if not user.calendar_token:
        get_user_model().objects.filter(pk=user.pk, calendar_token="").update(
            calendar_token=secrets.token_urlsafe(TOKEN_BYTES)
        )
        user.refresh_from_db(fields=["calendar_token"])
    return user.calendar_token


def renew_token(user) -> str:
    """Give the person a new feed token: the address with the old one stops working."""
    user.calendar_token = secrets.token_urlsafe(TOKEN_BYTES)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def owner_of(token: str):
    """Return the person whose feed this token opens, or None."""
    # A lookup on the unique column: what its timing can tell is only whether a
    # row with this exact token exists, which guessing 256 bits never finds.
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return get_user_model().objects.filter(calendar_token=token).first()


def local_today(user) -> date:
    return timezone.localdate(timezone.now(), ZoneInfo(user.timezone))


def etag(user, project: Project | None) -> str:
    """Return a tag that changes whenever the feed's content may: data, zone, address, format.

    The day is in it too: the feed's window (PAST_DAYS) moves at the person's midnight.
    """
    parts = [FORMAT, user.pk, user.data_version, user.timezone, user.calendar_token]
    parts.append(local_today(user).isoformat())
    parts.append(project.pk if project else "")
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:32]


# What it shows


def tasks_for(user, project: Project | None = None) -> QuerySet:
    """Return the open dated tasks of the feed with their unfired reminders, in two queries.

    The whole feed leaves out archived projects, as the lists do; a project's own
    feed shows its tasks, archived or not.
    """
    # A calendar shows what is coming: a backlog overdue for months only slows the
    # apps that read the feed (and drawing it grows with every event), so the feed
    # holds the last PAST_DAYS and what is ahead, at most MAX_EVENTS, nearest first.
    since = local_today(user) - timedelta(days=PAST_DAYS)
    tasks = Task.objects.for_user(user).open().filter(due_date__gte=since)
    tasks = tasks.filter(project=project) if project else tasks.filter(project__is_archived=False)
    unfired = Reminder.objects.filter(owner=user, fired_at__isnull=True).order_by("pk")
    return (
        tasks.select_related("project")
        .prefetch_related(Prefetch("reminders", queryset=unfired))
        .order_by("due_date", "due_time", "pk")[:MAX_EVENTS]
    )


def calendar(user, tasks, *, name: str, origin: str, host: str) -> bytes:
    """Return the tasks as an iCalendar file: `origin` starts the links, `host` ends the UIDs."""
    zone = ZoneInfo(user.timezone)
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("x-wr-calname", name)
    feed.add("x-wr-timezone", user.timezone)
    feed.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", vDuration(REFRESH))
    days = []
    for task in tasks:
        feed.add_component(event(task, zone, origin=origin, host=host))
        if task.due_time is not None:
            days.append(task.due_date)
    if days:
        # Written out for the years the events need, not the library's default span.
        feed.add_missing_timezones(
            first_date=min(days) - timedelta(days=1),
            last_date=max(days) + timedelta(days=366 * ZONE_YEARS_AHEAD),
        )
    return feed.to_ical()


def event(task: Task, zone: ZoneInfo, *, origin: str, host: str) -> Event:
    """Return one task as an event, with its rule and its alarms."""
    link = origin + task.get_absolute_url()
    item = Event()
    item.add("uid", f"task-{task.pk}@{host}")
    item.add("dtstamp", task.updated_at.astimezone(UTC))
    item.add("last-modified", task.updated_at.astimezone(UTC))
    item.add("created", task.created_at.astimezone(UTC))
    item.add("sequence", task.version - 1)
    item.add("summary", task.title)
    item.add("description", f"{task.notes}\n\n{link}" if task.notes else link)
    item.add("url", link)
    item.add("categories", [task.project.name])
    item.add("transp", "TRANSPARENT")
    if task.due_time is None:
        item.add("dtstart", task.due_date)
        item.add("dtend", task.due_date + timedelta(days=1))
    else:
        item.add("dtstart", datetime.combine(task.due_date, task.due_time, zone))
        item.add("duration", TIMED_EVENT)
    if task.recurrence and task.recurrence_mode == Mode.SCHEDULE:
        item.add("rrule", rule(task, zone))
    for reminder in task.reminders.all():
        trigger = alarm_trigger(reminder, task, zone)
        if trigger is not None:
            item.add_component(alarm(task, trigger))
    return item


def rule(task: Task, zone: ZoneInfo) -> vRecur:
    """Return the task's rule as an RRULE from its due date (COUNT already counts from it)."""
    parts = parts_of(task.recurrence)
    if "UNTIL" in parts and task.due_time is not None:
        # With a start in a zone, UNTIL is a UTC moment: the last day's occurrence itself.
        last = date(int(parts["UNTIL"][:4]), int(parts["UNTIL"][4:6]), int(parts["UNTIL"][6:8]))
        until = datetime.combine(last, task.due_time, zone).astimezone(UTC)
        parts["UNTIL"] = until.strftime("%Y%m%dT%H%M%SZ")
    return vRecur.from_ical(";".join(f"{key}={value}" for key, value in parts.items()))


def alarm_trigger(reminder: Reminder, task: Task, zone: ZoneInfo) -> timedelta | datetime | None:
    """Return when the reminder goes off: before the start, at a UTC moment, or None."""
    if reminder.kind == Reminder.Kind.AT:
        return reminder.at.astimezone(UTC)
    if reminder.minutes_before is not None:
        if task.due_time is None:
            return None
        return -timedelta(minutes=reminder.minutes_before)
    day = task.due_date - timedelta(days=reminder.days_before)
    return datetime.combine(day, reminder.at_time or time(), zone).astimezone(UTC)


def alarm(task: Task, trigger: timedelta | datetime) -> Alarm:
    item = Alarm()
    item.add("action", "DISPLAY")
    item.add("description", task.title)
    if isinstance(trigger, datetime):
        item.add("trigger", trigger, parameters={"VALUE": "DATE-TIME"})
    else:
        item.add("trigger", trigger)
    return item
