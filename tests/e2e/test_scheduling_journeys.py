"""Issue 14's repeating tasks in the browser, with JavaScript (htmx) and without: the full
form with a preset and its preview of the next dates, completing and skipping occurrences,
undoing a completion; axe on every page in light and dark."""

import re
from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.steps import (
    PHONE,
    both_schemes,
    message,
    pictures,
    row,
    shots_dir,
    signed_in_context,
)
from todos.models import Task

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = re.compile(r"^\s*Title")


def fill_repeating_task(page, title: str, day, preset: str) -> None:
    """Fill in the full form for a task due on `day` that repeats by `preset`."""
    page.get_by_label(TITLE).fill(title)
    page.get_by_role("textbox", name="Due date").fill(day.isoformat())
    page.get_by_role("combobox", name="How often").select_option(label=preset)


def expect_next_dates(page, first) -> None:
    """The preview lists five dates, one a day from `first`, with nothing saved."""
    dates = page.locator("#repeat-dates time")
    expect(dates).to_have_count(5)
    expect(dates.first).to_have_attribute("datetime", first.isoformat())
    expect(dates.nth(1)).to_have_attribute("datetime", (first + timedelta(days=1)).isoformat())
    assert not Task.objects.exists(), "the preview saved the task"


# The numbers of the dates in the preview that are drawn over the date before them: an
# outside list marker needs room between items that sit side by side on one line.
MARKER_CLASHES = """(list) => {
  const items = [...list.children];
  const style = getComputedStyle(items[0]);
  if (style.listStylePosition === "inside" || style.listStyleType === "none") return [];
  const pen = document.createElement("canvas").getContext("2d");
  pen.font = style.font;
  const clashes = [];
  for (let i = 1; i < items.length; i++) {
    const before = items[i - 1].getBoundingClientRect();
    const box = items[i].getBoundingClientRect();
    const marker = pen.measureText(`${i + 1}. `).width;
    if (Math.abs(before.top - box.top) < 1 && box.left - marker < before.right - 0.5) {
      clashes.push(`${i + 1}. over "${items[i - 1].textContent}"`);
    }
  }
  return clashes;
}"""


