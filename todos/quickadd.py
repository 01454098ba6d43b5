"""Quick add: one line of text becomes a task's title, date, time, repeat, priority, project and tags.

`parse` is a pure function of its arguments and never raises, whatever the text. It
reads the line in two passes over its words. From the end backwards it lists the
phrases that could start at each word (each looks a few words ahead at most, so
the cost grows with the length of the line, and nothing recurses). Then, from the
start, it takes the longest phrase that fits at each word: the first date, the
first time, the first priority and the first project win, and every word it does
not take stays in the title as typed. Text in "double quotes" (or “curly” ones)
stays in the title literally, without its quotes. Everything is read in the
user's zone (`tz`) and week (`week_start`, 0 = Monday … 6 = Sunday); a trailing
",.;:!?" does not stop a word being read ("Call Mom tomorrow, 5pm.").

- `p1`…`p4` or `!1`…`!4`: the priority. `@tag` (letters, digits, "-", up to 50):
  a tag, each once whatever its case, spelled as first typed.
- `+name`: the person to assign the task to, as typed (letters, digits, ".", "-" and
  "_", as usernames have them, up to 150, with a letter among them: "+1" and "+44 20"
  stay in the title). The first one wins; another stays in the title, with a notice.
  A "+" inside a word ("C++", "a+b") or alone stays in the title.
- `#Project`: one of `projects`, any case, the longest name that follows (names
  may have spaces). Any other `#word` stays in the title, with a notice, and is
  listed in `unknown_projects` so the page can offer to create it; a second
  project after the first stays in the title too, with a notice.
- Dates: `today`/`tod`, `tomorrow`/`tmr`/`tmrw`, `day after tomorrow`; `tonight`
  and `this evening` (today 19:00), `this morning` (09:00), `this afternoon`
  (15:00); `this weekend` (the coming Saturday, today on a weekend), `next weekend`
  (the Saturday after it); `end of week`/`eow` (the coming Friday, today on a
  Friday), `end of month`/`eom`, `end of year`/`eoy`, `end of day`/`eod` (today);
  `next week` (its first day), `next month`, `next year` (the same day, or the
  month's last); `in 3 days`, `in 2 weeks`, `in 1 month`, `in 2 years`, `in a week`
  and, counted from now, `in 30 minutes`/`min`/`mins`, `in 2 hours`/`h`/`hr`/`hrs`,
  `in an hour` (also written `in 2h`); `2026-12-24`; `Dec 24`, `24 Dec`,
  `24th of December` (the next one, today included), `dec 24 2027`,
  `December 24th, 2027`; `the 15th` (the next 15th, today included, skipping
  months without one); `fri`/`friday` and `this friday` (the next one, never
  today), `next friday` (the Friday of next week, weeks starting on `week_start`).
- A date may be followed by `morning`, `afternoon`, `evening` or `night` (09:00,
  15:00, 19:00, 19:00): `tomorrow morning`, `friday night`.
- `on`, `by` and `due` (also `due on`, `due by`, `due at`) are read with the date
  after them (`on 15th` too), `by` and `due` also with a time; otherwise they stay
  in the title ("Stop by the bank").
- Times: `9am`, `9 am`, `9:30pm`, `9.30 p.m.`, `17:00`, `noon`/`midday`,
  `midnight`, and after `at`: `at 10`, `at 10:30`, `at 10.30`. An hour after `at`
  without am/pm is said the way people say it: 1 to 6 in the afternoon, 7 to 11
  in the morning, 12 at noon, 0 and 13 to 23 (or any hour written with a leading
  zero, `at 07`) on the 24-hour clock. With a morning in the line it is in the
  morning, with an afternoon, evening or night after noon: `tonight at 9` and
  `at 9 tonight` are 21:00. A time alone means today, or tomorrow once passed.

No surprises: a bare weekday, a month and day (`Friday`, `May 5`, `the 15th`) or a
bare `noon`/`midnight` is read only where it cannot be part of the title: after
`on`/`by`/`due`/`this`/`next`/`at`, at the start of the line (after nothing but
phrases), straight after another date or time, or when nothing but phrases
follow it to the end of the line. So "Buy Friday newspaper" and "Read the May 5
report" are just titles, while "Call John monday at 10" is due Monday at 10:00.

- `!myday` (any case, anywhere, like a tag): add the task to My Day.
- Repeats (`repeat`, a `todos.recurrence.Repeat`), at most one per task:
  `every day`, `every other day`, `every 10 days`, `every two weeks` (numbers one
  to twelve in words), `every 3rd day`, `every week`/`month`/`year`/`quarter`,
  `every fortnight`; `every weekday`/`workday`, `every weekend`; `every monday`,
  `every mon, wed and fri`, `every mon-fri`/`monday to friday`, `every other
  tuesday`, `every 2 weeks on tuesday`; `every 15th`, `every 1st and 15th`, `every
  month on the 1st`, `every first of the month`, `every last day of the month`,
  `every first monday`/`2nd tuesday`/`last friday` (of the month: "every 2nd
  tuesday" is monthly, like "every first monday"); `every dec 24`, `every 1st
  january`, `every year on dec 24`; `every morning`/`afternoon`/`evening`/`night`
  (daily at 09:00, 15:00, 19:00, 19:00; `every monday morning` too). `every!`
  instead of `every`, or `after 3 days`, repeats after completion rather than on
  schedule. The adverbs `daily`, `weekly`, `biweekly`, `fortnightly`, `monthly`,
  `quarterly`, `yearly`, `annually` (`weekly on monday`, `monthly on the 1st`) and
  `after 3 days` are read only when nothing but phrases follow them ("Weekly
  report" and "Send weekly report" stay titles, "Report weekly" repeats); `every …`
  is read anywhere. A repeat may end `until dec 31` (any date; `till`, `ending`,
  `through`), `for 10 times`, or `for 5 weeks` (counted from its start), and start
  `starting dec 7` or `from jan 1`; those are read only in a line with a repeat
  ("Email from Bob friday" keeps "from"). Its time is the line's time (`every day
  at 7am`, `every sat 10am`), and any date in the line is its start.
- A repeating task is due on its first occurrence on or after its start, or today;
  today only while the line's time has not passed. Weeks of `every other
  week` start on `week_start` (WKST). A repeat Ticklist cannot read never becomes a
  one-off date: "every 4 hours" (more often than daily), "every feb 30" (never
  comes round), a second repeat, and "every" followed by words about time that it
  does not know ("every blue moon") stay in the title with a notice; "Call every
  friend" stays a title without one. `read_repeat` reads the full form's repeat
  field with the same grammar, or a raw RRULE ("FREQ=WEEKLY;BYDAY=MO").

Blocking problems come back as `errors`: no title left, a title over 500
characters, a date that does not exist ("Feb 30") or falls outside
`todos.dates.EARLIEST_DUE`…`LATEST_DUE` ("in 99999 days"), a repeat with no date
from its start on ("every monday until 2026-12-06" on a Tuesday). Everything else the
person should know is a `notice`.
"""

import calendar
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import NamedTuple
from zoneinfo import ZoneInfo

from todos.dates import DUE_RANGE_MESSAGE, in_due_range
from todos.recurrence import (
    DAY_CODES,
    MAX_COUNT,
    MAX_INTERVAL,
    InvalidRule,
    Mode,
    Repeat,
    first_date,
    join,
    normalise,
    parts_of,
)

