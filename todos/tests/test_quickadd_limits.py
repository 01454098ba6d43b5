"""Quick add under abuse: never an exception, always a coherent result, cost linear in length."""

import time as clock
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.hostile import corpus
from todos.dates import EARLIEST_DUE, LATEST_DUE
from todos.quickadd import FALLBACK, MAX_TITLE, parse

NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
ZONES = [
    ZoneInfo(name) for name in ("UTC", "Europe/Paris", "America/New_York", "Pacific/Auckland")
]
PROJECTS = ["Home", "Home Office", "Work", "x"]
KINDS = {"date", "time", "priority", "project", "tag", "assignee", "repeat", "my_day"}
FORM_LIMIT = 2000  # QuickAddForm's max_length
# Any moment whose date, somewhere, is a due date there can be.
FIRST = datetime(1900, 1, 1, tzinfo=UTC)
SECONDS_IN_RANGE = int((datetime(2201, 1, 1, tzinfo=UTC) - FIRST).total_seconds())

# Words of the grammar, and the things around it that have broken parsers before.
VOCABULARY = [
    "today",
    "tod",
    "tomorrow",
    "tmr",
    "tonight",
    "this",
    "next",
    "morning",
    "evening",
    "night",
    "weekend",
    "week",
    "month",
    "year",
    "end",
    "of",
    "the",
    "eow",
    "eom",
    "eod",
    "day",
    "after",
    "in",
    "a",
    "an",
    "1",
    "3",
    "99999",
    "minutes",
    "hours",
    "h",
    "2h",
    "days",
    "weeks",
    "fri",
    "friday",
    "monday",
    "dec",
    "december",
    "may",
    "24",
    "24th",
    "1st",
    "15th",
    "31st",
    "2027",
    "2999",
    "2026-02-30",
    "2999-01-01",
    "at",
    "on",
    "by",
    "due",
    "every",
    "9",
    "10",
    "10:30",
    "10.30",
    "9am",
    "pm",
    "17:00",
    "noon",
    "midnight",
    "p1",
    "!2",
    "p5",
    "#Home",
    "#home",
    "#Work",
    "#Lisbon",
    "#123",
    "#",
    "##",
    "@",
    "@tag",
    "@Tag",
    "+sam",
    "+Sam.",
    "+",
    "+1",
    "a+b",
    "C++",
    '"',
    '"quoted words"',
    "\u201c",
    "\u201d",
    "\x00",
    "\ue000",
    "\U0001f642",
    "\u202e",
    "e\u0301",
    "\u0663",  # an Arabic-Indic three
    "\uff11\uff10",  # a fullwidth 10
]
WORDS = st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=8))


def assert_coherent(result, projects=PROJECTS):
    """Check what every result must be, whatever the line."""
    assert FALLBACK not in result.errors
    assert len(result.title) <= MAX_TITLE or result.errors
    assert result.title or result.errors
    assert "\x00" not in result.title
    assert result.due_time is None or result.due_date is not None
    assert result.due_date is None or EARLIEST_DUE <= result.due_date <= LATEST_DUE
    assert 1 <= result.priority <= 4
    assert result.project is None or result.project in projects
    assert len({tag.lower() for tag in result.tags}) == len(result.tags)
    assert all(tag and not any(c.isspace() for c in tag) for tag in result.tags)
    assert result.assignee is None or (
        0 < len(result.assignee) <= 150 and not any(c.isspace() for c in result.assignee)
    )
    assert len({name.lower() for name in result.unknown_projects}) == len(result.unknown_projects)
    assert not any(name.startswith("#") for name in result.unknown_projects)
    assert all(kind in KINDS and text for kind, text in result.phrases)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=FORM_LIMIT), st.sampled_from(ZONES), st.integers(-10, 10))
