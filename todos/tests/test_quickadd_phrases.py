"""The phrases quick add reads, and where it leaves words alone: 2026-12-01 is a Tuesday."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from todos.quickadd import parse

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # Tuesday, 15:00 UTC
UTC_ZONE = ZoneInfo("UTC")
PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
AUCKLAND = ZoneInfo("Pacific/Auckland")
PROJECTS = ["Home", "Home Office", "Work"]


def read(text, now=NOW, tz=UTC_ZONE, projects=PROJECTS, week_start=0):
    return parse(text, now=now, tz=tz, projects=projects, week_start=week_start)


def on(day: int, month: int = 12, year: int = 2026) -> date:
    return date(year, month, day)


@pytest.mark.parametrize(
    ("phrase", "due_date", "due_time"),
    [
        ("tonight", on(1), time(19)),
        ("this evening", on(1), time(19)),
        ("this morning", on(1), time(9)),
        ("this afternoon", on(1), time(15)),
        ("tomorrow morning", on(2), time(9)),
        ("tomorrow afternoon", on(2), time(15)),
        ("tomorrow evening", on(2), time(19)),
        ("tomorrow night", on(2), time(19)),
        ("friday night", on(4), time(19)),
        ("day after tomorrow", on(3), None),
        ("the day after tomorrow", on(3), None),
        ("this weekend", on(5), None),
        ("next weekend", on(12), None),
        ("end of week", on(4), None),
        ("eow", on(4), None),
        ("end of the week", on(4), None),
        ("end of month", on(31), None),
        ("eom", on(31), None),
        ("end of day", on(1), None),
        ("eod", on(1), None),
        ("end of year", on(31), None),
        ("next fri", on(11), None),
        ("next friday", on(11), None),
        ("this fri", on(4), None),
        ("fri", on(4), None),
        ("next tue", on(8), None),
        ("this tue", on(8), None),  # never today
        ("tue", on(8), None),
        ("next mon", on(7), None),
        ("next week", on(7), None),
        ("next year", on(1, 12, 2027), None),
        ("on the 15th", on(15), None),
        ("on 15th", on(15), None),
        ("the 15th", on(15), None),
        ("on the 1st", on(1), None),  # today is its own next 1st
        ("the 2nd", on(2), None),
        ("dec 24 2027", on(24, 12, 2027), None),
        ("24 dec 2027", on(24, 12, 2027), None),
        ("december 24th, 2027", on(24, 12, 2027), None),
        ("24th of december", on(24), None),
        ("on the 24th of December 2027", on(24, 12, 2027), None),
        ("in a day", on(2), None),
        ("in a week", on(8), None),
        ("in 3 weeks", on(22), None),
        ("in 2 years", on(1, 12, 2028), None),
        ("in 3d", on(4), None),
        ("by friday", on(4), None),
        ("due friday", on(4), None),
        ("due on friday", on(4), None),
        ("by the 15th", on(15), None),
        ("by end of month", on(31), None),
        ("by the end of the month", on(31), None),
        ("due eod", on(1), None),
        ("on next friday", on(11), None),
        ("on friday evening", on(4), time(19)),
        ("Tomorrow,", on(2), None),
        ("NEXT TUE", on(8), None),
    ],
)
def test_date_phrases(phrase, due_date, due_time):
    result = read(f"Plan party {phrase}")

    assert (result.title, result.due_date, result.due_time) == ("Plan party", due_date, due_time)
    assert result.ok


@pytest.mark.parametrize(
    ("phrase", "due_time"),
    [
        ("at 10", time(10)),
        ("at 10:30", time(10, 30)),
        ("at 10.30", time(10, 30)),
        ("at 1", time(13)),
        ("at 3", time(15)),
        ("at 6", time(18)),
        ("at 7", time(7)),
        ("at 11", time(11)),
        ("at 12", time(12)),
        ("at 0", time(0)),
        ("at 13", time(13)),
        ("at 23", time(23)),
        ("at 07", time(7)),  # a leading zero is the 24-hour clock
        ("at 05:30", time(5, 30)),
        ("at 3:30", time(15, 30)),
        ("at 9 am", time(9)),
        ("at 9pm", time(21)),
        ("at noon", time(12)),
        ("at midnight", time(0)),
        ("9 am", time(9)),
        ("9:30pm", time(21, 30)),
        ("9.30 p.m.", time(21, 30)),
        ("9 PM", time(21)),
        ("17:00", time(17)),
        ("5:30", time(5, 30)),  # without "at", a clock is the 24-hour clock
        ("noon", time(12)),
        ("midday", time(12)),
        ("midnight", time(0)),
        ("by 5pm", time(17)),
        ("by noon", time(12)),
        ("due at 10", time(10)),
    ],
)
def test_time_phrases(phrase, due_time):
    result = read(f"Call Mom tomorrow {phrase}")

    assert (result.title, result.due_date, result.due_time) == ("Call Mom", on(2), due_time)


@pytest.mark.parametrize(
    "text", ["x at 24", "x at 7:60", "x at 9.5", "x 10.30", "x at 13pm", "x at", "x by 10"]
)
def test_things_that_are_not_times_stay_in_the_title(text):
    result = read(text)

    assert (result.title, result.due_time) == (text, None)


@pytest.mark.parametrize(
    ("text", "due_date", "due_time"),
    [
        ("x tonight at 9", on(1), time(21)),
        ("x at 9 tonight", on(1), time(21)),
        ("x this evening at 7:30", on(1), time(19, 30)),
        ("x this morning at 6", on(1), time(6)),
        ("x tomorrow afternoon at 2", on(2), time(14)),
        ("x tomorrow morning at 11", on(2), time(11)),
        ("x tonight 8pm", on(1), time(20)),
        ("x tomorrow morning 7pm", on(2), time(19)),  # a clock says which half itself
        ("x tonight at 07", on(1), time(7)),
    ],
)
def test_a_part_of_the_day_says_which_half_a_spoken_hour_is_in(text, due_date, due_time):
    result = read(text)

    assert (result.title, result.due_date, result.due_time) == ("x", due_date, due_time)


@pytest.mark.parametrize(
    ("phrase", "due_time"),
    [
        ("in 30 minutes", time(15, 30)),
        ("in 45 min", time(15, 45)),
        ("in 90 mins", time(16, 30)),
        ("in 1 minute", time(15, 1)),
        ("in 2 hours", time(17)),
        ("in 3 hrs", time(18)),
        ("in 1 hr", time(16)),
        ("in 2 h", time(17)),
        ("in 2h", time(17)),
        ("in an hour", time(16)),
    ],
)
def test_minutes_and_hours_count_from_now(phrase, due_time):
    result = read(f"Take the cake out {phrase}")

    assert (result.title, result.due_date, result.due_time) == (
        "Take the cake out",
        on(1),
        due_time,
    )
    assert result.phrases == (("date", phrase),)


def test_two_hours_after_half_past_eleven_is_tomorrow_in_the_users_zone():
    late_in_paris = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)  # 23:30 in Paris

    result = read("x in 2 hours", now=late_in_paris, tz=PARIS)

    assert (result.due_date, result.due_time) == (on(2), time(1, 30))


def test_hours_are_real_hours_across_the_spring_forward_in_paris():
    before_switch = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 CET; 02:00 becomes 03:00

    result = read("x in 2 hours", now=before_switch, tz=PARIS)

    assert (result.due_date, result.due_time) == (date(2026, 3, 29), time(4, 30))


def test_hours_are_real_hours_across_the_spring_forward_in_auckland():
    before_switch = datetime(2026, 9, 26, 13, 30, tzinfo=UTC)  # 01:30 NZST, Sunday 27th

    result = read("x in 2 hours", now=before_switch, tz=AUCKLAND)

    assert (result.due_date, result.due_time) == (date(2026, 9, 27), time(4, 30))


def test_an_hour_after_the_first_half_past_two_is_the_second_on_falling_back_in_paris():
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST; 03:00 goes back to 02:00

    result = read("x in 1 hour", now=first, tz=PARIS)

    assert (result.due_date, result.due_time) == (date(2026, 10, 25), time(2, 30))


def test_tonight_is_the_users_evening_not_utcs():
    evening_in_new_york = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # Tuesday 22:00 EST
    morning_in_auckland = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # Wednesday 04:00 NZDT

    assert read("x tonight", now=evening_in_new_york, tz=NEW_YORK).due_date == on(1)
    assert read("x tonight", now=morning_in_auckland, tz=AUCKLAND).due_date == on(2)
    assert read("x fri", now=morning_in_auckland, tz=AUCKLAND).due_date == on(4)


def test_a_spoken_hour_alone_is_today_or_tomorrow_once_passed():
    assert (read("x at 4").due_date, read("x at 4").due_time) == (on(1), time(16))
    assert (read("x at 10").due_date, read("x at 10").due_time) == (on(2), time(10))


@pytest.mark.parametrize(
    ("now", "phrase", "expected"),
    [
        (datetime(2027, 2, 1, 12, tzinfo=UTC), "on the 31st", date(2027, 3, 31)),
        (datetime(2027, 4, 5, 12, tzinfo=UTC), "on the 31st", date(2027, 5, 31)),
        (datetime(2027, 2, 1, 12, tzinfo=UTC), "on the 30th", date(2027, 3, 30)),
        (datetime(2027, 2, 1, 12, tzinfo=UTC), "on the 29th", date(2027, 3, 29)),
        (datetime(2028, 2, 1, 12, tzinfo=UTC), "on the 29th", date(2028, 2, 29)),
        (datetime(2026, 12, 31, 12, tzinfo=UTC), "on the 31st", date(2026, 12, 31)),
        (datetime(2026, 12, 31, 12, tzinfo=UTC), "on the 1st", date(2027, 1, 1)),
    ],
)
def test_a_day_of_the_month_skips_months_that_lack_it(now, phrase, expected):
    assert read(f"x {phrase}", now=now).due_date == expected


def test_next_weekday_is_in_the_users_next_week():
    sunday = datetime(2026, 12, 6, 12, tzinfo=UTC)

    assert read("x next fri", now=sunday, week_start=0).due_date == on(11)
    assert read("x next fri", now=sunday, week_start=6).due_date == on(18)
    assert read("x next mon", now=sunday, week_start=0).due_date == on(7)
    assert read("x fri", now=sunday, week_start=6).due_date == on(11)


@pytest.mark.parametrize(
    ("today", "this_weekend", "next_weekend", "end_of_week"),
    [
        (on(4), on(5), on(12), on(4)),  # Friday
        (on(5), on(5), on(12), on(11)),  # Saturday
        (on(6), on(6), on(12), on(11)),  # Sunday
        (on(7), on(12), on(19), on(11)),  # Monday
    ],
)
def test_weekends_and_the_end_of_the_week(today, this_weekend, next_weekend, end_of_week):
    now = datetime.combine(today, time(12), tzinfo=UTC)

    assert read("x this weekend", now=now).due_date == this_weekend
    assert read("x next weekend", now=now).due_date == next_weekend
    assert read("x end of week", now=now).due_date == end_of_week


def test_end_of_month_in_february_of_a_leap_year():
    assert read("x eom", now=datetime(2028, 2, 3, tzinfo=UTC)).due_date == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "title", "due_date"),
    [
        ("Stop by the bank", "Stop by the bank", None),
        ("Work on the car", "Work on the car", None),
        ("Due diligence report", "Due diligence report", None),
        ("Stop by the bank by friday", "Stop by the bank", on(4)),
        ("Buy Friday newspaper", "Buy Friday newspaper", None),
        ("Buy Friday newspaper on friday", "Buy Friday newspaper", on(4)),
        ("Prepare the Sunday roast", "Prepare the Sunday roast", None),
        ("Buy a sat nav", "Buy a sat nav", None),
        ("Read the May 5 report", "Read the May 5 report", None),
        ("Read the Dec 24 2027 report", "Read the Dec 24 2027 report", None),
        ("Read the report May 5", "Read the report", date(2027, 5, 5)),
        ("Read the 5th chapter", "Read the 5th chapter", None),
        ("Celebrate Anna's 21st", "Celebrate Anna's 21st", None),
        ("Pay rent the 15th", "Pay rent", on(15)),
        ("Friday: call the plumber", "call the plumber", on(4)),
        ("p1 Friday call the plumber", "call the plumber", on(4)),
        ("Call John monday at 10", "Call John", on(7)),
        ("Email Bob friday p1 #Work @mail", "Email Bob", on(4)),
        ("Email Bob friday #Lisbon", "Email Bob #Lisbon", on(4)),
        ("Meet Ann at 10 friday for coffee", "Meet Ann for coffee", on(4)),
        ("Dentist next tue", "Dentist", on(8)),
        ("next tue dentist", "dentist", on(8)),
        ("Dentist next tue at 3pm with Dr Lee", "Dentist with Dr Lee", on(8)),
        ("Dentist with Dr Lee next tue at 3pm #Home", "Dentist with Dr Lee", on(8)),
        ("Call about tonight's dinner tonight", "Call about tonight's dinner", on(1)),
        ("Plan the trip in 3 days with Ann", "Plan the trip with Ann", on(4)),
        ("Send the 2027-01-05 invoice", "Send the invoice", date(2027, 1, 5)),
    ],
)
def test_only_words_that_cannot_be_the_title_are_read_as_dates(text, title, due_date):
    result = read(text)

    assert (result.title, result.due_date) == (title, due_date)


@pytest.mark.parametrize(
    ("text", "title", "due_time"),
    [
        ("Watch Midnight in Paris", "Watch Midnight in Paris", None),
        ("Lunch at noon with Bob", "Lunch with Bob", time(12)),
        ("Lunch with Bob noon", "Lunch with Bob", time(12)),
        ("Lunch tomorrow noon with Bob", "Lunch with Bob", time(12)),
    ],
)
def test_a_bare_noon_or_midnight_is_read_only_where_it_cannot_be_the_title(text, title, due_time):
    result = read(text)

    assert (result.title, result.due_time) == (title, due_time)


def test_unknown_projects_are_listed_once_each_in_order():
    result = read("Plan #Lisbon trip #Porto #lisbon, #Home")

    assert (result.title, result.project) == ("Plan #Lisbon trip #Porto #lisbon", "Home")
    assert result.unknown_projects == ("Lisbon", "Porto")
    assert result.notices == (
        "#Lisbon is not one of your projects; kept in the title.",
        "#Porto is not one of your projects; kept in the title.",
    )


@pytest.mark.parametrize("text", ["C# notes", "x #", "x ##", "x #{7*7}", "x #" + "a" * 101])
def test_a_hash_that_cannot_name_a_project_is_just_text(text):
    result = read(text)

    assert (result.title, result.notices, result.unknown_projects) == (text, (), ())


def test_a_second_project_stays_in_the_title_and_the_first_wins():
    result = read("Report #Work #Home Office")

    assert (result.title, result.project) == ("Report #Home Office", "Work")
    assert result.notices == ("Only one project per task: #Home Office kept in the title.",)
    assert result.unknown_projects == ()


def test_punctuation_after_a_phrase_does_not_hide_it():
    result = read("Call Mom, #home, tomorrow, 5pm.")

    assert (result.title, result.project, result.due_date, result.due_time) == (
        "Call Mom",
        "Home",
        on(2),
        time(17),
    )


def test_a_project_name_ending_in_punctuation_matches():
    assert read("x #misc.", projects=["Misc."]).project == "Misc."


def test_separators_left_at_the_ends_of_the_title_are_dropped():
    assert read("Tomorrow - call the plumber").title == "call the plumber"
    assert read("Call the plumber — tomorrow").title == "Call the plumber"
    assert read("Call the plumber - soon").title == "Call the plumber - soon"


def test_curly_quotes_keep_text_literally_too():
    result = read("“Call Mom tomorrow” today")

    assert (result.title, result.due_date) == ("Call Mom tomorrow", on(1))
    assert read("say “hi tomorrow").title == "say “hi"


def test_the_phrases_read_are_listed_as_typed():
    result = read("Dentist Next Tue at 10 p1 #home office @teeth")

    assert result.phrases == (
        ("date", "Next Tue"),
        ("time", "at 10"),
        ("priority", "p1"),
        ("project", "#home office"),
        ("tag", "@teeth"),
    )


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("x tomorrow morning", (("date", "tomorrow"), ("time", "morning"))),
        ("x on friday night", (("date", "on friday"), ("time", "night"))),
        ("x tonight", (("date", "tonight"),)),
        ("x at 9 tonight", (("time", "at 9"), ("date", "tonight"))),
        ("x", ()),
        ('"tomorrow" p2', (("priority", "p2"),)),
    ],
)
def test_phrases_that_set_a_date_and_a_time(text, phrases):
    assert read(text).phrases == phrases


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("x in 99999 days", "“in 99999 days” is too far off. Pick a date between 1900 and 2200."),
        ("x in 300 years", "“in 300 years” is too far off. Pick a date between 1900 and 2200."),
        ("x 2999-01-01", "“2999-01-01” is too far off. Pick a date between 1900 and 2200."),
        ("x 1899-12-31", "“1899-12-31” is too far off. Pick a date between 1900 and 2200."),
        ("x 20226-01-01", "“20226-01-01” is too far off. Pick a date between 1900 and 2200."),
        ("x dec 24 2999", "“dec 24 2999” is too far off. Pick a date between 1900 and 2200."),
        (
            "x in 99999999999 days",
            "“in 99999999999 days” is too far off. Pick a date between 1900 and 2200.",
        ),
        (
            "x in 9999999999999 hours",
            "“in 9999999999999 hours” is too far off. Pick a date between 1900 and 2200.",
        ),
        ("x Feb 30", "“Feb 30” is not a date."),
        ("x Feb 29 2027", "“Feb 29 2027” is not a date."),
        ("x 2026-13-01", "“2026-13-01” is not a date."),
    ],
)
def test_dates_that_do_not_exist_or_are_too_far_off_are_errors(text, error):
    result = read(text)

    assert result.errors == (error,)
    assert (result.due_date, result.due_time) == (None, None)


def test_a_time_alone_on_the_last_day_there_is_cannot_roll_over():
    last_evening = datetime(2200, 12, 31, 20, tzinfo=UTC)

    assert read("x 9am", now=last_evening).errors == ("Pick a date between 1900 and 2200.",)


@pytest.mark.parametrize(
    ("text", "title", "rule", "due_date", "project"),
    [
        ("Water the plants every monday", "Water the plants", "FREQ=WEEKLY;BYDAY=MO", on(7), None),
        (
            "Water the plants every monday morning",
            "Water the plants",
            "FREQ=WEEKLY;BYDAY=MO",
            on(7),
            None,
        ),
        ("Water the plants every day #Home", "Water the plants", "FREQ=DAILY", on(1), "Home"),
        ("Water the plants every #Home", "Water the plants every", None, None, "Home"),
    ],
)
def test_repeating_phrases_are_read_as_repeats(text, title, rule, due_date, project):
    result = read(text)

    assert (result.title, result.due_date, result.project) == (title, due_date, project)
    assert (result.repeat.rule if result.repeat else None) == rule


def test_only_the_first_priority_counts():
    result = read("x p1 p2")

    assert (result.title, result.priority) == ("x p2", 1)


def test_tags_are_not_capped():
    result = read("x " + " ".join(f"@t{n}" for n in range(60)))

    assert len(result.tags) == 60