MAX_TITLE = 500
# Project.name's max_length: a longer "#word" cannot be a project, so no notice.
MAX_PROJECT_NAME = 100
DAY = timedelta(days=1)
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed", "weds"),
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
UNITS = {
    **dict.fromkeys(("minute", "minutes", "min", "mins"), "minutes"),
    **dict.fromkeys(("hour", "hours", "hr", "hrs", "h"), "hours"),
    **dict.fromkeys(("day", "days", "d"), "days"),
    **dict.fromkeys(("week", "weeks", "wk", "wks"), "weeks"),
    **dict.fromkeys(("month", "months"), "months"),
    **dict.fromkeys(("year", "years", "yr", "yrs"), "years"),
}
# The time each part of the day stands for, and the half of the clock it puts a
# bare hour in ("tonight at 9").
PARTS_OF_DAY = {
    "morning": (time(9), "am"),
    "afternoon": (time(15), "pm"),
    "evening": (time(19), "pm"),
    "night": (time(19), "pm"),
}
MERIDIEMS = {"am": "am", "a.m": "am", "pm": "pm", "p.m": "pm"}
PREPOSITIONS = ("on", "by", "due", "at")
# What each preposition may introduce: "on" a date, "by" and "due" a date or a time.
INTRODUCES = {"on": ("date",), "by": ("date", "time"), "due": ("date", "time")}
# Which part of the result each thing a phrase sets takes up: a second date, a
# date that failed to read included, finds the date taken.
CLAIMS = {"date": "date", "error": "date", "time": "time"}
CLAIMS |= {"priority": "priority", "project": "project", "repeat": "repeat"}
CLAIMS |= {"assignee": "assignee"}
CLAIMS |= {"until": "end", "count": "end", "span": "end"}
TRAILING_PUNCTUATION = ",.;:!?"
# What a read phrase leaves dangling at the ends of the title ("Call Mom, tomorrow").
SEPARATORS = ",;:-\u2013\u2014"  # and the en and em dashes

# Bounded repetitions everywhere: one word may be 2,000 digits long.
PRIORITY = re.compile(r"[p!]([1-4])")
TAG = re.compile(r"@([\w-]{1,50})")
# A username (AbstractUser.username is 150 long); "@" and "+" are left to tags and titles.
ASSIGNEE = re.compile(r"\+([\w.-]{1,150})")
HASHTAG = re.compile(r"#\w")
NUMBER = re.compile(r"[0-9]{1,100}")
AMOUNT_AND_UNIT = re.compile(r"([0-9]{1,100})([a-z]{1,7})")
ISO_DATE = re.compile(r"([0-9]{4,6})-([0-9]{1,2})-([0-9]{1,2})")
DAY_OF_MONTH = re.compile(r"([0-9]{1,2})(st|nd|rd|th)?")
YEAR = re.compile(r"[0-9]{4}")
HOUR_MINUTE = re.compile(r"([0-9]{1,2})(?:([:.])([0-9]{2}))?")
CLOCK_12 = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?(am|pm|a\.m|p\.m)")
QUOTES = {'"': '"', "“": "”"}
OPENING_QUOTE = re.compile('["“]')
FALLBACK = "Ticklist could not read this line. Please rephrase it."


@dataclass(frozen=True)
class QuickAdd:
    title: str
    due_date: date | None = None
    due_time: time | None = None
    priority: int = 4
    project: str | None = None
    tags: tuple[str, ...] = ()
    # The name after "+", as typed: the caller finds the member it names.
    assignee: str | None = None
    errors: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    unknown_projects: tuple[str, ...] = ()
    # (kind, text as typed) for each phrase read: "date", "time", "priority",
    # "project", "tag", "assignee", "repeat" (its end, "until dec 31", is a second one) or
    # "my_day". A phrase that sets both a date and a time ("tonight", "in 2
    # hours", "every morning") is one "date" or "repeat".
    phrases: tuple[tuple[str, str], ...] = ()
    repeat: Repeat | None = None
    my_day: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class _Clock(NamedTuple):
    """A time of day; a `spoken` one is a bare hour after "at", half of the clock open."""

    hour: int
    minute: int = 0
    spoken: bool = False


@dataclass(frozen=True, slots=True)
class _Reading:
    """One phrase that could start at a word: how many words it takes and what it sets."""

    size: int
    # (kind, words) for the parts of the phrase, in order: "tomorrow morning" is
    # a date of one word, then a time of one word.
    pieces: tuple[tuple[str, int], ...]
    sets: Mapping[str, object]
    # Read only where it cannot be part of the title (see the module's docstring).
    weak: bool = False
    # Read only when nothing but phrases follow it ("Weekly report" stays a title).
    final: bool = False
    # Read only in a line that repeats ("until dec 31", "starting monday").
    needs_repeat: bool = False

    @property
    def kind(self) -> str:
        return self.pieces[0][0]

    def claims(self) -> set[str]:
        return {CLAIMS[name] for name in self.sets if name in CLAIMS}


@dataclass(frozen=True)
class _Calendar:
    """The person's now, in their zone, and the first day of their week."""

    now: datetime
    week_start: int

    @property
    def today(self) -> date:
        return self.now.date()

    def next_week(self) -> date:
        """Return the first day of next week."""
        return self.today + timedelta(days=7 - (self.today.weekday() - self.week_start) % 7)


class _Line:
    """The line's words: as typed, and as matched (lowercase, no trailing punctuation)."""

    # Enough padding for the longest look-ahead (a repeat on a list of seven
    # weekdays), so readers never index past the end.
    PADDING = 32

    def __init__(self, text: str):
        self.texts: list[str] = []
        self.literal: list[bool] = []
        for chunk, quoted in _unquote(text.replace("\x00", "")):
            words = [" ".join(chunk.split())] if quoted else chunk.split()
            self.texts += [word for word in words if word]
            self.literal += [quoted] * (len(self.texts) - len(self.literal))
        self.lower = [text.lower() for text in self.texts]
        # Quoted text is None here, so no phrase can take it.
        self.keys: list[str | None] = [
            None if literal else lower.rstrip(TRAILING_PUNCTUATION)
            for lower, literal in zip(self.lower, self.literal, strict=True)
        ] + [None] * self.PADDING

    def __len__(self) -> int:
        return len(self.texts)

    def phrase(self, start: int, size: int) -> str:
        """Return words start…start+size-1 as typed."""
        return " ".join(self.texts[start : start + size])

    def bare(self, index: int) -> str:
        """Return the word at index as typed, without its trailing punctuation."""
        return self.texts[index].rstrip(TRAILING_PUNCTUATION)


def _unquote(text: str) -> list[tuple[str, bool]]:
    """Split text into (chunk, quoted) pieces; a quote never closed is just a character."""
    pieces, start, position = [], 0, 0
    unclosed: set[str] = set()
    # Each kind of quote is searched for its close at most once after it fails, so
    # a run of opening quotes costs no more than one pass.
    while len(unclosed) < len(QUOTES) and (opening := OPENING_QUOTE.search(text, position)):
        quote = opening.group()
        position = opening.end()
        if quote in unclosed:
            continue
        end = text.find(QUOTES[quote], position)
        if end == -1:
            unclosed.add(quote)
            continue
        pieces += [(text[start : opening.start()], False), (text[position:end], True)]
        start = position = end + 1
    pieces.append((text[start:], False))
    return pieces


