"""The quick-add grammar, with a fixed clock: 2026-11-22 is a Sunday."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from todos.quickadd import parse

NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)  # Sunday, 15:00 UTC
UTC_ZONE = ZoneInfo("UTC")
PROJECTS = ["Home", "Home Office", "Work"]


def read(text, now=NOW, tz=UTC_ZONE, projects=PROJECTS, week_start=0):
    return parse(text, now=now, tz=tz, projects=projects, week_start=week_start)


def test_the_documented_example():
    result = read("Pay rent tomorrow 9am p1 #Home @bills")

    assert result.ok
    assert (result.title, result.due_date, result.due_time) == (
        "Pay rent",
        date(2026, 11, 23),
        time(9),
    )
    assert (result.priority, result.project, result.tags) == (1, "Home", ("bills",))


def test_plain_text_is_just_a_title():
    result = read("  Water   the plants ")

    assert (result.title, result.due_date, result.priority, result.project) == (
        "Water the plants",
        None,
        4,
        None,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x today", date(2026, 11, 22)),
        ("x tod", date(2026, 11, 22)),
        ("x tomorrow", date(2026, 11, 23)),
        ("x tmr", date(2026, 11, 23)),
        ("x monday", date(2026, 11, 23)),
        ("x fri", date(2026, 11, 27)),
        ("x on friday", date(2026, 11, 27)),
        ("x next friday", date(2026, 11, 27)),
        ("x sunday", date(2026, 11, 29)),  # never today
        ("x sun", date(2026, 11, 29)),
        ("x next week", date(2026, 11, 23)),
        ("x next month", date(2026, 12, 22)),
        ("x in 3 days", date(2026, 11, 25)),
        ("x in 1 day", date(2026, 11, 23)),
        ("x in 2 weeks", date(2026, 12, 6)),
        ("x in 3 months", date(2027, 2, 22)),
        ("x 2026-12-24", date(2026, 12, 24)),
        ("x Dec 24", date(2026, 12, 24)),
        ("x 24 Dec", date(2026, 12, 24)),
        ("x December 24th", date(2026, 12, 24)),
        ("x 1st december", date(2026, 12, 1)),
        ("x Nov 22", date(2026, 11, 22)),  # today is its own next occurrence
        ("x Nov 21", date(2027, 11, 21)),  # passed: next year
    ],
)
def test_dates(text, expected):
    result = read(text)

    assert result.due_date == expected
    assert result.title == "x"


def test_next_week_starts_on_the_users_first_weekday():
    assert read("x next week", week_start=6).due_date == date(2026, 11, 29)
    assert read("x next week", week_start=5).due_date == date(2026, 11, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x 9am", time(9)),
        ("x 9 am", time(9)),
        ("x 9:30pm", time(21, 30)),
        ("x 17:00", time(17)),
        ("x at 5pm", time(17)),
        ("x noon", time(12)),
        ("x 12am", time(0)),
        ("x 12pm", time(12)),
    ],
)
def test_times(text, expected):
    result = read(text + " tomorrow")

    assert result.due_time == expected
    assert result.title == "x"


def test_a_time_alone_is_today_or_tomorrow_if_already_past():
    assert read("x 5pm").due_date == date(2026, 11, 22)
    assert read("x 9am").due_date == date(2026, 11, 23)


@pytest.mark.parametrize("text", ["x 25:00", "x 13pm", "x 9:75am", "x at home"])
def test_things_that_are_not_times_stay_in_the_title(text):
    result = read(text)

    assert result.due_time is None
    assert result.title == text


@pytest.mark.parametrize(
    ("text", "priority"), [("x p1", 1), ("x P2", 2), ("x !3", 3), ("x p4", 4)]
)
def test_priorities(text, priority):
    assert read(text).priority == priority


@pytest.mark.parametrize("text", ["x p5", "x pp1", "x p1x", "x !0"])
def test_things_that_are_not_priorities_stay_in_the_title(text):
    result = read(text)

    assert result.priority == 4
    assert result.title == text


def test_projects_match_case_insensitively_and_prefer_the_longest_name():
    assert read("call #home office now").project == "Home Office"
    assert read("call #home office now").title == "call now"
    assert read("call #HOME now").project == "Home"


@pytest.mark.parametrize(
    ("text", "name"), [("Plan trip #Lisbon", "Lisbon"), ("Review PR #123", "123")]
)
def test_an_unknown_project_stays_in_the_title_with_a_notice_naming_it(text, name):
    result = read(text)

    assert result.ok
    assert (result.title, result.project) == (text, None)
    assert result.notices == (f"#{name} is not one of your projects; kept in the title.",)
    assert result.unknown_projects == (name,)


def test_only_one_project_the_second_stays_in_the_title():
    result = read("x #Home #Work")

    assert result.ok
    assert (result.title, result.project) == ("x #Work", "Home")
    assert result.notices == ("Only one project per task: #Work kept in the title.",)


def test_tags_are_collected_once_each():
    assert read("x @bills @Bills @phone-call").tags == ("bills", "phone-call")


def test_quoted_text_is_kept_literally():
    result = read('"Call Mom tomorrow p1 #Home" today')

    assert result.title == "Call Mom tomorrow p1 #Home"
    assert (result.due_date, result.priority, result.project) == (date(2026, 11, 22), 4, None)


def test_an_unclosed_quote_is_just_a_character():
    assert read('say "hi tomorrow').title == 'say "hi'


def test_only_the_first_date_counts():
    result = read("x tomorrow friday")

    assert result.due_date == date(2026, 11, 23)
    assert result.title == "x friday"


def test_an_empty_title_is_an_error():
    assert read("tomorrow p1 @bills").errors == (
        "A task needs a title: type what to do as well as when.",
    )
    assert not read("").ok


def test_a_long_title_is_an_error_not_cut():
    result = read("a" * 501)

    assert result.errors == ("Keep the title under 500 characters.",)


def test_an_impossible_iso_date_is_an_error():
    assert read("x 2026-02-30").errors == ("“2026-02-30” is not a date.",)


# Edge cases of the calendar
def test_next_month_from_the_31st_ends_on_the_shorter_months_last_day():
    jan_31 = datetime(2027, 1, 31, 12, tzinfo=UTC)

    assert read("x next month", now=jan_31).due_date == date(2027, 2, 28)
    assert read("x in 1 month", now=jan_31.replace(year=2028)).due_date == date(2028, 2, 29)


def test_leap_day_is_the_next_year_that_has_one():
    assert read("x Feb 29").due_date == date(2028, 2, 29)


def test_year_rollover():
    new_years_eve = datetime(2026, 12, 31, 12, tzinfo=UTC)

    assert read("x tomorrow", now=new_years_eve).due_date == date(2027, 1, 1)
    assert read("x Jan 2", now=new_years_eve).due_date == date(2027, 1, 2)
    assert read("x in 1 month", now=new_years_eve).due_date == date(2027, 1, 31)


def test_today_is_the_users_today_not_utcs():
    late_utc = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)  # already Monday in Tokyo

    assert read("x today", now=late_utc, tz=ZoneInfo("Asia/Tokyo")).due_date == date(2026, 11, 23)
    assert read("x today", now=late_utc, tz=ZoneInfo("America/New_York")).due_date == date(
        2026, 11, 22
    )


def test_spring_forward_in_berlin():
    berlin = ZoneInfo("Europe/Berlin")
    after_switch = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST

    result = read("x 3am", now=after_switch, tz=berlin)

    assert (result.due_date, result.due_time) == (date(2026, 3, 30), time(3))
    assert read("x today", now=after_switch, tz=berlin).due_date == date(2026, 3, 29)


def test_fall_back_in_new_york():
    new_york = ZoneInfo("America/New_York")
    night_of_change = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, before the switch

    result = read("x 1:45am", now=night_of_change, tz=new_york)

    assert (result.due_date, result.due_time) == (date(2026, 11, 1), time(1, 45))
    assert read("x tomorrow 9am", now=night_of_change, tz=new_york).due_date == date(2026, 11, 2)


GRAMMAR_WORDS = st.sampled_from(
    [
        "today",
        "tmr",
        "fri",
        "next",
        "week",
        "month",
        "in",
        "3",
        "days",
        "Dec",
        "24th",
        "2026-02-30",
        "at",
        "9am",
        "noon",
        "17:00",
        "p1",
        "!2",
        "#Home",
        "#",
        "@",
        "@tag",
        '"',
        '"quoted"',
        "on",
        "",
        "\x00",
        "\ue000",
        "\ue0011",
        "🙂",
        "\u202e",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_parses_without_an_exception(text):
    result = read(text)

    assert 1 <= result.priority <= 4
    assert "\x00" not in result.title


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(GRAMMAR_WORDS, st.text(max_size=8)), max_size=12), st.integers(0, 6))
def test_grammar_soup_parses_without_an_exception(words, week_start):
    text = " ".join(words)
    result = read(text, week_start=week_start)

    assert len(result.title) <= len(text)
    assert all(tag and " " not in tag for tag in result.tags)
