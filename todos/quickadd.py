"""Quick add: one line of text becomes a task's title, date, time, priority, project and tags.

`parse` is a pure function of its arguments and never raises, whatever the text.
"""

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_TITLE = 500
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
UNITS = {"day": "days", "days": "days", "week": "weeks", "weeks": "weeks"}
UNITS |= {"month": "months", "months": "months"}

PRIORITY = re.compile(r"[p!]([1-4])", re.IGNORECASE)
TAG = re.compile(r"@([\w-]{1,50})")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
DAY_OF_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?", re.IGNORECASE)
CLOCK_12 = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm)", re.IGNORECASE)
CLOCK_24 = re.compile(r"(\d{1,2}):(\d{2})")
NUMBER = re.compile(r"\d{1,6}")
# Quoted text is swapped for a private-use placeholder while the rest is parsed.
QUOTED = re.compile(r'"([^"]*)"')
PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
HIDDEN_CHARACTERS = re.compile("[\x00\ue000\ue001]")


@dataclass(frozen=True)
class QuickAdd:
    title: str
    due_date: date | None = None
    due_time: time | None = None
    priority: int = 4
    project: str | None = None
    tags: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    unknown_projects: tuple[str, ...] = ()
    phrases: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


class _Words:
    """The line's words, and which of them the grammar has used up."""

    def __init__(self, words: list[str]):
        self.words = words
        self.used = [False] * len(words)

    def __len__(self) -> int:
        return len(self.words)

    def get(self, index: int) -> str:
        """Return the lowercased word at index, or '' past the end or once used."""
        if 0 <= index < len(self.words) and not self.used[index]:
            return self.words[index].lower()
        return ""

    def use(self, start: int, count: int) -> None:
        for index in range(start, start + count):
            self.used[index] = True

    def unused(self) -> list[str]:
        return [word for word, used in zip(self.words, self.used, strict=True) if not used]


def parse(
    text: str,
    now: datetime,
    tz: ZoneInfo,
    projects: Iterable[str],
    week_start: int = 0,
) -> QuickAdd:
    """Read one line of quick add; problems come back as `errors`, never as exceptions."""
    try:
        return _parse(str(text), now, tz, list(projects), week_start)
    except (ValueError, OverflowError, TypeError) as error:  # a last resort: never a 500
        return QuickAdd(title=" ".join(str(text).split())[:MAX_TITLE], errors=(str(error),))


def _parse(text: str, now: datetime, tz: ZoneInfo, projects: list[str], week_start: int):
    local = now.astimezone(tz)
    today = local.date()
    quotes: list[str] = []

    def hide(match: re.Match) -> str:
        quotes.append(match.group(1))
        return f" \ue000{len(quotes) - 1}\ue001 "

    words = _Words(QUOTED.sub(hide, HIDDEN_CHARACTERS.sub("", text)).split())
    errors: list[str] = []
    due_date = due_time = None
    priority = 4
    project = None
    tags: dict[str, str] = {}
    by_name = {name.lower(): name for name in projects}

    index = 0
    while index < len(words):
        word = words.get(index)
        if not word or PLACEHOLDER.search(word):
            index += 1
            continue
        if word.startswith("#") and len(word) > 1:
            taken = _project(words, index, by_name)
            if project is not None:
                errors.append("Only one #project per task.")
                words.use(index, 1)
            elif taken is None:
                errors.append(
                    f"No project called “{words.words[index][1:]}”. "
                    "Create it first, or pick one of yours."
                )
                words.use(index, 1)
            else:
                project, count = taken
                words.use(index, count)
            index += 1
            continue
        if tag := TAG.fullmatch(words.words[index]):
            tags.setdefault(tag.group(1).lower(), tag.group(1))
            words.use(index, 1)
        elif level := PRIORITY.fullmatch(word):
            priority = int(level.group(1))
            words.use(index, 1)
        elif due_date is None and (found := _date(words, index, today, week_start)):
            due_date, count, error = found
            if error:
                errors.append(error)
            words.use(index, count)
        elif due_time is None and (found := _time(words, index)):
            due_time, count = found
            words.use(index, count)
        index += 1

    if due_time is not None and due_date is None:
        passed = due_time < local.time().replace(tzinfo=None)
        due_date = today + timedelta(days=1) if passed else today

    title = " ".join(" ".join(words.unused()).split())
    title = PLACEHOLDER.sub(lambda match: quotes[int(match.group(1))], title)
    title = " ".join(title.split())
    if not title:
        errors.append("A task needs a title: type what to do as well as when.")
    elif len(title) > MAX_TITLE:
        errors.append(f"Keep the title under {MAX_TITLE} characters.")
    return QuickAdd(
        title=title,
        due_date=due_date,
        due_time=due_time,
        priority=priority,
        project=project,
        tags=tuple(tags.values()),
        errors=tuple(errors),
    )