def parse(
    text: str,
    now: datetime,
    tz: ZoneInfo,
    projects: Iterable[str],
    week_start: int = 0,
) -> QuickAdd:
    """Read one line of quick add; problems come back as `errors`, never as exceptions."""
    try:
        calendar_ = _Calendar(now.astimezone(tz), week_start % 7)
        return _parse(_Line(str(text)), calendar_, _project_index(projects))
    except (ValueError, OverflowError, TypeError):  # a last resort: never a 500
        return QuickAdd(title=" ".join(str(text).split())[:MAX_TITLE], errors=(FALLBACK,))


def _project_index(projects: Iterable[str]) -> dict:
    """Return the project names as a tree of lowercase words; a name ends at key None."""
    root: dict = {}
    for name in projects:
        words = name.lower().split()
        if not words:
            continue
        node = root
        for word in words:
            node = node.setdefault(word, {})
        node.setdefault(None, name)
    return root


def _read(line: _Line, cal: _Calendar, projects: dict) -> "_Choice":
    """Return the choice of phrases made on the line."""
    readings = _all_readings(line, cal, projects)
    repeats = _repeats_ahead(line, readings)
    read = _Choice(line, readings, _phrases_to_the_end(line, readings, repeats[0]), repeats)
    read.run()
    return read


def _parse(line: _Line, cal: _Calendar, projects: dict) -> QuickAdd:
    read = _read(line, cal, projects)
    due_date, due_time, error = _when(read.found, cal)
    repeat = None
    if not error and (rule := read.found.get("repeat")):
        repeat, due_date, error = _scheduled(rule, read.found, cal, due_time)
        due_time = due_time if due_date else None
    errors = [error] if error else []
    title = _title(read.title, tidy=bool(read.phrases))
    if not title:
        errors.append("A task needs a title: type what to do as well as when.")
    elif len(title) > MAX_TITLE:
        errors.append(f"Keep the title under {MAX_TITLE} characters.")
    return QuickAdd(
        title=title,
        due_date=due_date,
        due_time=due_time,
        priority=read.found.get("priority", 4),
        project=read.found.get("project"),
        tags=tuple(read.tags.values()),
        assignee=read.found.get("assignee"),
        errors=tuple(errors),
        notices=tuple(read.notices),
        unknown_projects=tuple(read.unknown.values()),
        phrases=tuple(read.phrases),
        repeat=repeat,
        my_day=bool(read.found.get("my_day")),
    )


def _when(found: Mapping, cal: _Calendar) -> tuple[date | None, time | None, str | None]:
    """Return the due date and time the phrases read add up to, or the error they make."""
    if error := found.get("error"):
        return None, None, error
    due_date, clock, part = found.get("date"), found.get("time"), found.get("part")
    if clock is None:
        return due_date, PARTS_OF_DAY[part][0] if part else None, None
    due_time = _time_of_day(clock, part)
    if due_date is None:
        passed = due_time < cal.now.time()
        due_date = cal.today + DAY if passed else cal.today
        if not in_due_range(due_date):  # a time alone, late on the last day there is
            return None, None, DUE_RANGE_MESSAGE
    return due_date, due_time, None


def _all_readings(line: _Line, cal: _Calendar, projects: dict) -> list[list[_Reading]]:
    """Return the phrases that could start at each word, longest first."""
    readings: list[list[_Reading]] = [[] for _ in range(len(line) + _Line.PADDING)]
    # Backwards, so "on", "by" and "due" find what follows them already read.
    for index in range(len(line) - 1, -1, -1):
        if line.literal[index]:
            continue
        found = _dates(line, index, cal)
        found += _with_part_of_day(line, index, found)
        found += _introduced(line, index, cal, readings)
        found += _times(line, index)
        found += _marks(line, index, projects)
        found += _repeats(line, index, readings)
        readings[index] = sorted(found, key=lambda reading: -reading.size)
    return readings


def _repeats_ahead(line: _Line, readings: list[list[_Reading]]) -> list[bool]:
    """Return, for each word, whether a repeat could be read there or after it."""
    ahead = [False] * (len(line) + 1)
    for index in range(len(line) - 1, -1, -1):
        here = any("repeat" in reading.sets for reading in readings[index])
        ahead[index] = here or ahead[index + 1]
    return ahead


def _phrases_to_the_end(line: _Line, readings: list[list[_Reading]], repeats: bool) -> list[bool]:
    """Return, for each word, whether it and all after it could be read as phrases."""
    to_the_end = [False] * len(line) + [True]
    for index in range(len(line) - 1, -1, -1):
        # An unknown "#word" looks like a phrase to the person typing it.
        hashtag = bool(HASHTAG.match(line.keys[index] or "")) and to_the_end[index + 1]
        to_the_end[index] = hashtag or any(
            to_the_end[index + r.size]
            for r in readings[index]
            if "unreadable" not in r.sets and (repeats or not r.needs_repeat)
        )
    return to_the_end


class _Choice:
    """Walk the line from the start, taking at each word the longest phrase that fits."""

    def __init__(
        self,
        line: _Line,
        readings: list[list[_Reading]],
        to_the_end: list[bool],
        repeats: list[bool],
    ):
        self.line, self.readings, self.to_the_end = line, readings, to_the_end
        self.repeats = repeats
        self.found: dict[str, object] = {}
        self.taken: set[str] = set()
        self.tags: dict[str, str] = {}
        self.title: list[tuple[str, bool]] = []
        self.phrases: list[tuple[str, str]] = []
        self.notices: dict[str, None] = {}
        self.unknown: dict[str, str] = {}
        # Why each repeat phrase could not be read, for the form's repeat field to say.
        self.unreadable: list[str] = []
        # Whether the words so far were all phrases, and what kind the last one was.
        self.leading, self.previous = True, ""

    def run(self) -> None:
        index = 0
        while index < len(self.line):
            reading = next((r for r in self.readings[index] if self.fits(r, index)), None)
            if reading is None and "repeat" in self.taken:
                reading = self.second_repeat(index)
            if reading is None:
                self.keep(index)
                index += 1
            elif "unreadable" in reading.sets:
                # Never a one-off date instead: the words stay, and the person hears why.
                for word in range(index, index + reading.size):
                    self.keep(word)
                self.unreadable.append(str(reading.sets["unreadable"]))
                self.notices[f"{reading.sets['unreadable']}; kept in the title."] = None
                index += reading.size
            else:
                self.take(reading, index)
                index += reading.size

    def second_repeat(self, index: int) -> _Reading | None:
        """Return a second repeat at index as unreadable: one rule per task."""
        second = next((r for r in self.readings[index] if "repeat" in r.sets), None)
        if second is None or not self.placed(second, index):
            return None
        phrase = self.line.phrase(index, second.size)
        return _Reading(
            second.size, second.pieces, {"unreadable": f"Only one repeat per task: “{phrase}”"}
        )

    def fits(self, reading: _Reading, index: int) -> bool:
        return not reading.claims() & self.taken and self.placed(reading, index)

    def placed(self, reading: _Reading, index: int) -> bool:
        """Return whether the phrase may be read where it stands (see the module's docstring)."""
        after = index + reading.size
        if reading.final and not self.to_the_end[after]:
            return False
        if reading.needs_repeat and not ("repeat" in self.taken or self.repeats[after]):
            return False
        return (
            not reading.weak
            or self.leading
            or self.previous in ("date", "time", "repeat")
            or self.to_the_end[after]
        )

    def take(self, reading: _Reading, index: int) -> None:
        self.taken |= reading.claims()
        for name, value in reading.sets.items():
            if name == "tag":
                self.tags.setdefault(value.lower(), value)
            else:
                self.found[name] = value
        start = index
        for kind, size in reading.pieces:
            self.phrases.append((kind, self.line.phrase(start, size)))
            start += size
        self.previous = reading.pieces[-1][0]

    def keep(self, index: int) -> None:
        """Leave the word at index in the title, saying why when it looks like a project."""
        self.title.append((self.line.texts[index], self.line.literal[index]))
        self.leading, self.previous = False, ""
        key = self.line.keys[index]
        if key and key.startswith("+") and (name := _assignee(self.line.bare(index))):
            self.notices[f"Only one person per task: +{name} kept in the title."] = None
            return
        if not key or not key.startswith("#"):
            return
        known = next((r for r in self.readings[index] if r.kind == "project"), None)
        if known is not None:
            name = known.sets["project"]
            self.notices[f"Only one project per task: #{name} kept in the title."] = None
            return
        name = self.line.bare(index)[1:]
        if (
            HASHTAG.match(key)
            and len(name) <= MAX_PROJECT_NAME
            and name.lower() not in self.unknown
        ):
            self.notices[f"#{name} is not one of your projects; kept in the title."] = None
            self.unknown[name.lower()] = name