def due_fact(page):
    return page.locator(".task-facts dt:text-is('Due') + dd")


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_a_daily_task_is_completed_undone_and_skipped(
    live_server, browser, axe_for, user, javascript, tmp_path, monkeypatch
):
    shots_dir(monkeypatch)
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    context = signed_in_context(browser, live_server, user, java_script_enabled=javascript)
    page = context.new_page()
    axe = axe_for(page, javascript=javascript)

    page.goto(live_server.url + "/tasks/new/")
    expect(page.get_by_role("group", name="Repeat")).to_be_visible()
    both_schemes(page, axe)
    fill_repeating_task(page, "Water plants", today, "Every day")
    page.get_by_role("button", name="Show the next dates").click()
    expect_next_dates(page, today)
    # What was typed is kept for the save.
    expect(page.get_by_label(TITLE)).to_have_value("Water plants")
    expect(page.get_by_role("combobox", name="How often")).to_have_value("daily")
    both_schemes(page, axe)
    if javascript:
        pictures(page, "repeat-form", tmp_path, axe.check, show=page.locator("#repeat-dates"))

    page.get_by_role("button", name="Add task").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Water plants")
    task = Task.objects.get()
    assert (task.recurrence, task.due_date) == ("FREQ=DAILY", today)
    repeats = page.locator(".task-facts dt:text-is('Repeats') + dd")
    expect(repeats).to_contain_text(re.compile("every day", re.IGNORECASE))
    expect(due_fact(page)).to_contain_text("Today")
    both_schemes(page, axe)

    lists = page.get_by_role("navigation", name="Lists")
    lists.get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(row(page, "Water plants").locator(".is-repeat")).to_contain_text(
        re.compile("every day", re.IGNORECASE)
    )
    both_schemes(page, axe)

    # Complete this occurrence: the task stays open and moves to tomorrow.
    page.get_by_role("link", name="Water plants", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Water plants")
    page.get_by_role("button", name="Complete this occurrence").click()
    done = message(page, "Completed “Water plants” for")
    expect(done).to_contain_text(f"next on {tomorrow:%a %-d %b}")
    expect(due_fact(page)).to_contain_text("Tomorrow")
    expect(page.locator(".task-facts dt:text-is('Done') + dd")).to_contain_text(
        re.compile(r"^\s*1 time, last on ")
    )
    task.refresh_from_db()
    assert (task.completed_at, task.due_date) == (None, tomorrow)
    assert task.completions.count() == 1
    both_schemes(page, axe)

    # Undo from the toast puts the occurrence back.
    done.get_by_role("button", name="Undo").click()
    expect(message(page, "Undone.")).to_be_visible()
    expect(due_fact(page)).to_contain_text("Today")
    expect(page.locator(".task-facts dt:text-is('Done')")).to_have_count(0)
    task.refresh_from_db()
    assert (task.completed_at, task.due_date) == (None, today)
    assert task.completions.count() == 0
    axe.check()

    # Skipping moves it on without counting it as done.
    page.get_by_role("button", name="Skip this occurrence").click()
    expect(
        message(page, f"Skipped: “Water plants” is now due {tomorrow:%a %-d %b}.")
    ).to_be_visible()
    expect(due_fact(page)).to_contain_text("Tomorrow")
    expect(page.locator(".task-facts dt:text-is('Done')")).to_have_count(0)
    task.refresh_from_db()
    assert (task.completed_at, task.due_date, task.completions.count()) == (None, tomorrow, 0)
    both_schemes(page, axe)
    context.close()


def test_a_typed_rule_is_read_and_previewed(live_server, browser, axe_for, user):
    today = timezone.localdate()
    context = signed_in_context(browser, live_server, user)
    page = context.new_page()
    axe = axe_for(page)
    page.goto(live_server.url + "/tasks/new/")
    axe.check()
    fill_repeating_task(page, "Team call", today, "Another rule, typed below")
    page.get_by_label("Rule").fill("every 2 weeks on tuesday")
    page.get_by_role("button", name="Show the next dates").click()
    dates = page.locator("#repeat-dates time")
    expect(dates).to_have_count(5)
    # Every date after the first is a Tuesday, two weeks after the one before.
    days = [date.fromisoformat(dates.nth(i).get_attribute("datetime")) for i in range(5)]
    assert all(day.weekday() == 1 for day in days[1:]), days
    assert all(b - a == timedelta(weeks=2) for a, b in pairwise(days[1:]))
    assert not Task.objects.exists()
    both_schemes(page, axe)
    page.get_by_role("button", name="Add task").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team call")
    expect(page.locator(".task-facts dt:text-is('Repeats') + dd")).to_contain_text(
        re.compile("other tuesday|2 weeks", re.IGNORECASE)
    )
    assert "INTERVAL=2" in Task.objects.get().recurrence
    axe.check()
    context.close()


def test_a_bad_typed_rule_is_explained_and_kept(live_server, browser, axe_for, user):
    context = signed_in_context(browser, live_server, user)
    page = context.new_page()
    axe = axe_for(page)
    page.goto(live_server.url + "/tasks/new/")
    axe.check()
    fill_repeating_task(page, "Odd one", timezone.localdate(), "Another rule, typed below")
    page.get_by_label("Rule").fill("every blue moon")
    page.get_by_role("button", name="Add task").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(page.get_by_label("Rule")).to_have_value("every blue moon")
    assert not Task.objects.exists()
    axe.check()
    context.close()


@pytest.mark.parametrize("size", [{"width": 1280, "height": 800}, PHONE], ids=["desktop", "phone"])
def test_the_previewed_dates_do_not_overlap(live_server, browser, axe_for, user, size):
    context = signed_in_context(browser, live_server, user, viewport=size)
    page = context.new_page()
    axe = axe_for(page)
    page.goto(live_server.url + "/tasks/new/")
    axe.check()
    fill_repeating_task(page, "Water plants", timezone.localdate(), "Every day")
    page.get_by_role("button", name="Show the next dates").click()
    expect(page.locator("#repeat-dates li")).to_have_count(5)
    axe.check()
    assert page.locator(".repeat-date-list").evaluate(MARKER_CLASHES) == []
    context.close()
