"""Issue 14's My Day in the browser, with JavaScript (htmx) and without: planning from a
row's menu, the suggestions and quick add, taking a task off; axe light and dark, pictures
on the desktop and a phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.steps import (
    add,
    both_schemes,
    message,
    pictures,
    quick_add,
    row,
    row_menu,
    shots_dir,
    signed_in_context,
)
from todos import myday

pytestmark = pytest.mark.django_db(transaction=True)


def planned_titles(user) -> set[str]:
    return set(myday.planned(user, timezone.localdate()).values_list("title", flat=True))


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_a_day_is_planned(live_server, browser, axe_for, user, javascript, tmp_path, monkeypatch):
    shots_dir(monkeypatch)
    today = timezone.localdate()
    add(user, "Call the plumber", due_date=today, priority=2)
    add(user, "Pay rent", due_date=today)
    context = signed_in_context(browser, live_server, user, java_script_enabled=javascript)
    page = context.new_page()
    axe = axe_for(page, javascript=javascript)
    lists = page.get_by_role("navigation", name="Lists")
    my_day_link = lists.get_by_role("link", name="My Day")

    page.goto(live_server.url + "/today/")
    # My Day comes first, above Today.
    expect(lists.locator(".side-link").first).to_have_accessible_name("My Day")
    axe.check()
    menu = row_menu(page, "Call the plumber")
    if javascript:
        # (Without script axe checks a twin of the page, loaded afresh with the menu shut.)
        axe.check_open_menu("details.row-menu[open]")
    menu.get_by_role("button", name="Add to My Day").click()
    expect(message(page, "Added “Call the plumber” to My Day.")).to_be_visible()
    expect(row(page, "Call the plumber").locator(".is-planned")).to_have_text("My Day")
    assert planned_titles(user) == {"Call the plumber"}
    axe.check()

    my_day_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My Day")
    expect(my_day_link.locator(".side-count")).to_have_text("1 open")
    expect(page.locator("#task-list .task-title")).to_have_text(["Call the plumber"])
    suggestions = page.get_by_role("region", name="Suggestions")
    expect(suggestions.get_by_role("link", name="Pay rent")).to_be_visible()
    both_schemes(page, axe)

    # A suggestion joins the plan.
    suggestions.get_by_role("button", name="Add “Pay rent” to My Day").click()
    expect(message(page, "Added “Pay rent” to My Day.")).to_be_visible()
    expect(page.locator("#task-list .task-title")).to_have_text(["Call the plumber", "Pay rent"])
    expect(suggestions.get_by_role("link", name="Pay rent")).to_have_count(0)
    assert planned_titles(user) == {"Call the plumber", "Pay rent"}
    axe.check()

    # What is typed here is planned for today, wherever it is filed.
    quick_add(page, "Buy milk", javascript)
    expect(row(page, "Buy milk")).to_be_visible()
    assert planned_titles(user) == {"Call the plumber", "Pay rent", "Buy milk"}
    page.reload()
    expect(page.locator("#task-list .task-title")).to_have_text(
        ["Call the plumber", "Pay rent", "Buy milk"]
    )
    expect(my_day_link.locator(".side-count")).to_have_text("3 open")
    both_schemes(page, axe)
    if javascript:
        pictures(page, "my-day", tmp_path, axe.check)

    # Taking one off leaves the task where it was.
    menu = row_menu(page, "Call the plumber")
    menu.get_by_role("button", name="Remove from My Day").click()
    expect(message(page, "Removed “Call the plumber” from My Day.")).to_be_visible()
    expect(page.locator("#task-list .task-title")).to_have_text(["Pay rent", "Buy milk"])
    assert planned_titles(user) == {"Pay rent", "Buy milk"}
    axe.check()
    page.reload()
    expect(my_day_link.locator(".side-count")).to_have_text("2 open")
    axe.check()

    # And from the task page.
    page.get_by_role("link", name="Call the plumber", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Call the plumber")
    page.get_by_role("button", name="Add to My Day").click()
    expect(message(page, "Added “Call the plumber” to My Day.")).to_be_visible()
    expect(page.get_by_role("button", name="Remove from My Day")).to_be_visible()
    expect(my_day_link.locator(".side-count")).to_have_text("3 open")
    both_schemes(page, axe)
    context.close()