def _title(words: list[tuple[str, bool]], *, tidy: bool) -> str:
    """Join the words left; once phrases were read, drop the separators they left behind."""
    if tidy:
        start, end = 0, len(words)
        while start < end and not words[start][1] and not words[start][0].strip(SEPARATORS):
            start += 1
        while end > start and not words[end - 1][1] and not words[end - 1][0].strip(SEPARATORS):
            end -= 1
        words = words[start:end]
        if words and not words[-1][1]:
            words[-1] = (words[-1][0].rstrip(SEPARATORS), False)
    return " ".join(text for text, _ in words)


# Phrases


def _dated(
    line: _Line,
    index: int,
    size: int,
    day: Callable[[], date | None],
    *,
    part: str | None = None,
    weak: bool = False,
) -> _Reading:
    """Return a date phrase, or the error it makes when the date is impossible or too far."""
    try:
        found = day()
    except (OverflowError, ValueError):  # past year 9999 on the way
        found = date.max
    if found is None:
        sets: dict = {"error": f"“{line.phrase(index, size)}” is not a date."}
    elif not in_due_range(found):
        sets = {"error": f"“{line.phrase(index, size)}” is too far off. {DUE_RANGE_MESSAGE}"}
    else:
        sets = {"date": found} | ({"part": part} if part else {})
    return _Reading(size, (("date", size),), sets, weak)


def _dates(line: _Line, index: int, cal: _Calendar) -> list[_Reading]:
    """Return the date phrases that start at index."""
    found = []
    if named := _named_day(line, index, cal):
        found.append(named)
    for reader in (_in_amount, _iso_date, _month_day, _the_ordinal):
        if reading := reader(line, index, cal):
            found.append(reading)
    return found


class _Named(NamedTuple):
    """A date phrase made of fixed words: its day, its part of the day, its weakness."""

    day: Callable[[_Calendar], date]
    part: str | None = None
    weak: bool = False


def _named_days() -> dict[tuple[str, ...], _Named]:
    """Return every fixed-word date phrase, by its words."""
    named = {
        ("today",): _Named(lambda c: c.today),
        ("tod",): _Named(lambda c: c.today),
        ("tonight",): _Named(lambda c: c.today, "evening"),
        ("this", "morning"): _Named(lambda c: c.today, "morning"),
        ("this", "afternoon"): _Named(lambda c: c.today, "afternoon"),
        ("this", "evening"): _Named(lambda c: c.today, "evening"),
        ("this", "weekend"): _Named(lambda c: _this_weekend(c.today)),
        ("next", "weekend"): _Named(lambda c: _next_weekend(c.today)),
        ("next", "week"): _Named(lambda c: c.next_week()),
        ("next", "month"): _Named(lambda c: _add_months(c.today, 1)),
        ("next", "year"): _Named(lambda c: _add_months(c.today, 12)),
        ("eow",): _Named(lambda c: _coming(c.today, 4)),
        ("eom",): _Named(lambda c: _end_of_month(c.today)),
        ("eoy",): _Named(lambda c: c.today.replace(month=12, day=31)),
        ("eod",): _Named(lambda c: c.today),
    }
    for word in ("tomorrow", "tmr", "tmrw"):
        named[(word,)] = _Named(lambda c: c.today + DAY)
    for words in (("day", "after", "tomorrow"), ("the", "day", "after", "tomorrow")):
        named[words] = _Named(lambda c: c.today + 2 * DAY)
    for unit, short in (("week", "eow"), ("month", "eom"), ("year", "eoy"), ("day", "eod")):
        for words in (("end", "of", unit), ("end", "of", "the", unit)):
            named[words] = named[("the", *words)] = named[(short,)]
    for name, weekday in WEEKDAYS.items():
        coming = _Named(lambda c, weekday=weekday: _next_weekday(c.today, weekday))
        named[(name,)] = coming._replace(weak=True)
        named[("this", name)] = coming
        named[("next", name)] = _Named(
            lambda c, weekday=weekday: c.next_week() + timedelta(days=(weekday - c.week_start) % 7)
        )
    return named


NAMED_DAYS = _named_days()
LONGEST_NAMED = max(map(len, NAMED_DAYS))
NAMED_FIRST_WORDS = {words[0] for words in NAMED_DAYS}


def _named_day(line: _Line, index: int, cal: _Calendar) -> _Reading | None:
    """Read the longest fixed-word date phrase at index, if any."""
    if line.keys[index] not in NAMED_FIRST_WORDS:  # most words: no need to look further
        return None
    for size in range(LONGEST_NAMED, 0, -1):
        if named := NAMED_DAYS.get(tuple(line.keys[index : index + size])):
            day = partial(named.day, cal)
            return _dated(line, index, size, day, part=named.part, weak=named.weak)
    return None


def _in_amount(line: _Line, index: int, cal: _Calendar) -> _Reading | None:
    """Read "in 3 days", "in a week", "in 2h": counted from today, or from now for hours."""
    keys = line.keys
    if keys[index] != "in":
        return None
    amount, unit, size = keys[index + 1] or "", keys[index + 2] or "", 3
    if joined := AMOUNT_AND_UNIT.fullmatch(amount):
        amount, unit, size = joined[1], joined[2], 2
    if unit not in UNITS or not (amount in ("a", "an") or NUMBER.fullmatch(amount)):
        return None
    count = 1 if amount in ("a", "an") else int(amount)
    unit = UNITS[unit]
    if unit in ("minutes", "hours"):
        return _in_clock_time(line, index, size, cal, {unit: count})
    if unit in ("months", "years"):
        months = count * (12 if unit == "years" else 1)
        return _dated(line, index, size, lambda: _add_months(cal.today, months))
    return _dated(line, index, size, lambda: cal.today + timedelta(**{unit: count}))


