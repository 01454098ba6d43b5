"""A day with the keyboard only: add, complete, Undo, move, bulk-complete and search,
with focus never dropped to <body> after something htmx did in place."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.steps import add, message, row, signed_in_context
from todos.models import Task
from todos.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

FOCUS_KEPT = "document.activeElement !== null && document.activeElement !== document.body"
IN_VIEW = """(element) => {
  const box = element.getBoundingClientRect();
  return box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth;
}"""


def tab_to(page: Page, target, *, most: int = 80, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has focus, as someone without a mouse would."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(most):
        if target.evaluate("(element) => element === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{most} presses of {key} never reached {target}")


def assert_focus_kept(page: Page) -> None:
    """Once htmx has settled, focus is somewhere, not dropped to <body>."""
    # A locator, not wait_for_function: polling a string re-evaluates it, which CSP forbids.
    expect(page.locator(".htmx-request, .htmx-settling")).to_have_count(0)
    assert page.evaluate(FOCUS_KEPT), "focus fell to <body>"


def test_a_day_with_the_keyboard_only(live_server, browser, axe_for, user):
    today = timezone.localdate()
    home = ProjectFactory(owner=user, name="Home")
    # Priority 3 sorts them above what quick add files (no priority): Buy milk comes last.
    for title in ["Pay rent", "Water plants", "Call the plumber"]:
        add(user, title, home, due_date=today, priority=3)
    context = signed_in_context(
        browser, live_server, user, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    axe = axe_for(page)
    page.goto(live_server.url + "/today/")
    axe.check()
    quick_add = page.get_by_role("textbox", name="Add a task")

    # Add: skip to the content, where quick add is the first stop.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(quick_add).to_be_focused()
    page.keyboard.type("Buy milk")
    page.keyboard.press("Enter")
    expect(row(page, "Buy milk")).to_be_visible()
    expect(quick_add).to_have_value("")
    expect(quick_add).to_be_focused()
    assert_focus_kept(page)
    axe.check()

    # Complete: focus moves on to the next row; the message is in view and announced.
    tab_to(page, page.get_by_role("button", name="Complete “Water plants”"))
    page.keyboard.press("Enter")
    done = message(page, "Completed “Water plants”.")
    expect(done).to_be_visible()
    expect(row(page, "Call the plumber").locator(".task-title")).to_be_focused()
    assert done.evaluate(IN_VIEW), "the message is outside the window"
    assert_focus_kept(page)
    axe.check()

    # Undo, from the message's button.
    tab_to(page, done.get_by_role("button", name="Undo"))
    page.keyboard.press("Enter")
    expect(message(page, "Undone. “Water plants” is open again.")).to_be_visible()
    expect(page.get_by_role("button", name="Complete “Water plants”")).to_be_visible()
    assert_focus_kept(page)
    assert not Task.objects.get(title="Water plants").is_completed
    axe.check()

    # The last row completed: no next row, so focus goes to the message.
    tab_to(page, page.get_by_role("button", name="Complete “Buy milk”"))
    page.keyboard.press("Enter")
    last = message(page, "Completed “Buy milk”.")
    expect(last).to_be_visible()
    expect(page.locator("#messages .toast-message").first).to_be_focused()
    assert last.evaluate(IN_VIEW), "the message is outside the window"
    assert_focus_kept(page)
    axe.check()

    # Move, from the row's menu in the project.
    page.goto(live_server.url + home.get_absolute_url())
    axe.check()
    titles = page.locator("#task-list .task-title")
    expect(titles).to_have_text(["Pay rent", "Water plants", "Call the plumber"])
    tab_to(page, page.get_by_label("More actions for “Call the plumber”"))
    page.keyboard.press("Enter")
    expect(row(page, "Call the plumber").locator("details.row-menu")).to_have_attribute("open", "")
    tab_to(page, row(page, "Call the plumber").get_by_role("button", name="Move up"))
    page.keyboard.press("Enter")
    expect(titles).to_have_text(["Pay rent", "Call the plumber", "Water plants"])
    expect(row(page, "Call the plumber").locator(".task-title")).to_be_focused()
    assert_focus_kept(page)
    axe.check()

    # Bulk-complete two, in selection mode.
    tab_to(page, page.locator(".page-actions").get_by_role("link", name="Select"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("checkbox", name="Select “Pay rent”")).to_be_focused()
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("checkbox", name="Select “Water plants”"))
    page.keyboard.press("Space")
    expect(page.get_by_text("2 tasks selected")).to_be_visible()
    bulk = page.get_by_role("form", name="Selected tasks")
    expect(bulk.get_by_label("Action")).to_have_value("complete")
    tab_to(page, bulk.get_by_role("button", name="Apply"), backwards=True)
    page.keyboard.press("Enter")
    expect(message(page, "Completed: 2 tasks.")).to_be_visible()
    assert_focus_kept(page)
    assert set(
        Task.objects.filter(completed_at__isnull=False).values_list("title", flat=True)
    ) == {"Pay rent", "Water plants", "Buy milk"}
    axe.check()

    # Search from the top bar.
    search = page.get_by_role("search", name="Search tasks").get_by_role("searchbox")
    tab_to(page, search, backwards=True)
    page.keyboard.type("plumber")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 task found")).to_be_visible()
    expect(row(page, "Call the plumber")).to_be_visible()
    axe.check()
    context.close()
