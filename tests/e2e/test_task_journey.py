"""The daily to-do journey, with JavaScript (htmx) and without, axe on every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD as USER_PASSWORD
from tests.e2e.steps import (
    assert_same_document,
    mark_document,
    quick_add,
    row,
    row_menu,
    sign_in,
    sign_up,
)
from todos.models import Task
from todos.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

LINES = [
    "Pay rent tomorrow 9am p1 #Home @bills",
    "Call the plumber today p2 #Home",
    "Buy milk today @errand",
    "Renew passport in 3 days p3",
    "Water plants next week #Home",
]


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_daily_journey(live_server, browser, axe_for, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    axe = axe_for(page, javascript=javascript)
    lists = page.get_by_role("navigation", name="Lists")

    page.goto(live_server.url + "/accounts/signup/")
    axe.check()
    sign_up(page, "ada", "ada@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(page.get_by_text("Nothing due today")).to_be_visible()
    axe.check()

    # A project to file tasks in.
    lists.get_by_role("link", name="New project").click()
    axe.check()
    page.get_by_label(re.compile(r"^\s*Name")).fill("Home")
    page.get_by_label("Green").check()
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    axe.check()

    lists.get_by_role("link", name="Inbox").click()
    # Arrived before typing: lines typed into the page being left would be lost.
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    axe.check()
    for line in LINES:
        quick_add(page, line, javascript)
    axe.check()
    assert Task.objects.count() == 5
    rent = Task.objects.get(title="Pay rent")
    assert (rent.priority, rent.project.name, rent.due_time.hour) == (1, "Home", 9)

    lists.get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(row(page, "Call the plumber")).to_be_visible()
    expect(row(page, "Buy milk")).to_be_visible()
    expect(row(page, "Pay rent")).to_have_count(0)
    axe.check()

    lists.get_by_role("link", name="Upcoming").click()
    tomorrow = page.get_by_role("region", name=re.compile("^Tomorrow"))
    expect(tomorrow.get_by_role("link", name="Pay rent", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Renew passport", exact=True)).to_be_visible()
    axe.check()

    lists.get_by_role("link", name="bills").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("@bills")
    expect(row(page, "Pay rent")).to_be_visible()
    expect(row(page, "Buy milk")).to_have_count(0)
    axe.check()

    lists.get_by_role("link", name=re.compile("^Home")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    for title in ["Pay rent", "Call the plumber", "Water plants"]:
        expect(row(page, title)).to_be_visible()
    axe.check()

    # Complete, then reopen.
    page.get_by_role("button", name="Complete “Call the plumber”").click()
    if not javascript:
        # After the reload the completed task sits in the collapsed list below.
        page.get_by_text("Completed (1)").click()
    expect(page.get_by_role("button", name="Reopen “Call the plumber”")).to_be_visible()
    assert Task.objects.get(title="Call the plumber").is_completed
    axe.check()
    page.get_by_role("button", name="Reopen “Call the plumber”").click()
    expect(page.get_by_role("button", name="Complete “Call the plumber”")).to_be_visible()
    assert not Task.objects.get(title="Call the plumber").is_completed

    # Reorder with the keyboard: open the row's menu, focus "Move up" and press Enter.
    titles = page.locator("#task-list .task-title")
    expect(titles).to_have_text(["Pay rent", "Call the plumber", "Water plants"])
    mark_document(page, javascript)
    page.get_by_label("More actions for “Water plants”").focus()
    page.keyboard.press("Enter")
    move_up = row(page, "Water plants").get_by_role("button", name="Move up")
    expect(move_up).to_be_visible()
    move_up.focus()
    page.keyboard.press("Enter")
    expect(titles).to_have_text(["Pay rent", "Water plants", "Call the plumber"])
    if javascript:
        # htmx swapped the list in place; focus stays on the moved task, ready for the next step.
        assert_same_document(page)
        expect(row(page, "Water plants").locator(".task-title")).to_be_focused()
    axe.check()

    # Edit one with the full form.
    page.get_by_role("link", name="Water plants", exact=True).click()
    # Audit the task page only once the browser is on it, not the list it came from.
    expect(page).to_have_url(re.compile(r"/tasks/\d+/$"))
    axe.check()
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("button", name="Save changes")).to_be_visible()
    axe.check()
    page.get_by_label(re.compile(r"^\s*Title")).fill("Water the plants")
    page.get_by_label("Notes").fill("Ferns first: see https://example.com/ferns")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Water the plants")
    expect(page.get_by_role("link", name="https://example.com/ferns")).to_be_visible()
    axe.check()

    # Search, from the box in the top bar.
    search = page.get_by_role("search", name="Search tasks").get_by_role("searchbox")
    search.fill("ferns")
    search.press("Enter")
    expect(page.get_by_role("heading", name="1 task found")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=ferns"))
    expect(page.get_by_label("Words in the title or notes")).to_have_value("ferns")
    axe.check()

    # Delete, then undo.
    lists.get_by_role("link", name="Inbox").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    axe.check()
    row_menu(page, "Buy milk").get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_text("Moved “Buy milk” to the trash.")).to_be_visible()
    expect(row(page, "Buy milk")).to_have_count(0)
    assert Task.objects.get(title="Buy milk").is_deleted
    axe.check()
    mark_document(page, javascript)
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Undone. “Buy milk” is back where it was.")).to_be_visible()
    expect(row(page, "Buy milk")).to_be_visible()
    if javascript:
        assert_same_document(page)
    assert not Task.objects.get(title="Buy milk").is_deleted
    axe.check()
    context.close()


def test_an_unknown_project_is_kept_in_the_title_and_offered(live_server, page: Page, axe, user):
    page.goto(live_server.url + "/accounts/login/")
    axe.check()
    sign_in(page, "ada", USER_PASSWORD)
    axe.check()

    page.get_by_role("textbox", name="Add a task").fill("Plan trip #Lisbon")
    page.get_by_role("textbox", name="Add a task").press("Enter")

    expect(
        page.get_by_text("#Lisbon is not one of your projects; kept in the title.")
    ).to_be_visible()
    assert Task.objects.get().title == "Plan trip #Lisbon"
    axe.check()
    page.get_by_role(
        "button", name="Create project “Lisbon” and move “Plan trip #Lisbon” there"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Lisbon")
    expect(row(page, "Plan trip")).to_be_visible()
    assert Task.objects.get().project.name == "Lisbon"
    axe.check()


def test_overdue_tasks_are_highlighted_on_today(live_server, page: Page, axe, user):
    from todos.services import create_task, ensure_inbox

    create_task(
        owner=user,
        project=ensure_inbox(user),
        title="Late bill",
        due_date=timezone.localdate() - timedelta(days=2),
    )
    page.goto(live_server.url + "/accounts/login/")
    axe.check()
    sign_in(page, "ada", USER_PASSWORD)

    expect(page.get_by_role("heading", name="Overdue")).to_be_visible()
    expect(row(page, "Late bill")).to_contain_text("Overdue, due")
    axe.check()


def test_drag_and_drop_reorders_and_survives_a_swap(live_server, page: Page, axe, user):
    from todos.services import create_task

    home = ProjectFactory(owner=user, name="Home")
    for title in ["First", "Second", "Third"]:
        create_task(owner=user, project=home, title=title)
    page.goto(live_server.url + "/accounts/login/")
    axe.check()
    sign_in(page, "ada", USER_PASSWORD)
    axe.check()
    page.goto(live_server.url + home.get_absolute_url())
    axe.check()
    titles = page.locator("#task-list .task-title")

    with page.expect_response(lambda r: r.url.endswith("/reorder/")) as reordered:
        row(page, "Third").drag_to(row(page, "First"), target_position={"x": 20, "y": 2})

    assert reordered.value.status == 204
    expect(titles).to_have_text(["Third", "First", "Second"])
    assert list(
        Task.objects.filter(project=home).in_manual_order().values_list("title", flat=True)
    ) == ["Third", "First", "Second"]

    # The up button swaps the list in; dragging in the new list still works.
    row_menu(page, "Second").get_by_role("button", name="Move up").click()
    expect(titles).to_have_text(["Third", "Second", "First"])
    with page.expect_response(lambda r: r.url.endswith("/reorder/")):
        row(page, "First").drag_to(row(page, "Third"), target_position={"x": 20, "y": 2})
    expect(titles).to_have_text(["First", "Third", "Second"])
    assert list(
        Task.objects.filter(project=home).in_manual_order().values_list("title", flat=True)
    ) == ["First", "Third", "Second"]
    axe.check()