def _in_clock_time(
    line: _Line, index: int, size: int, cal: _Calendar, delta: dict[str, int]
) -> _Reading:
    """Read "in 2 hours": a date and a time, counted in real time across DST changes."""
    try:
        # Aware arithmetic in one zone is wall-clock time; in UTC it is elapsed time.
        moment = (cal.now.astimezone(UTC) + timedelta(**delta)).astimezone(cal.now.tzinfo)
    except OverflowError:
        moment = None
    reading = _dated(line, index, size, lambda: moment.date() if moment else date.max)
    if "date" not in reading.sets:
        return reading
    clock = _Clock(moment.hour, moment.minute)
    return _Reading(size, reading.pieces, {**reading.sets, "time": clock})


def _iso_date(line: _Line, index: int, cal: _Calendar) -> _Reading | None:
    """Read 2026-12-24."""
    match = ISO_DATE.fullmatch(line.keys[index] or "")
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    return _dated(line, index, 1, partial(_valid_date, year, month, day))


def _month_day(line: _Line, index: int, cal: _Calendar) -> _Reading | None:
    """Read "Dec 24", "24 Dec", "December 24th, 2027", "the 24th of December"."""
    keys = line.keys
    if not (found := _month_and_day(keys, index)):
        return None
    month, number, end = found
    if keys[end] and YEAR.fullmatch(keys[end]):
        year = int(keys[end])
        day = partial(_valid_date, year, month, number)
        return _dated(line, index, end + 1 - index, day, weak=True)
    day = partial(_next_date, cal.today, month, number)
    return _dated(line, index, end - index, day, weak=True)


def _month_and_day(keys: list[str | None], index: int) -> tuple[int, int, int] | None:
    """Return (month, day, index after them) for "Dec 24", "24 Dec", "the 24th of December"."""
    end = index
    if keys[end] in MONTHS:
        month, number = MONTHS[keys[end]], _day_number(keys[end + 1])
        end += 2
    else:
        if keys[end] == "the":
            end += 1
        number = _day_number(keys[end])
        if keys[end + 1] == "of":
            end += 1
        month = MONTHS.get(keys[end + 1] or "")
        end += 2
    if number is None or month is None:
        return None
    return month, number, end


def _the_ordinal(line: _Line, index: int, cal: _Calendar) -> _Reading | None:
    """Read "the 15th"; "15th" alone only after "on", "by" or "due" ("her 21st")."""
    if line.keys[index] != "the" or not (number := _day_number(line.keys[index + 1], True)):
        return None
    return _dated(line, index, 2, partial(_next_numbered_day, cal.today, number), weak=True)


def _ordinal(line: _Line, index: int, cal: _Calendar) -> _Reading | None:
    """Read "15th", for "on", "by" and "due" to introduce."""
    if not (number := _day_number(line.keys[index], True)):
        return None
    return _dated(line, index, 1, partial(_next_numbered_day, cal.today, number))


def _with_part_of_day(line: _Line, index: int, dates: list[_Reading]) -> list[_Reading]:
    """Return each plain date followed by "morning", "afternoon", "evening" or "night"."""
    found = []
    for reading in dates:
        part = line.keys[index + reading.size]
        if part in PARTS_OF_DAY and set(reading.sets) == {"date"}:
            found.append(
                _Reading(
                    reading.size + 1,
                    (*reading.pieces, ("time", 1)),
                    {**reading.sets, "part": part},
                    reading.weak,
                )
            )
    return found


def _introduced(
    line: _Line, index: int, cal: _Calendar, readings: list[list[_Reading]]
) -> list[_Reading]:
    """Return "on", "by" or "due" with the date (or, for the last two, time) after them."""
    word, following = line.keys[index], line.keys[index + 1]
    if word not in INTRODUCES:
        return []
    # One preposition only, but "due on", "due by" and "due at" read as people mean them.
    if following in PREPOSITIONS and not (word == "due" and following in ("on", "by", "at")):
        return []
    after = readings[index + 1]
    if ordinal := _ordinal(line, index + 1, cal):  # "on 15th"
        after = [*after, ordinal]
    return [
        _Reading(
            reading.size + 1,
            ((reading.kind, reading.pieces[0][1] + 1), *reading.pieces[1:]),
            reading.sets,
        )
        for reading in after
        if reading.kind in INTRODUCES[word]
    ]


def _times(line: _Line, index: int) -> list[_Reading]:
    """Return the time phrase that starts at index: "9am", "17:00", "at 10", "noon"."""
    keys = line.keys
    after_at = keys[index] == "at"
    found = _clock(keys, index + 1 if after_at else index, after_at=after_at)
    if found is None:
        return []
    clock, size = found
    size += 1 if after_at else 0
    # A bare "noon" or "midnight" may be a title ("Midnight in Paris").
    weak = not after_at and keys[index] in ("noon", "midday", "midnight")
    return [_Reading(size, (("time", size),), {"time": clock}, weak)]


def _clock(keys: list[str | None], index: int, *, after_at: bool) -> tuple[_Clock, int] | None:
    """Return (time, words used) for a clock time at index, or None."""
    word = keys[index]
    if not word:
        return None
    if word in ("noon", "midday"):
        return _Clock(12), 1
    if word == "midnight":
        return _Clock(0), 1
    if twelve := CLOCK_12.fullmatch(word):
        clock = _twelve_hour(twelve[1], twelve[2], twelve[3])
        return (clock, 1) if clock else None
    match = HOUR_MINUTE.fullmatch(word)
    if not match:
        return None
    if keys[index + 1] in MERIDIEMS:
        clock = _twelve_hour(match[1], match[3], keys[index + 1])
        return (clock, 2) if clock else None
    if not after_at and match[2] != ":":  # a bare "10" or "10.30" is a number, not a time
        return None
    hour, minute = int(match[1]), int(match[3] or 0)
    if hour > 23 or minute > 59:
        return None
    spoken = after_at and not match[1].startswith("0") and 1 <= hour <= 12
    return _Clock(hour, minute, spoken), 1


def _twelve_hour(hour: str, minute: str | None, meridiem: str) -> _Clock | None:
    number, minutes = int(hour), int(minute or 0)
    if not 1 <= number <= 12 or minutes > 59:
        return None
    return _Clock(number % 12 + (12 if MERIDIEMS[meridiem] == "pm" else 0), minutes)


def _time_of_day(clock: _Clock, part: str | None) -> time:
    """Return the time a clock stands for, putting a spoken hour in the half people mean."""
    hour = clock.hour
    if clock.spoken and hour != 12:
        half = PARTS_OF_DAY[part][1] if part else ("pm" if hour <= 6 else "am")
        hour += 12 if half == "pm" else 0
    return time(hour, clock.minute)


def _assignee(word: str) -> str | None:
    """Return the name a "+name" word gives, or None when it names nobody ("+1", "C++")."""
    found = ASSIGNEE.fullmatch(word)
    if found is None or not any(character.isalpha() for character in found[1]):
        return None
    return found[1]


def _marks(line: _Line, index: int, projects: dict) -> list[_Reading]:
    """Return the priority, tag, assignee or project at index."""
    key = line.keys[index] or ""
    if key == "!myday":
        return [_Reading(1, (("my_day", 1),), {"my_day": True})]
    if priority := PRIORITY.fullmatch(key):
        return [_Reading(1, (("priority", 1),), {"priority": int(priority[1])})]
    if tag := TAG.fullmatch(line.bare(index)):
        return [_Reading(1, (("tag", 1),), {"tag": tag[1]})]
    if key.startswith("+") and (name := _assignee(line.bare(index))):
        return [_Reading(1, (("assignee", 1),), {"assignee": name})]
    if key.startswith("#"):
        return _projects(line, index, projects)
    return []