def _project(words: _Words, index: int, by_name: dict[str, str]) -> tuple[str, int] | None:
    """Match the longest existing project name that follows '#'; names may have spaces."""
    for end in range(len(words), index, -1):
        if not all(words.get(i) for i in range(index, end)):
            continue
        candidate = " ".join(words.words[index:end])[1:].lower()
        if candidate in by_name:
            return by_name[candidate], end - index
    return None


def _date(words: _Words, index: int, today: date, week_start: int):
    """Return (date, words used, error or None) for a date phrase at index, or None."""
    word = words.get(index)
    if word == "on" and (found := _date(words, index + 1, today, week_start)):
        day, count, error = found
        return day, count + 1, error
    following = words.get(index + 1)
    if word in ("today", "tod"):
        return today, 1, None
    if word in ("tomorrow", "tmr", "tmrw"):
        return today + timedelta(days=1), 1, None
    if word in WEEKDAYS:
        return _next_weekday(today, WEEKDAYS[word]), 1, None
    if word == "next":
        if following in WEEKDAYS:
            return _next_weekday(today, WEEKDAYS[following]), 2, None
        if following == "week":
            return _next_weekday(today, week_start % 7), 2, None
        if following == "month":
            return _add_months(today, 1), 2, None
        return None
    if word == "in" and NUMBER.fullmatch(following) and words.get(index + 2) in UNITS:
        amount, unit = int(following), UNITS[words.get(index + 2)]
        try:
            if unit == "months":
                return _add_months(today, amount), 3, None
            return today + timedelta(**{unit: amount}), 3, None
        except (OverflowError, ValueError):
            return today, 3, f"“in {following} {words.get(index + 2)}” is too far away."
    if iso := ISO_DATE.fullmatch(word):
        try:
            return date(*map(int, iso.groups())), 1, None
        except ValueError:
            return None, 1, f"“{words.words[index]}” is not a date."
    return _month_day(words, index, today)


def _month_day(words: _Words, index: int, today: date):
    """Match 'Dec 24', '24 Dec', 'December 24th' or '24th December'."""
    word, following = words.get(index), words.get(index + 1)
    if word in MONTHS and (day := DAY_OF_MONTH.fullmatch(following)):
        month, number = MONTHS[word], int(day.group(1))
    elif following in MONTHS and (day := DAY_OF_MONTH.fullmatch(word)):
        month, number = MONTHS[following], int(day.group(1))
    else:
        return None
    phrase = f"{words.words[index]} {words.words[index + 1]}"
    for year in range(today.year, today.year + 9):
        # Feb 29 may be up to eight years away (2096 to 2104).
        if number <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, number)
            if candidate >= today:
                return candidate, 2, None
    return None, 2, f"“{phrase}” is not a date."


def _next_weekday(today: date, weekday: int) -> date:
    """Return the next such weekday, never today itself."""
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _add_months(day: date, months: int) -> date:
    """Return the same day `months` later, or the month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _time(words: _Words, index: int) -> tuple[time, int] | None:
    """Return (time, words used) for a time phrase at index, or None."""
    word = words.get(index)
    if word == "at" and (found := _time(words, index + 1)):
        return found[0], found[1] + 1
    if word == "noon":
        return time(12), 1
    if word == "midnight":
        return time(0), 1
    following = words.get(index + 1)
    if following in ("am", "pm") and (clock := _clock_12(word + following)):
        return clock, 2
    if clock := _clock_12(word):
        return clock, 1
    if match := CLOCK_24.fullmatch(word):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute), 1
    return None


def _clock_12(word: str) -> time | None:
    match = CLOCK_12.fullmatch(word)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if not 1 <= hour <= 12 or minute >= 60:
        return None
    hour %= 12
    if match.group(3).lower() == "pm":
        hour += 12
    return time(hour, minute)
