"""The repeats quick add reads, and the titles it leaves alone: 2026-12-01 is a Tuesday."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from todos.quickadd import parse, read_repeat
from todos.recurrence import Mode, Repeat

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # Tuesday, 15:00 UTC
UTC_ZONE = ZoneInfo("UTC")
AUCKLAND = ZoneInfo("Pacific/Auckland")  # already Wednesday 04:00 there
S, C = Mode.SCHEDULE, Mode.COMPLETION
WEEKDAYS = "BYDAY=MO,TU,WE,TH,FR"


def read(text, tz=UTC_ZONE, week_start=0):
    return parse(text, now=NOW, tz=tz, projects=["Home"], week_start=week_start)


def on(day: int, month: int = 12, year: int = 2026) -> date:
    return date(year, month, day)


@pytest.mark.parametrize(
    ("phrase", "rule", "mode", "due_date", "due_time"),
    [
        ("every day", "FREQ=DAILY", S, on(1), None),
        ("daily", "FREQ=DAILY", S, on(1), None),
        ("every weekday", f"FREQ=WEEKLY;{WEEKDAYS}", S, on(1), None),
        ("every workday", f"FREQ=WEEKLY;{WEEKDAYS}", S, on(1), None),
        ("every weekend", "FREQ=WEEKLY;BYDAY=SA,SU", S, on(5), None),
        ("every monday", "FREQ=WEEKLY;BYDAY=MO", S, on(7), None),
        ("every tuesday", "FREQ=WEEKLY;BYDAY=TU", S, on(1), None),  # today is one
        ("every mon, wed and fri", "FREQ=WEEKLY;BYDAY=MO,WE,FR", S, on(2), None),
        ("every tue and thu", "FREQ=WEEKLY;BYDAY=TU,TH", S, on(1), None),
        ("every fri & mon", "FREQ=WEEKLY;BYDAY=MO,FR", S, on(4), None),
        ("every other week", "FREQ=WEEKLY;INTERVAL=2", S, on(1), None),
        ("every 2 weeks on tuesday", "FREQ=WEEKLY;BYDAY=TU;INTERVAL=2", S, on(1), None),
        ("every other monday", "FREQ=WEEKLY;BYDAY=MO;INTERVAL=2", S, on(7), None),
        ("every two weeks", "FREQ=WEEKLY;INTERVAL=2", S, on(1), None),
        ("biweekly", "FREQ=WEEKLY;INTERVAL=2", S, on(1), None),
        ("fortnightly", "FREQ=WEEKLY;INTERVAL=2", S, on(1), None),
        ("every fortnight", "FREQ=WEEKLY;INTERVAL=2", S, on(1), None),
        ("every other day", "FREQ=DAILY;INTERVAL=2", S, on(1), None),
        ("every 10 days", "FREQ=DAILY;INTERVAL=10", S, on(1), None),
        ("every twelve days", "FREQ=DAILY;INTERVAL=12", S, on(1), None),
        ("every 3rd day", "FREQ=DAILY;INTERVAL=3", S, on(1), None),
        ("every second week", "FREQ=WEEKLY;INTERVAL=2", S, on(1), None),
        ("every mon-fri", f"FREQ=WEEKLY;{WEEKDAYS}", S, on(1), None),
        ("every monday to friday", f"FREQ=WEEKLY;{WEEKDAYS}", S, on(1), None),
        ("every month", "FREQ=MONTHLY", S, on(1), None),
        ("every first of the month", "FREQ=MONTHLY;BYMONTHDAY=1", S, on(1), None),
        ("every 3rd day of the month", "FREQ=MONTHLY;BYMONTHDAY=3", S, on(3), None),
        ("every 15th", "FREQ=MONTHLY;BYMONTHDAY=15", S, on(15), None),
        ("every 1st and 15th", "FREQ=MONTHLY;BYMONTHDAY=1,15", S, on(1), None),
        ("every month on the 1st", "FREQ=MONTHLY;BYMONTHDAY=1", S, on(1), None),
        ("every 3 months on the 20th", "FREQ=MONTHLY;BYMONTHDAY=20;INTERVAL=3", S, on(20), None),
        ("every last day of the month", "FREQ=MONTHLY;BYMONTHDAY=-1", S, on(31), None),
        ("every last friday", "FREQ=MONTHLY;BYDAY=-1FR", S, on(25), None),
        ("every first monday of the month", "FREQ=MONTHLY;BYDAY=1MO", S, on(7), None),
        ("every 2nd tuesday", "FREQ=MONTHLY;BYDAY=2TU", S, on(8), None),
        ("every third thursday of the month", "FREQ=MONTHLY;BYDAY=3TH", S, on(17), None),
        ("every 3 months", "FREQ=MONTHLY;INTERVAL=3", S, on(1), None),
        ("every quarter", "FREQ=MONTHLY;INTERVAL=3", S, on(1), None),
        ("quarterly", "FREQ=MONTHLY;INTERVAL=3", S, on(1), None),
        ("every year", "FREQ=YEARLY", S, on(1), None),
        ("yearly", "FREQ=YEARLY", S, on(1), None),
        ("annually", "FREQ=YEARLY", S, on(1), None),
        ("every dec 24", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24", S, on(24), None),
        ("every jan 1", "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1", S, on(1, 1, 2027), None),
        ("every 1st january", "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1", S, on(1, 1, 2027), None),
        (
            "every year on 30 nov",
            "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=30",
            S,
            on(30, 11, 2027),
            None,
        ),
        ("weekly", "FREQ=WEEKLY", S, on(1), None),
        ("weekly on friday", "FREQ=WEEKLY;BYDAY=FR", S, on(4), None),
        ("monthly", "FREQ=MONTHLY", S, on(1), None),
        ("monthly on the 10th", "FREQ=MONTHLY;BYMONTHDAY=10", S, on(10), None),
        # With a time: today while it is still to come, otherwise the next one.
        ("every day at 7am", "FREQ=DAILY", S, on(2), time(7)),
        ("every day at 5pm", "FREQ=DAILY", S, on(1), time(17)),
        ("every monday 9:30", "FREQ=WEEKLY;BYDAY=MO", S, on(7), time(9, 30)),
        ("every weekday at 9am", f"FREQ=WEEKLY;{WEEKDAYS}", S, on(2), time(9)),
        ("every sat 10am", "FREQ=WEEKLY;BYDAY=SA", S, on(5), time(10)),
        ("every month on the 1st at 9am", "FREQ=MONTHLY;BYMONTHDAY=1", S, on(1, 1, 2027), time(9)),
        ("every day at midnight", "FREQ=DAILY", S, on(2), time(0)),
        ("every morning", "FREQ=DAILY", S, on(2), time(9)),
        ("every evening", "FREQ=DAILY", S, on(1), time(19)),
        ("every night", "FREQ=DAILY", S, on(1), time(19)),
        ("every monday morning", "FREQ=WEEKLY;BYDAY=MO", S, on(7), time(9)),
        ("every morning at 8", "FREQ=DAILY", S, on(2), time(8)),
        # An end.
        ("every day until dec 31", "FREQ=DAILY;UNTIL=20261231", S, on(1), None),
        ("every month until 2027-06-30", "FREQ=MONTHLY;UNTIL=20270630", S, on(1), None),
        ("every day for 10 times", "FREQ=DAILY;COUNT=10", S, on(1), None),
        ("every week for 3 times", "FREQ=WEEKLY;COUNT=3", S, on(1), None),
        ("every day for 5 weeks", "FREQ=DAILY;UNTIL=20270104", S, on(1), None),
        ("every day at 7am for 3 times", "FREQ=DAILY;COUNT=3", S, on(2), time(7)),
        # A start: the first occurrence on or after it.
        ("every monday starting dec 7", "FREQ=WEEKLY;BYDAY=MO", S, on(7), None),
        ("every monday from jan 1", "FREQ=WEEKLY;BYDAY=MO", S, on(4, 1, 2027), None),
        ("every friday starting next week", "FREQ=WEEKLY;BYDAY=FR", S, on(11), None),
        ("every day tomorrow at 7am", "FREQ=DAILY", S, on(2), time(7)),
        ("every 15th from feb 1", "FREQ=MONTHLY;BYMONTHDAY=15", S, on(15, 2, 2027), None),
        # After completion.
        ("every! 3 days", "FREQ=DAILY;INTERVAL=3", C, on(1), None),
        ("every! monday", "FREQ=WEEKLY;BYDAY=MO", C, on(7), None),
        ("after 3 days", "FREQ=DAILY;INTERVAL=3", C, on(1), None),
        ("after two weeks", "FREQ=WEEKLY;INTERVAL=2", C, on(1), None),
    ],
)
def test_repeat_phrases(phrase, rule, mode, due_date, due_time):
    result = read(f"Water the plants {phrase} #Home")

    assert result.title == "Water the plants"
    assert result.repeat == Repeat(rule, mode)
    assert (result.due_date, result.due_time) == (due_date, due_time)
    assert (result.errors, result.notices, result.project) == ((), (), "Home")


def test_the_repeat_is_a_phrase_as_typed_and_may_come_first():
    result = read("Every Monday at 9 Team sync p2")

    assert (result.title, result.priority, result.due_time) == ("Team sync", 2, time(9))
    assert ("repeat", "Every Monday") in result.phrases
    assert result.repeat.describe() == "Every Monday"


@pytest.mark.parametrize(
    ("week_start", "rule"),
    [
        (0, "FREQ=WEEKLY;BYDAY=TU;INTERVAL=2"),
        (5, "FREQ=WEEKLY;BYDAY=TU;INTERVAL=2;WKST=SA"),
        (6, "FREQ=WEEKLY;BYDAY=TU;INTERVAL=2;WKST=SU"),
    ],
)
def test_every_other_week_starts_its_weeks_on_the_users_first_day(week_start, rule):
    assert read("Sync every 2 weeks on tuesday", week_start=week_start).repeat.rule == rule


def test_a_sunday_week_user_in_another_zone():
    result = read("Run every other week at 7am", tz=AUCKLAND, week_start=6)

    assert result.repeat.rule == "FREQ=WEEKLY;INTERVAL=2;WKST=SU"
    assert (result.due_date, result.due_time) == (on(2), time(7))  # 04:00 there: still to come


def test_my_day_is_a_mark_anywhere_in_any_case():
    result = read("!MyDay Plan the trip tomorrow !myday")

    assert (result.title, result.my_day, result.due_date) == ("Plan the trip", True, on(2))
    assert ("my_day", "!MyDay") in result.phrases
    assert read("Plan the trip").my_day is False


@pytest.mark.parametrize(
    ("text", "notice"),
    [
        ("Howl every blue moon", "“every blue moon” is not a repeat Ticklist can read"),
        ("Check every few hours", "“every few hours” is not a repeat Ticklist can read"),
        ("Check every 4 hours", "Ticklist repeats tasks at most daily, not “every 4 hours”"),
        ("Check hourly", "Ticklist repeats tasks at most daily, not “hourly”"),
        ("Party every feb 30", "“every feb 30” never comes round"),
        ("Wait every 0 days", "“every 0 days” is not a repeat Ticklist can read"),
        ("Call every tomorrow", "“every tomorrow” is not a repeat Ticklist can read"),
        ("Party every feb 30 friday", "“every feb 30” never comes round"),
    ],
)
def test_a_repeat_it_cannot_read_stays_in_the_title_with_a_notice(text, notice):
    result = read(text)

    assert result.title == text.removesuffix(" friday")
    assert result.notices == (f"{notice}; kept in the title.",)
    assert result.repeat is None
    assert text.endswith("friday") or result.due_date is None


def test_a_second_repeat_stays_in_the_title():
    result = read("Stretch every day every monday")

    assert (result.title, result.repeat.rule) == ("Stretch every monday", "FREQ=DAILY")
    assert result.notices == ("Only one repeat per task: “every monday”; kept in the title.",)


@pytest.mark.parametrize(
    "text",
    [
        "Call every friend",
        "Call every friend monday",
        "Weekly report",
        "Send weekly report",
        "Daily standup notes",
        "Yearly review with Sam",
        "Email from Bob",
        "Read for 10 minutes",
        "Repeat after me",
        "Every",
    ],
)
def test_titles_that_merely_hold_repeat_words_stay_titles(text):
    result = read(text)

    assert result.title == text.removesuffix(" monday")
    assert (result.repeat, result.notices, result.errors) == (None, (), ())


def test_a_repeat_that_ends_before_it_starts_is_an_error():
    result = read("Stretch every monday until 2026-12-06")

    assert result.errors == ("“Every Monday, until 6 Dec 2026” has no date from 1 Dec 2026 on.",)
    assert (result.repeat, result.due_date) == (None, None)


def test_an_end_or_start_without_a_repeat_is_not_read_as_one():
    until = read("Stay until dec 31")

    assert (until.title, until.due_date, until.repeat) == ("Stay until", on(31), None)
    assert read("Sing for 3 times").title == "Sing for 3 times"
    assert read("Leave from friday").title == "Leave from"


# The full form's repeat field


@pytest.mark.parametrize(
    ("text", "repeat"),
    [
        (
            "every 2 weeks on tuesday until dec 31",
            Repeat("FREQ=WEEKLY;BYDAY=TU;INTERVAL=2;UNTIL=20261231"),
        ),
        ("every! 3 days", Repeat("FREQ=DAILY;INTERVAL=3", C)),
        ("Weekly", Repeat("FREQ=WEEKLY")),
        ("every last friday for 6 times", Repeat("FREQ=MONTHLY;BYDAY=-1FR;COUNT=6")),
        ("FREQ=WEEKLY;BYDAY=MO", Repeat("FREQ=WEEKLY;BYDAY=MO")),
        ("RRULE:freq=daily;interval=1", Repeat("FREQ=DAILY")),
        ("", None),
        ("   ", None),
    ],
)
def test_the_repeat_field_reads_phrases_and_rules(text, repeat):
    assert read_repeat(text, NOW, UTC_ZONE) == (repeat, None)


def test_the_repeat_field_starts_weeks_on_the_users_day():
    repeat, _ = read_repeat("every other week", NOW, UTC_ZONE, week_start=6)

    assert repeat.rule == "FREQ=WEEKLY;INTERVAL=2;WKST=SU"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("every blue moon", "“every blue moon” is not a repeat Ticklist can read. Try"),
        ("every 4 hours", "Ticklist repeats tasks at most daily, not “every 4 hours”. Try"),
        ("water the plants", "Ticklist cannot read “water the plants” as a repeat. Try"),
        ("every day and more", "Ticklist cannot read “every day and more” as a repeat. Try"),
        ("every day at 9am", "Only the repeat goes here: the date and time have fields"),
        ("FREQ=HOURLY", "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY."),
        ("FREQ=DAILY;COUNT=0", "COUNT must be between 1 and 999."),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "“Every Feb 30” has no date from today on."),
        ("every feb 30", "“every feb 30” never comes round. Try"),
        ("every 1000 fortnights", "“every 1000 fortnights” is not a repeat Ticklist can read."),
    ],
)
def test_the_repeat_field_says_what_it_cannot_read(text, error):
    repeat, message = read_repeat(text, NOW, UTC_ZONE)

    assert repeat is None
    assert message.startswith(error)
