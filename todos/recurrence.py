"""Repeating tasks: a rule stored as an RFC 5545 RRULE, computed with python-dateutil.

A rule is the RRULE value without its "RRULE:" prefix ("FREQ=WEEKLY;BYDAY=TU").
Its occurrences are calendar days: a repeating task keeps its due time, in its
owner's zone, whichever day it moves to. Two modes:

- on schedule: the next date follows the rule from the first one (the anchor, the
  rule's DTSTART), whatever day the task was done on;
- after completion: the next date follows the rule from the day it was done.

Every computation is bounded: a rule that never matches again ("every Feb 30")
stops at `HORIZON` instead of walking the calendar to the year 9999.
"""

import calendar
import contextlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrulestr

from todos.dates import LATEST_DUE, in_due_range

# What the rule's parts may be: the frequencies people plan with, nothing finer.
FREQUENCIES = {"DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}
PARTS = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "COUNT", "UNTIL"}
PARTS |= {"WKST"}
MAX_INTERVAL = 999
MAX_COUNT = 999
MAX_LENGTH = 500
# How far ahead the next occurrence is looked for: leap days come back within 8 years.
HORIZON = timedelta(days=366 * 10)
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = dict(zip(DAY_CODES, calendar.day_name, strict=True))
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
WEEKEND = ("SA", "SU")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
ORDINALS |= {-2: "second to last"}
UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


class Mode:
    SCHEDULE = "schedule"
    COMPLETION = "completion"
    CHOICES = [(SCHEDULE, "On schedule"), (COMPLETION, "After completion")]


class InvalidRule(ValueError):
    """The text is not a rule Ticklist can repeat a task by; the message says why."""


@dataclass(frozen=True)
class Repeat:
    """A repeating rule as quick add and the form read it: the RRULE and its mode."""

    rule: str
    mode: str = Mode.SCHEDULE

    @property
    def after_completion(self) -> bool:
        return self.mode == Mode.COMPLETION

    def describe(self) -> str:
        return describe(self.rule, self.mode)


def parts_of(rule: str) -> dict[str, str]:
    """Return the rule's parts by name ("FREQ" → "WEEKLY"), uppercase, without checking them."""
    rule = rule.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    parts = {}
    for piece in rule.split(";"):
        name, _, value = piece.partition("=")
        if name.strip():
            parts[name.strip().upper()] = value.strip().upper()
    return parts


def join(parts: dict[str, str]) -> str:
    """Return the parts as an RRULE value, FREQ first as RFC 5545 recommends."""
    order = ["FREQ", *sorted(name for name in parts if name != "FREQ")]
    return ";".join(f"{name}={parts[name]}" for name in order if name in parts)


