"""Repeat rules: where a task goes next, what a rule says in words, and the grammar under fuzzing."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from todos.dates import EARLIEST_DUE, LATEST_DUE
from todos.quickadd import parse, read_repeat
from todos.recurrence import Mode, Next, advance, describe
from todos.tests.test_quickadd_limits import assert_coherent

TODAY = date(2026, 12, 1)  # a Tuesday
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Paris")
DAY = timedelta(days=1)


def test_a_daily_task_five_days_overdue_moves_to_tomorrow():
    assert advance("FREQ=DAILY", Mode.SCHEDULE, due=TODAY - 5 * DAY, today=TODAY) == Next(
        TODAY + DAY, "FREQ=DAILY"
    )


def test_on_schedule_keeps_to_the_rules_days():
    found = advance("FREQ=WEEKLY;BYDAY=MO", Mode.SCHEDULE, due=date(2026, 11, 30), today=TODAY)

    assert found == Next(date(2026, 12, 7), "FREQ=WEEKLY;BYDAY=MO")


def test_after_completion_counts_from_today():
    found = advance("FREQ=DAILY;INTERVAL=3", Mode.COMPLETION, due=TODAY - 10 * DAY, today=TODAY)

    assert found == Next(TODAY + 3 * DAY, "FREQ=DAILY;INTERVAL=3")


def test_a_count_uses_one_up_each_time_and_ends():
    assert advance("FREQ=DAILY;COUNT=3", Mode.SCHEDULE, due=TODAY, today=TODAY) == Next(
        TODAY + DAY, "FREQ=DAILY;COUNT=2"
    )
    assert advance("FREQ=DAILY;COUNT=1", Mode.SCHEDULE, due=TODAY, today=TODAY) is None
    assert advance("FREQ=DAILY;COUNT=2", Mode.SCHEDULE, due=TODAY - 3 * DAY, today=TODAY) is None


def test_a_rule_past_its_until_has_ended():
    rule = "FREQ=WEEKLY;UNTIL=20261203"

    assert advance(rule, Mode.SCHEDULE, due=TODAY, today=TODAY) is None
    assert advance("FREQ=DAILY;UNTIL=20261203", Mode.SCHEDULE, due=TODAY, today=TODAY) == Next(
        TODAY + DAY, "FREQ=DAILY;UNTIL=20261203"
    )


def test_a_task_overdue_for_decades_still_finds_its_next_date():
    found = advance("FREQ=DAILY", Mode.SCHEDULE, due=date(2000, 1, 1), today=TODAY)

    assert found == Next(TODAY + DAY, "FREQ=DAILY")


@pytest.mark.parametrize(
    ("phrase", "words"),
    [
        ("every day", "Every day"),
        ("every other day", "Every other day"),
        ("every 10 days", "Every 10 days"),
        ("every weekday", "Every weekday"),
        ("every weekend", "Every weekend"),
        ("every monday", "Every Monday"),
        ("every mon, wed and fri", "Every Monday, Wednesday and Friday"),
        ("every other week", "Every other week"),
        ("every other monday", "Every other Monday"),
        ("every 2 weeks on tue and thu", "Every other week on Tuesday and Thursday"),
        ("every 3 weeks on friday", "Every 3 weeks on Friday"),
        ("every month", "Every month"),
        ("every 15th", "Every month on the 15th"),
        ("every 1st and 15th", "Every month on the 1st and 15th"),
        ("every last day of the month", "Every month on the last day"),
        ("every last friday", "Every month on the last Friday"),
        ("every first monday of the month", "Every month on the first Monday"),
        ("every 3 months", "Every 3 months"),
        ("every year", "Every year"),
        ("every dec 24", "Every Dec 24"),
        ("every! 3 days", "Every 3 days after completion"),
        ("every day until dec 31", "Every day, until 31 Dec 2026"),
        ("every week for 3 times", "Every week, 3 times left"),
    ],
)
def test_describe_says_each_rule_the_grammar_makes(phrase, words):
    repeat, _ = read_repeat(phrase, NOW, ZONE)

    assert describe(repeat.rule, repeat.mode) == repeat.describe() == words


# Fuzzing: the grammar's rules never move a task backwards, and its words never break parse.

PHRASES = [
    "every day",
    "every other day",
    "every 3 days",
    "every weekday",
    "every weekend",
    "every monday",
    "every sun",
    "every mon, wed and fri",
    "every other week",
    "every 2 weeks on tuesday",
    "every 3 weeks on sat and sun",
    "every month",
    "every 31st",
    "every 1st and 15th",
    "every last day of the month",
    "every last friday",
    "every fifth thursday",
    "every 2nd tuesday",
    "every quarter",
    "every 12 months on the 29th",
    "every year",
    "every feb 29",
    "every dec 24",
    "every 999 days",
    "every day for 3 times",
    "every monday for 1 times",
    "every week until dec 31",
    "every! 3 days",
    "every! monday",
    "after 2 weeks",
]
DATES = st.dates(min_value=EARLIEST_DUE, max_value=LATEST_DUE)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(PHRASES),
    st.integers(0, 6),
    st.sampled_from([Mode.SCHEDULE, Mode.COMPLETION]),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2150, 12, 31)),
    st.integers(-4000, 4000),
)
def test_the_next_date_is_always_after_today(phrase, week_start, mode, today, overdue):
    repeat, error = read_repeat(phrase, NOW, ZONE, week_start=week_start)
    assert error is None
    due = today - timedelta(days=overdue)

    found = advance(repeat.rule, mode, due=due, today=today)

    assert found is None or today < found.due_date <= LATEST_DUE


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(PHRASES), DATES)
def test_the_first_due_date_is_on_or_after_today(phrase, today):
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)

    result = parse(f"x {phrase}", now=now, tz=UTC, projects=[])

    assert result.errors or result.repeat is not None
    assert result.due_date is None or result.due_date >= today


GRAMMAR_WORDS = sorted(
    {word.strip(",") for phrase in PHRASES for word in phrase.split()}
    | {"every!", "until", "for", "times", "starting", "from", "at", "7am", "9:30", "morning"}
    | {"daily", "weekly", "biweekly", "hourly", "hours", "blue", "moon", "!myday", "other"}
    | {"of", "the", "on", "and", "&", ",", "2026-02-30", "2999-01-01", "0", "1000", "#Home"}
    | {"tomorrow", "next", "week", "dec", "24", "the", "last", "first", "annually", '"'}
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(GRAMMAR_WORDS), max_size=40).map(" ".join),
    st.integers(0, 6),
    st.sampled_from([ZONE, ZoneInfo("Pacific/Auckland"), ZoneInfo("UTC")]),
)
def test_parse_never_raises_on_repeat_words(text, week_start, tz):
    result = parse(text, now=NOW, tz=tz, projects=["Home"], week_start=week_start)

    assert_coherent(result, projects=["Home"])
    assert result.repeat is None or result.due_date is not None or result.errors
    read_repeat(text, NOW, tz, week_start)  # never raises either