def test_any_text_gives_a_coherent_result(text, tz, week_start):
    assert_coherent(parse(text, now=NOW, tz=tz, projects=PROJECTS, week_start=week_start))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(WORDS, max_size=400).map(" ".join).map(lambda text: text[:FORM_LIMIT]),
    st.integers(0, SECONDS_IN_RANGE).map(lambda seconds: FIRST + timedelta(seconds=seconds)),
    st.sampled_from(ZONES),
    st.integers(0, 6),
)
def test_long_lines_of_grammar_give_a_coherent_result(text, now, tz, week_start):
    result = parse(text, now=now, tz=tz, projects=PROJECTS, week_start=week_start)

    assert_coherent(result)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from([w for w in VOCABULARY if not set(w) & set('"“”\x00')]), max_size=60)
)
def test_every_word_ends_up_in_the_title_or_in_one_phrase(words):
    text = " ".join(words)
    result = parse(text, now=NOW, tz=ZONES[1], projects=PROJECTS)

    read = [word for _, phrase in result.phrases for word in phrase.split()]
    assert Counter(result.title.split() + read) == Counter(text.split())


def test_the_hostile_corpus_gives_coherent_results():
    for text in corpus():
        assert_coherent(parse(text, now=NOW, tz=ZONES[2], projects=PROJECTS))


@pytest.mark.parametrize("word", ["on", "at", "due", "by", "in", "next", "the", "every"])
def test_long_runs_of_linking_words_do_not_recurse(word):
    text = f"{word} " * 20_000 + "friday"

    result = parse(text, now=NOW, tz=ZONES[0], projects=PROJECTS)

    assert result.title.startswith(f"{word} {word} ")
    assert result.errors == ("Keep the title under 500 characters.",)


# Cost. Shared, noisy machines: the CPU time of this thread (which other programs
# taking the cores do not inflate, as they do wall time), the best of several
# runs, and sizes compared with each other rather than with a clock.

ADVERSARIAL = {
    "hashes": "#x ",
    "unknown hashes": "#a ",
    "on": "on ",
    "at": "at ",
    "in 1": "in 1 ",
    "due on": "due on ",
    "next": "next ",
    "the 1st of": "the 1st of ",
    "dates": "dec 24 ",
    "every": "every ",
    "quotes": '"',
    "curly quotes": "“",
    "quoted words": '"a ',
    "tags": "@a ",
    "assignees": "+a ",
    "longest assignees": "+" + "a" * 150 + " ",
    "pluses": "+ ",
    "priorities": "p1 ",
    "digits": "1",
    "numbers": "1 ",
    "unicode": "🙂é ",
    "long project name": "#a a a a a a a a a a ",
    "every weekday list": "every mon, tue, ",
    "weekday lists": "mon, tue and ",
    "every other": "every other ",
    "every! other": "every! other ",
    "month days": "every 1st and ",
    "every monthly": "every monthly ",
    "nth weekdays": "every last friday of the ",
    "unreadable repeats": "every blue moon ",
    "repeats": "every day ",
    "adverbs": "weekly ",
    "after": "after 3 ",
    "until": "until ",
    "for times": "for 1 times ",
    "starting": "starting ",
}
LONG_NAME = ["a " * 40, *PROJECTS]


def seconds(text: str) -> float:
    started = clock.thread_time()
    parse(text, now=NOW, tz=ZONES[1], projects=LONG_NAME)
    return clock.thread_time() - started


def sized(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def growth(unit: str, runs: int = 7) -> float:
    """Return how many times longer 2,000 characters take than 500, best of interleaved runs."""
    small, large = sized(unit, FORM_LIMIT // 4), sized(unit, FORM_LIMIT)
    best = {small: float("inf"), large: float("inf")}
    for _ in range(runs):
        for text in best:
            best[text] = min(best[text], seconds(text))
    return best[large] / best[small]


@pytest.mark.parametrize("unit", ADVERSARIAL.values(), ids=ADVERSARIAL)
def test_cost_grows_linearly_with_length(unit):
    # Four times the text: about 4 if linear, 16 if quadratic. Load elsewhere on
    # the machine can spoil one measurement; a quadratic cost spoils them all.
    ratios = []
    while len(ratios) < 3 and (not ratios or ratios[-1] >= 8):
        ratios.append(growth(unit))

    assert min(ratios) < 8, f"2,000 characters cost {ratios} times 500"


@pytest.mark.parametrize("unit", ADVERSARIAL.values(), ids=ADVERSARIAL)
def test_the_longest_line_the_form_takes_parses_in_under_50_ms(unit):
    assert min(seconds(sized(unit, FORM_LIMIT)) for _ in range(5)) < 0.050
