"""Quick add's +name: whom a line gives its task to, read like a tag and never raising."""

import re
import time as clock
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from todos.quickadd import MAX_TITLE, SEPARATORS, parse

NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)  # Sunday, 15:00 UTC
FORM_LIMIT = 2000  # QuickAddForm's max_length
USERNAME = re.compile(r"[\w.-]{1,150}")


def read(text, projects=("Home",)):
    return parse(text, now=NOW, tz=UTC, projects=list(projects))


@pytest.mark.parametrize(
    ("text", "title", "name"),
    [
        ("Buy milk +sam", "Buy milk", "sam"),
        ("+Sam buy milk", "buy milk", "Sam"),
        ("Call +sam.jones-2_b now", "Call now", "sam.jones-2_b"),
        ("Ask +sam, then pay", "Ask then pay", "sam"),
        ("Pay rent +bob.", "Pay rent", "bob"),
        ("Read +élodie", "Read", "élodie"),
        ("Fix +r2d2", "Fix", "r2d2"),
    ],
)
def test_a_plus_name_is_read_as_typed_and_leaves_the_title(text, title, name):
    result = read(text)

    assert result.ok
    assert (result.title, result.assignee) == (title, name)
    assert ("assignee", next(w for w in text.split() if w.startswith("+"))) in result.phrases


@pytest.mark.parametrize(
    "text",
    [
        "Learn C++",
        "a+b",
        "Plan + do",
        "Score +1",
        "Call +44 20 7946 0000",
        "Mix +.-",
        "Email sam+ticklist@example.com",
        "Ping +sam@example.com",
        '"+sam" is a band',
        "Name “+sam” in the title",
    ],
)
def test_a_plus_that_names_nobody_stays_in_the_title(text):
    result = read(text)

    assert result.assignee is None
    assert result.title == text.replace('"', "").replace("“", "").replace("”", "")
    assert result.notices == ()


def test_the_first_name_wins_and_another_stays_with_a_notice():
    result = read("Paint the fence +sam +vic")

    assert (result.title, result.assignee) == ("Paint the fence +vic", "sam")
    assert result.notices == ("Only one person per task: +vic kept in the title.",)


def test_a_name_goes_with_the_rest_of_the_line():
    result = read("Pay rent +sam friday 9am p1 #home @bills !myday")

    assert result.ok
    assert (result.title, result.assignee, result.project) == ("Pay rent", "sam", "Home")
    assert result.due_date == date(2026, 11, 27)
    assert (result.priority, result.tags, result.my_day) == (1, ("bills",), True)


def test_a_weekday_before_a_name_at_the_end_is_still_read():
    # Nothing but phrases follows "friday", as with a tag after it.
    assert read("Buy friday +sam").due_date == date(2026, 11, 27)
    assert read("Buy friday newspaper +sam").due_date is None


def test_a_name_alone_is_no_title():
    result = read("+sam")

    assert result.assignee == "sam"
    assert result.errors == ("A task needs a title: type what to do as well as when.",)


def test_the_longest_username_is_read_and_a_longer_word_stays():
    longest, longer = "a" * 150, "a" * 151

    assert read(f"Call +{longest}").assignee == longest
    assert read(f"Call +{longer}").assignee is None
    assert read(f"Call +{longer}").title == f"Call +{longer}"


GRAMMAR = st.sampled_from(
    ["+sam", "+Sam.", "+", "++", "+1", "+a.b", "a+b", "C++", "tomorrow", "p1", "@tag", "#Home"]
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=FORM_LIMIT))
def test_any_text_parses_without_an_exception(text):
    result = read(text)

    assert result.assignee is None or USERNAME.fullmatch(result.assignee)
    assert len(result.title) <= MAX_TITLE or result.errors


def words_of(words: list[str]) -> Counter:
    """Count the words, without the separators a title may shed at its ends."""
    return Counter(word.strip(SEPARATORS) for word in words if word.strip(SEPARATORS))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(GRAMMAR, st.text(max_size=6)), max_size=40))
# Lines Hypothesis found: a separator the title shed beside a name it read.
@example(["+sam", ","])
@example(["+sam", "-"])
def test_every_word_ends_up_in_the_title_or_in_one_phrase(words):
    text = " ".join(word for word in words if word.strip() and not set(word) & set('"“”\x00'))
    result = read(text)

    read_words = [word for _, phrase in result.phrases for word in phrase.split()]
    # The title sheds the separators (",", "-", ...) left at its ends once a phrase is
    # read ("Call mum - tomorrow" is "Call mum"): every word is kept, but for those.
    assert words_of(result.title.split() + read_words) == words_of(text.split())
    names = [phrase for kind, phrase in result.phrases if kind == "assignee"]
    assert len(names) <= 1
    assert (result.assignee is None) == (names == [])


def thread_seconds(text: str) -> float:
    started = clock.thread_time()
    parse(text, now=NOW, tz=UTC, projects=["Home"])
    return clock.thread_time() - started


@pytest.mark.parametrize("unit", ["+a ", "+" + "a" * 150 + " ", "+" * 150 + " ", "+1 "])
def test_a_line_of_names_as_long_as_the_form_takes_parses_in_under_50_ms(unit):
    line = (unit * (FORM_LIMIT // len(unit) + 1))[:FORM_LIMIT]

    assert min(thread_seconds(line) for _ in range(5)) < 0.050
    assert read(line).assignee in (None, "a", "a" * 150)