def _projects(line: _Line, index: int, projects: dict) -> list[_Reading]:
    """Return each known project name that follows "#", longest first."""
    found = []
    node: dict | None = projects
    end, word, key = index, line.lower[index][1:], line.keys[index][1:]
    while node is not None:
        # The last word of a name may carry punctuation: "#Home," or a project "Misc.".
        for spelling in dict.fromkeys((word, key)):
            if (name := node.get(spelling, {}).get(None)) is not None:
                size = end + 1 - index
                found.append(_Reading(size, (("project", size),), {"project": name}))
                break
        node = node.get(word)
        end += 1
        if end >= len(line) or line.literal[end]:
            break
        word, key = line.lower[end], line.keys[end]
    return found[::-1]


# Repeats

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
NUMBER_WORDS |= {"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
# The nth weekday of a month: "first monday", "2nd tuesday", "last friday".
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
ORDINAL_WORDS |= {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
# The frequency a unit repeats at, and how many of them one of it is.
FREQUENCY_UNITS = {
    **dict.fromkeys(("day", "days", "d"), ("DAILY", 1)),
    **dict.fromkeys(("week", "weeks", "wk", "wks"), ("WEEKLY", 1)),
    **dict.fromkeys(("fortnight", "fortnights"), ("WEEKLY", 2)),
    **dict.fromkeys(("month", "months"), ("MONTHLY", 1)),
    **dict.fromkeys(("quarter", "quarters"), ("MONTHLY", 3)),
    **dict.fromkeys(("year", "years", "yr", "yrs"), ("YEARLY", 1)),
}
# Read only at the end of the line: "Weekly report" is a title, "Report weekly" repeats.
ADVERBS = {
    "daily": ("DAILY", 1),
    "weekly": ("WEEKLY", 1),
    "biweekly": ("WEEKLY", 2),
    "fortnightly": ("WEEKLY", 2),
    "monthly": ("MONTHLY", 1),
    "quarterly": ("MONTHLY", 3),
    "yearly": ("YEARLY", 1),
    "annually": ("YEARLY", 1),
}
TOO_OFTEN = {word for word, unit in UNITS.items() if unit in ("minutes", "hours")}
TOO_OFTEN |= {"second", "seconds", "sec", "secs", "hourly"}
REPEAT_DAYS = WEEKDAYS | {
    name + "s": day for name, day in WEEKDAYS.items() if name.endswith("day")
}
WORKDAYS = {"weekday", "weekdays", "workday", "workdays"}
WEEKENDS = {"weekend", "weekends"}
OF_THE_MONTH = [("of", "the", "month"), ("of", "every", "month"), ("of", "each", "month")]
OF_THE_MONTH.append(("of", "month"))
LIST_JOINS = ("and", "&")
DAY_RANGES = ("to", "through", "thru", "-", "till", "until")
COUNTED = ("times", "time", "occurrences", "x")
ENDINGS = ("until", "till", "til", "ending", "through")
STARTING = ("starting", "starts", "beginning", "from")
# Words that say the person meant a repeat, straight after "every" (or one word
# later, the spans of time): a phrase Ticklist cannot read then gets a notice
# ("every blue moon", "every few hours"), and "Call every friend monday" none.
SPANS_OF_TIME = {word for word in (*FREQUENCY_UNITS, *TOO_OFTEN) if len(word) > 2}
SPANS_OF_TIME |= {"moon", "decade", "century", "season", "spring", "summer", "autumn"}
SPANS_OF_TIME |= {"fall", "winter"}
ABOUT_TIME = {*SPANS_OF_TIME, *NUMBER_WORDS, *ORDINAL_WORDS, *REPEAT_DAYS, *MONTHS}
ABOUT_TIME |= {*PARTS_OF_DAY, *WORKDAYS, *WEEKENDS, "other"}


PROBLEMS = {
    "unknown": "“{phrase}” is not a repeat Ticklist can read",
    "often": "Ticklist repeats tasks at most daily, not “{phrase}”",
    "never": "“{phrase}” never comes round",
}


class _Rule(NamedTuple):
    """A repeat as read: the RRULE's parts so far, and its mode."""

    parts: Mapping[str, str]
    mode: str


class _Body(NamedTuple):
    """What follows "every": the rule's parts, where it ends, its part of the day, or why
    it cannot repeat ("often", "never" or "unknown")."""

    parts: Mapping[str, str]
    end: int
    part: str | None = None
    problem: str | None = None


def _repeats(line: _Line, index: int, readings: list[list[_Reading]]) -> list[_Reading]:
    """Return the repeat phrase at index: "every …", "weekly", "after 3 days", or its end."""
    key = line.keys[index]
    if key == "every":
        found = _every(line, index, readings)
    elif key in ADVERBS or key == "hourly":
        found = _adverb(line, index)
    elif key == "after":
        found = _after_completion(line, index)
    elif key in ENDINGS:
        found = _ending_on(line, index, readings)
    elif key == "for":
        found = _ending_after(line, index)
    elif key in STARTING:
        return _starting(line, index, readings)
    else:
        return []
    return [found] if found else []


def _repeat(line: _Line, index: int, body: _Body, mode: str, *, final: bool = False) -> _Reading:
    """Return the repeat phrase from index to the body's end, or why it cannot be one."""
    size = body.end - index
    if body.problem:
        problem = PROBLEMS[body.problem].format(phrase=line.phrase(index, size))
        return _Reading(size, (("unreadable", size),), {"unreadable": problem}, final=final)
    sets = {"repeat": _Rule(body.parts, mode)} | ({"part": body.part} if body.part else {})
    return _Reading(size, (("repeat", size),), sets, final=final)


def _every(line: _Line, index: int, readings: list[list[_Reading]]) -> _Reading | None:
    """Read "every monday", "every! 3 days"; what it cannot read, with a reason, or None."""
    mode = Mode.COMPLETION if line.lower[index].startswith("every!") else Mode.SCHEDULE
    if body := _body(line.keys, index + 1):
        return _repeat(line, index, body, mode)
    keys = line.keys
    first, second = keys[index + 1], keys[index + 2]
    dated = any(reading.kind in ("date", "time") for reading in readings[index + 1])
    if (
        first is None
        or _is_mark(first)
        or not (dated or first in ABOUT_TIME or second in SPANS_OF_TIME)
    ):
        return None
    # The words "every" was about: the next one, and up to two more that start no phrase.
    end = index + 2
    while end < index + 4 and keys[end] and not _is_mark(keys[end]):
        if any(not reading.weak for reading in readings[end]):
            break
        end += 1
    return _repeat(line, index, _Body({}, end, problem="unknown"), mode)


def _is_mark(key: str) -> bool:
    return (
        key[:1] in ("#", "@")
        or key == "!myday"
        or bool(PRIORITY.fullmatch(key))
        or (key[:1] == "+" and _assignee(key) is not None)
    )


def _adverb(line: _Line, index: int) -> _Reading | None:
    """Read "weekly", "monthly on the 1st", only where nothing but phrases follow."""
    key = line.keys[index]
    if key == "hourly":
        body = _Body({}, index + 1, problem="often")
    else:
        freq, interval = ADVERBS[key]
        body = _on(line.keys, freq, interval, index + 1)
    return _repeat(line, index, body, Mode.SCHEDULE, final=True)


def _after_completion(line: _Line, index: int) -> _Reading | None:
    """Read "after 3 days": repeat 3 days after each completion, at the end of the line."""
    step = _step(line.keys, index + 1)
    if not step or step[0] is None or step[1] in TOO_OFTEN or line.keys[index + 1] == "other":
        return None
    amount, unit, end = step
    freq, times = FREQUENCY_UNITS[unit]
    if amount * times > MAX_INTERVAL:
        return None
    body = _with_part(line.keys, _parts(freq, amount * times), end)
    return _repeat(line, index, body, Mode.COMPLETION, final=True)


def _body(keys: list[str | None], index: int) -> _Body | None:
    """Return what "every" at index - 1 repeats by, None if it reads no such thing."""
    word = keys[index]
    if word in PARTS_OF_DAY:
        return _Body({"FREQ": "DAILY"}, index + 1, word)
    if word in WORKDAYS or word in WEEKENDS:
        days = "MO,TU,WE,TH,FR" if word in WORKDAYS else "SA,SU"
        return _with_part(keys, {"FREQ": "WEEKLY", "BYDAY": days}, index + 1)
    if step := _step(keys, index):
        amount, unit, end = step
        if unit in TOO_OFTEN:
            return _Body({}, end, problem="often")
        freq, times = FREQUENCY_UNITS[unit]
        return _on(keys, freq, (amount or 1) * times, end)
    interval = 1
    if word == "other":  # "every other tuesday"
        interval, index = 2, index + 1
    if days := _weekdays(keys, index):
        codes, end = days
        return _with_part(keys, _parts("WEEKLY", interval, BYDAY=_in_week_order(codes)), end)
    if interval > 1:
        return None
    if found := _month_and_day(keys, index):
        month, day, end = found
        if day > calendar.monthrange(2024, month)[1]:  # a leap year: Feb 29 comes round
            return _Body({}, end, problem="never")
        return _with_part(keys, _parts("YEARLY", 1, BYMONTH=str(month), BYMONTHDAY=str(day)), end)
    if monthly := _monthly(keys, index):
        parts, end = monthly
        return _with_part(keys, _parts("MONTHLY", 1, **parts), end)
    return None


def _step(keys: list[str | None], index: int) -> tuple[int | None, str, int] | None:
    """Return (amount, unit, index after) for "3 days", "two weeks", "3d", "other week", "week"."""
    word, following = keys[index] or "", keys[index + 1] or ""
    amount = NUMBER_WORDS.get(word) or (int(word) if NUMBER.fullmatch(word) else None)
    if word == "other":
        amount = 2
    elif keys[index + 2] != "of":  # "every 3rd day", but "every 3rd day of the month"
        amount = amount or ORDINAL_WORDS.get(word) or _day_number(word, ordinal=True)
        amount = None if amount == -1 else amount
    if amount is not None and following in (FREQUENCY_UNITS.keys() | TOO_OFTEN):
        return (amount, following, index + 2) if 1 <= amount <= MAX_INTERVAL else None
    if (joined := AMOUNT_AND_UNIT.fullmatch(word)) and joined[2] in UNITS:
        amount = int(joined[1])
        unit = joined[2] if joined[2] in FREQUENCY_UNITS else "hours"
        return (amount, unit, index + 1) if 1 <= amount <= MAX_INTERVAL else None
    # A unit alone, spelled out: "every d" or "every h" is no one's repeat.
    if len(word) > 2 and (word in FREQUENCY_UNITS or word in TOO_OFTEN):
        return None, word, index + 1
    return None


def _parts(freq: str, interval: int, **parts: str) -> dict[str, str]:
    return {"FREQ": freq} | ({"INTERVAL": str(interval)} if interval > 1 else {}) | parts


def _on(keys: list[str | None], freq: str, interval: int, index: int) -> _Body:
    """Return the rule with the days "on" names: "every 2 weeks on tuesday", "monthly on the 1st"."""
    if interval > MAX_INTERVAL:
        return _Body({}, index, problem="unknown")
    parts = _parts(freq, interval)
    if keys[index] != "on":
        return _with_part(keys, parts, index)
    detail = None
    if freq == "WEEKLY" and (days := _weekdays(keys, index + 1)):
        detail = {"BYDAY": _in_week_order(days[0])}, days[1]
    elif freq == "MONTHLY":
        detail = _monthly(keys, index + 1)
    elif freq == "YEARLY" and (found := _month_and_day(keys, index + 1)):
        month, day, end = found
        if day > calendar.monthrange(2024, month)[1]:
            return _Body({}, end, problem="never")
        detail = {"BYMONTH": str(month), "BYMONTHDAY": str(day)}, end
    if detail is None:  # "every week on time" leaves "on time" in the title
        return _with_part(keys, parts, index)
    return _with_part(keys, parts | detail[0], detail[1])


def _monthly(keys: list[str | None], index: int) -> tuple[dict[str, str], int] | None:
    """Read "the last day", "first monday", "the 1st and 15th", each maybe "of the month"."""
    if keys[index] == "the":
        index += 1
    word, following = keys[index], keys[index + 1]
    number = ORDINAL_WORDS.get(word or "") or _day_number(word, ordinal=True)
    if number and following == "day":  # "the last day", "the 3rd day"
        parts, end = {"BYMONTHDAY": str(number)}, index + 2
    elif number and following == "of" and tuple(keys[index + 1 : index + 4]) in OF_THE_MONTH:
        parts, end = {"BYMONTHDAY": str(number)}, index + 1  # "the first of the month"
    elif word in ORDINAL_WORDS and (code := _weekday_code(following)):
        parts, end = {"BYDAY": f"{ORDINAL_WORDS[word]}{code}"}, index + 2
    elif days := _listed(keys, index, partial(_day_number, ordinal=True)):
        parts, end = {"BYMONTHDAY": ",".join(map(str, sorted(days[0])))}, days[1]
    else:
        return None
    for words in OF_THE_MONTH:
        if tuple(keys[end : end + len(words)]) == words:
            return parts, end + len(words)
    return parts, end


def _weekdays(keys: list[str | None], index: int) -> tuple[list[str], int] | None:
    """Return the weekdays of "mon, wed and fri", "mon-fri" or "monday to friday"."""
    word = keys[index] or ""
    first, _, last = word.partition("-")
    end = index + 1
    if not last and keys[index + 1] in DAY_RANGES:
        first, last, end = word, keys[index + 2] or "", index + 3
    start, stop = REPEAT_DAYS.get(first), REPEAT_DAYS.get(last)
    if start is None or stop is None or start == stop:
        return _listed(keys, index, _weekday_code)
    return [DAY_CODES[(start + day) % 7] for day in range((stop - start) % 7 + 1)], end


def _in_week_order(codes: list[str]) -> str:
    return ",".join(sorted(codes, key=DAY_CODES.index))


def _weekday_code(word: str | None) -> str | None:
    day = REPEAT_DAYS.get(word or "")
    return None if day is None else DAY_CODES[day]


def _listed(keys: list[str | None], index: int, read: Callable) -> tuple[list, int] | None:
    """Return the values of "mon, wed and fri" or "1st & 15th" and where the list ends.

    At most seven, so the look-ahead stays bounded whatever the line.
    """
    values: list = []
    for _ in range(7):
        if (value := read(keys[index])) is None:
            break
        if value not in values:
            values.append(value)
        index += 1
        if keys[index] in LIST_JOINS and read(keys[index + 1]) is not None:
            index += 1
    return (values, index) if values else None


def _with_part(keys: list[str | None], parts: dict[str, str], end: int) -> _Body:
    """Return the rule, with the part of the day after it: "every monday morning"."""
    if keys[end] in PARTS_OF_DAY:
        return _Body(parts, end + 1, keys[end])
    return _Body(parts, end)


def _ending_on(line: _Line, index: int, readings: list[list[_Reading]]) -> _Reading | None:
    """Read "until dec 31": the last day a repeat may fall on."""
    for reading in readings[index + 1]:
        if reading.kind == "date" and set(reading.sets) in ({"date"}, {"error"}):
            size = reading.size + 1
            sets = {"until": reading.sets["date"]} if "date" in reading.sets else reading.sets
            return _Reading(size, (("repeat", size),), sets, needs_repeat=True)
    return None


def _ending_after(line: _Line, index: int) -> _Reading | None:
    """Read "for 10 times" (the number of occurrences) or "for 5 weeks" (from the start)."""
    keys = line.keys
    word, unit = keys[index + 1] or "", keys[index + 2]
    amount = NUMBER_WORDS.get(word) or (int(word) if NUMBER.fullmatch(word) else None)
    if word in ("a", "an"):
        amount = 1
    if amount is None or not 1 <= amount <= MAX_COUNT:
        return None
    if unit in COUNTED:
        sets: dict = {"count": amount}
    elif unit in FREQUENCY_UNITS:
        sets = {"span": (amount, FREQUENCY_UNITS[unit])}
    else:
        return None
    return _Reading(3, (("repeat", 3),), sets, needs_repeat=True)


def _starting(line: _Line, index: int, readings: list[list[_Reading]]) -> list[_Reading]:
    """Return "starting dec 7", "from monday": the date a repeat starts on."""
    return [
        _Reading(
            reading.size + 1,
            ((reading.kind, reading.pieces[0][1] + 1), *reading.pieces[1:]),
            reading.sets,
            needs_repeat=True,
        )
        for reading in readings[index + 1]
        if reading.kind == "date"
    ]


def _scheduled(
    rule: _Rule, found: Mapping, cal: _Calendar, due_time: time | None
) -> tuple[Repeat | None, date | None, str | None]:
    """Return the repeat, its first due date, or the error that keeps it from starting."""
    start = found.get("date") or cal.today
    parts = dict(rule.parts)
    if parts["FREQ"] == "WEEKLY" and "INTERVAL" in parts and cal.week_start:
        # Which weeks "every other week" falls in depends on where weeks start.
        parts["WKST"] = DAY_CODES[cal.week_start]
    if "count" in found:
        parts["COUNT"] = str(found["count"])
    until = found.get("until")
    if span := found.get("span"):
        amount, (freq, times) = span
        if freq in ("MONTHLY", "YEARLY"):
            until = _add_months(start, amount * times * (12 if freq == "YEARLY" else 1)) - DAY
        else:
            until = start + timedelta(days=amount * times * (7 if freq == "WEEKLY" else 1)) - DAY
    if until:
        parts["UNTIL"] = until.strftime("%Y%m%d")
    try:
        text = normalise(join(parts))
    except InvalidRule as error:
        return None, None, str(error)
    # The first date is the first day the rule names, which then anchors it: with
    # INTERVAL counted from the start's own week, "every other monday" said on a
    # Tuesday would skip the coming Monday.
    anchor = join({name: value for name, value in parts_of(text).items() if name != "INTERVAL"})
    first = first_date(anchor, on_or_after=start)
    passed = due_time is not None and due_time < cal.now.time()
    if first == cal.today and "date" not in found and passed:
        first = first_date(anchor, on_or_after=cal.today + DAY)
    repeat = Repeat(text, rule.mode)
    if first is None:
        return None, None, f"“{repeat.describe()}” has no date from {start:%-d %b %Y} on."
    return repeat, first, None


REPEAT_EXAMPLES = "“every 2 weeks on tuesday”, “every 15th” or “every! 3 days”"


def read_repeat(
    text: str, now: datetime, tz: ZoneInfo, week_start: int = 0
) -> tuple[Repeat | None, str | None]:
    """Read the full form's repeat field: a repeat phrase or a raw RRULE; (None, None) if empty."""
    try:
        return _read_repeat(
            " ".join(str(text).split()), _Calendar(now.astimezone(tz), week_start % 7)
        )
    except (ValueError, OverflowError, TypeError):  # a last resort: never a 500
        return None, f"Ticklist could not read this repeat. Try {REPEAT_EXAMPLES}."


def _read_repeat(text: str, cal: _Calendar) -> tuple[Repeat | None, str | None]:
    if not text:
        return None, None
    if "=" in text:
        try:
            repeat = Repeat(normalise(text))
        except InvalidRule as error:
            return None, str(error)
        if first_date(repeat.rule, on_or_after=cal.today) is None:
            return None, f"“{repeat.describe()}” has no date from today on."
        return repeat, None
    read = _read(_Line(text), cal, {})
    if read.unreadable:
        return None, f"{read.unreadable[0]}. Try {REPEAT_EXAMPLES}."
    rule = read.found.get("repeat")
    if rule is None or _title(read.title, tidy=True):
        return None, f"Ticklist cannot read “{text}” as a repeat. Try {REPEAT_EXAMPLES}."
    if any(kind != "repeat" for kind, _ in read.phrases):
        return None, "Only the repeat goes here: the date and time have fields of their own."
    repeat, _, error = _scheduled(rule, read.found, cal, None)
    return repeat, error


# The calendar


def _next_weekday(today: date, weekday: int) -> date:
    """Return the next such weekday, never today itself."""
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _coming(today: date, weekday: int) -> date:
    """Return the next such weekday, today included."""
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _this_weekend(today: date) -> date:
    """Return today on a weekend, otherwise the coming Saturday."""
    return today if today.weekday() >= 5 else _coming(today, 5)


def _next_weekend(today: date) -> date:
    """Return the Saturday after this weekend's (which is yesterday on a Sunday)."""
    saturday = today - DAY if today.weekday() == 6 else _coming(today, 5)
    return saturday + 7 * DAY


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    """Return the same day `months` later, or the month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > date.max.year:
        raise OverflowError(year)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _valid_date(year: int, month: int, day: int) -> date | None:
    """Return the date, or None if the calendar has no such day; years past 9999 overflow."""
    if not date.min.year <= year <= date.max.year:
        raise OverflowError(year)
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _next_date(today: date, month: int, day: int) -> date | None:
    """Return the next month/day, today included; Feb 29 may be eight years away."""
    for year in range(today.year, today.year + 9):
        if (
            day <= calendar.monthrange(year, month)[1]
            and (found := date(year, month, day)) >= today
        ):
            return found
    return None


def _next_numbered_day(today: date, day: int) -> date | None:
    """Return the next such day of a month, today included, skipping months without it."""
    year, month = today.year, today.month
    for _ in range(12):
        if (
            day <= calendar.monthrange(year, month)[1]
            and (found := date(year, month, day)) >= today
        ):
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _day_number(word: str | None, ordinal: bool = False) -> int | None:
    """Return the day of a month that word names ("24", "24th"), or None."""
    match = DAY_OF_MONTH.fullmatch(word or "")
    if not match or (ordinal and not match[2]) or not 1 <= int(match[1]) <= 31:
        return None
    return int(match[1])