def _number(value: str, low: int, high: int, what: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise InvalidRule(f"{what} must be a whole number.") from None
    if not low <= number <= high:
        raise InvalidRule(f"{what} must be between {low} and {high}.")
    return number


def normalise(rule: str) -> str:
    """Return the rule in its canonical form, or raise InvalidRule saying what is wrong."""
    if len(rule) > MAX_LENGTH:
        raise InvalidRule(f"A rule is at most {MAX_LENGTH} characters.")
    parts = parts_of(rule)
    if not parts:
        raise InvalidRule("The rule is empty.")
    unknown = sorted(set(parts) - PARTS)
    if unknown:
        raise InvalidRule(f"Ticklist does not repeat by {', '.join(unknown)}.")
    if parts.get("FREQ") not in FREQUENCIES:
        raise InvalidRule("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY.")
    if "INTERVAL" in parts:
        parts["INTERVAL"] = str(_number(parts["INTERVAL"], 1, MAX_INTERVAL, "INTERVAL"))
        if parts["INTERVAL"] == "1":
            del parts["INTERVAL"]
    if "COUNT" in parts:
        parts["COUNT"] = str(_number(parts["COUNT"], 1, MAX_COUNT, "COUNT"))
    if "COUNT" in parts and "UNTIL" in parts:
        raise InvalidRule("A rule ends by COUNT or by UNTIL, not both.")
    if "UNTIL" in parts:
        parts["UNTIL"] = _until(parts["UNTIL"]).strftime("%Y%m%d")
    text = join(parts)
    try:
        rrulestr(text, dtstart=datetime.combine(date(2026, 1, 1), time()))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        raise InvalidRule(f"This is not a valid RRULE ({error}).") from None
    return text


def _until(value: str) -> date:
    try:
        day = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise InvalidRule("UNTIL must be a date such as 20261231.") from None
    if not in_due_range(day):
        raise InvalidRule("UNTIL must be between 1900 and 2200.")
    return day


def _rrule(rule: str, start: date, after: date | None = None):
    """Return the dateutil rule from `start`, bounded so that iterating it always ends.

    The bound is `HORIZON` past `after` (or the start), so a task long overdue still
    finds its next date rather than ending.
    """
    parts = parts_of(rule)
    latest = max(start, after or start)
    limit = latest + HORIZON if latest < LATEST_DUE - HORIZON else LATEST_DUE
    if "COUNT" not in parts:
        until = _until(parts["UNTIL"]) if "UNTIL" in parts else limit
        parts["UNTIL"] = min(until, limit).strftime("%Y%m%d")
    return rrulestr(join(parts), dtstart=datetime.combine(start, time()))


def next_date(rule: str, *, start: date, after: date) -> date | None:
    """Return the first occurrence strictly after `after`, or None once the rule has ended."""
    found = _rrule(rule, start, after).after(datetime.combine(after, time()), inc=False)
    if found is None or not in_due_range(found.date()):
        return None
    return found.date()


def first_date(rule: str, *, on_or_after: date) -> date | None:
    """Return the rule's first occurrence from `on_or_after` on: a new task's first due date."""
    return next_date(rule, start=on_or_after, after=on_or_after - timedelta(days=1))


def dates(rule: str, *, start: date, after: date, count: int = 5) -> list[date]:
    """Return up to `count` occurrences strictly after `after`."""
    moments = _rrule(rule, start, after).xafter(
        datetime.combine(after, time()), count=count, inc=False
    )
    return [moment.date() for moment in moments if in_due_range(moment.date())]


@dataclass(frozen=True)
class Next:
    """Where a repeating task goes once an occurrence is done: its date and what is left of the rule."""

    due_date: date
    rule: str


def advance(rule: str, mode: str, *, due: date | None, today: date) -> Next | None:
    """Return the task's next occurrence, always after today; None once the rule has ended.

    On schedule the rule runs from the due date, so a daily task five days overdue
    moves to tomorrow rather than to four more overdue copies; after completion it
    runs from today. A COUNT holds the occurrences left, the current one included:
    every occurrence passed over uses one up.
    """
    start = today if mode == Mode.COMPLETION or due is None else due
    found = next_date(rule, start=start, after=max(start, today))
    if found is None:
        return None
    parts = parts_of(rule)
    if "COUNT" in parts:
        # COUNT is at most MAX_COUNT, so listing the occurrences from the start is bounded.
        passed = sum(1 for day in _rrule(rule, start) if day.date() < found)
        left = int(parts["COUNT"]) - max(passed, 1)
        if left < 1:
            return None
        rule = join(parts | {"COUNT": str(left)})
    return Next(found, rule)


# Plain words


def _day_list(codes: list[str]) -> str:
    names = [DAY_NAMES[code] for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _ordinal_day(number: int) -> str:
    if number == -1:
        return "last day"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10)
    return f"{number}{suffix or 'th'}"


def _weekday_phrase(code: str) -> str:
    """Return "Friday" for "FR" and "last Friday" for "-1FR"."""
    number, day = code[:-2], code[-2:]
    if not number:
        return DAY_NAMES[day]
    return f"{ORDINALS.get(int(number), _ordinal_day(int(number)))} {DAY_NAMES[day]}"


def describe(rule: str, mode: str = Mode.SCHEDULE) -> str:
    """Say the rule in plain words: "Every 2 weeks on Tuesday, until 31 Dec 2026"."""
    parts = parts_of(rule)
    freq = parts.get("FREQ", "")
    unit = UNITS.get(freq, "time")
    interval = int(parts.get("INTERVAL", "1") or 1)
    days = [code for code in parts.get("BYDAY", "").split(",") if code]
    month_days = [
        int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d.lstrip("-").isdigit()
    ]
    months = [
        int(m) for m in parts.get("BYMONTH", "").split(",") if m.isdigit() and 0 < int(m) < 13
    ]
    words = _every(unit, interval)
    if freq in ("DAILY", "WEEKLY") and days and not any(c[:-2] for c in days):
        if sorted(days) == sorted(WEEKDAYS) and interval == 1:
            words = "Every weekday"
        elif sorted(days) == sorted(WEEKEND) and interval == 1:
            words = "Every weekend"
        elif freq == "WEEKLY" and interval == 1:
            words = f"Every {_day_list(_in_week_order(days))}"
        elif freq == "WEEKLY" and interval == 2 and len(days) == 1:
            words = f"Every other {_day_list(days)}"
        else:
            words += f" on {_day_list(_in_week_order(days))}"
    elif days:
        words += " on the " + " and ".join(_weekday_phrase(code) for code in days)
    if month_days and freq in ("MONTHLY", "YEARLY") and not months:
        words += " on the " + " and ".join(_ordinal_day(d) for d in month_days)
    if months:
        names = " and ".join(calendar.month_abbr[m] for m in months)
        if month_days:
            words = (
                f"Every {names} {', '.join(str(d) for d in month_days)}"
                if interval == 1
                else f"{words} on {names} {', '.join(str(d) for d in month_days)}"
            )
        else:
            words += f" in {names}"
    if mode == Mode.COMPLETION:
        words += " after completion"
    if "UNTIL" in parts:
        with contextlib.suppress(InvalidRule):
            words += ", until " + _until(parts["UNTIL"]).strftime("%-d %b %Y")
    elif "COUNT" in parts:
        count = parts["COUNT"]
        words += ", last time" if count == "1" else f", {count} times left"
    return words


def _every(unit: str, interval: int) -> str:
    if interval == 1:
        return f"Every {unit}"
    if interval == 2:
        return f"Every other {unit}"
    return f"Every {interval} {unit}s"


def _in_week_order(codes: list[str]) -> list[str]:
    return sorted(codes, key=lambda code: DAY_CODES.index(code) if code in DAY_CODES else 7)
