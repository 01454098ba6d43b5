"""Issue 12 in the browser: stale pages, Undo, quick add's preview, page days, Today's backlog,
the tags page and double submits; with htmx and without JavaScript, axe on every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD as USER_PASSWORD
from tests.e2e.conftest import AccessibilityAudit
from tests.e2e.steps import (
    add,
    assert_same_document,
    mark_document,
    message,
    quick_add,
    row,
    row_menu,
    screenshots,
    sign_in,
    start_selecting,
)
from todos import services
from todos.models import Tag, Task
from todos.tests.factories import ProjectFactory
from todos.views.lists import OVERDUE_PAGE_SIZE

pytestmark = pytest.mark.django_db(transaction=True)

BOTH = pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])


@pytest.fixture
def open_signed_in(live_server, browser, axe_for, user):
    """Return a function that signs ada in, in a browser of its own, and lands on Today."""
    contexts = []

    def open_page(*, javascript: bool = True) -> tuple[Page, AccessibilityAudit]:
        context = browser.new_context(java_script_enabled=javascript)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        audit = axe_for(page, javascript=javascript)
        page.goto(live_server.url + "/accounts/login/")
        audit.check()
        sign_in(page, "ada", USER_PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("Today")
        audit.check()
        return page, audit

    yield open_page
    for context in contexts:
        context.close()


def titles(page: Page):
    return page.locator("#task-list .task-title")


def open_list(page: Page, audit: AccessibilityAudit, name: str) -> None:
    """Follow the sidebar's link to a list and check it once it is there."""
    page.get_by_role("navigation", name="Lists").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    audit.check()


def expect_completed(page: Page, title: str, javascript: bool) -> None:
    """See the task's row as done: struck through, its button offering to reopen it."""
    if not javascript:
        # Reloaded, the task sits in the collapsed list of completed ones below.
        page.get_by_text(re.compile(r"^Completed \(\d+\+?\)$")).click()
    expect(page.get_by_role("button", name=f"Reopen “{title}”")).to_be_visible()
    expect(row(page, title).locator(".task-title")).to_have_css(
        "text-decoration-line", "line-through"
    )


# 1. Two tabs on one list: the second's buttons are stale.


@BOTH
def test_a_stale_complete_in_a_second_tab_changes_nothing_and_says_so(
    open_signed_in, axe_for, live_server, user, javascript
):
    rent = add(user, "Pay rent")
    plants = add(user, "Water plants")
    first, first_axe = open_signed_in(javascript=javascript)
    open_list(first, first_axe, "Inbox")
    second = first.context.new_page()
    second_axe = axe_for(second, javascript=javascript)
    second.goto(live_server.url + "/inbox/")
    expect(row(second, "Pay rent")).to_be_visible()
    second_axe.check()

    first.get_by_role("button", name="Complete “Pay rent”").click()
    expect(message(first, "Completed “Pay rent”.")).to_be_visible()
    rent.refresh_from_db()
    completed_at = rent.completed_at
    assert completed_at is not None
    first_axe.check()

    mark_document(second, javascript)
    second.get_by_role("button", name="Complete “Pay rent”").click()
    expect(message(second, "“Pay rent” was already completed.")).to_be_visible()
    expect_completed(second, "Pay rent", javascript)
    if javascript:
        assert_same_document(second)
    rent.refresh_from_db()
    assert rent.completed_at == completed_at
    second_axe.check()

    row_menu(first, "Water plants").get_by_role("button", name="Delete", exact=True).click()
    expect(message(first, "Moved “Water plants” to the trash.")).to_be_visible()
    first_axe.check()
    second.get_by_role("button", name="Complete “Water plants”").click()
    expect(message(second, "“Water plants” is in the trash; restore it first.")).to_be_visible()
    expect(row(second, "Water plants")).to_have_count(0)
    plants.refresh_from_db()
    assert plants.is_deleted
    assert not plants.is_completed
    second_axe.check()


# 2. Undo puts things back where they were.


@BOTH
def test_undo_puts_completed_deleted_and_moved_tasks_back_in_their_places(
    open_signed_in, user, tmp_path, javascript
):
    add(user, "Buy milk")
    move = add(user, "Move house")
    add(user, "Pack books", parent=move)
    add(user, "Book van", parent=move)
    add(user, "Call mum")
    ProjectFactory(owner=user, name="Home")
    order = ["Buy milk", "Move house", "Call mum"]
    page, axe = open_signed_in(javascript=javascript)
    open_list(page, axe, "Inbox")
    expect(titles(page)).to_have_text(order)

    # Completing a parent completes its sub-tasks; Undo opens them all again.
    page.get_by_role("button", name="Complete “Move house”").click()
    expect(message(page, "Completed “Move house”.")).to_be_visible()
    assert all(t.is_completed for t in Task.objects.filter(title__in=["Pack books", "Book van"]))
    expect_completed(page, "Move house", javascript)
    expect(row(page, "Move house")).to_contain_text("2/2")
    axe.check()
    if javascript:
        screenshots(page, "undo-message", tmp_path, axe.check)
    message(page, "Completed “Move house”.").get_by_role("button", name="Undo").click()
    expect(message(page, "Undone. “Move house” is open again.")).to_be_visible()
    expect(titles(page)).to_have_text(order)
    expect(page.get_by_role("button", name="Complete “Move house”")).to_be_visible()
    axe.check()
    page.get_by_role("link", name="Move house", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move house")
    expect(titles(page)).to_have_text(["Pack books", "Book van"])
    for title in ["Pack books", "Book van"]:
        expect(page.get_by_role("button", name=f"Complete “{title}”")).to_be_visible()
    assert not Task.objects.filter(completed_at__isnull=False).exists()
    axe.check()

    # Deleting the second of three; Undo brings it back between the others.
    open_list(page, axe, "Inbox")
    row_menu(page, "Move house").get_by_role("button", name="Delete", exact=True).click()
    expect(message(page, "Moved “Move house” to the trash.")).to_be_visible()
    expect(titles(page)).to_have_text(["Buy milk", "Call mum"])
    axe.check()
    message(page, "Moved “Move house” to the trash.").get_by_role("button", name="Undo").click()
    expect(message(page, "Undone. “Move house” is back where it was.")).to_be_visible()
    expect(titles(page)).to_have_text(order)
    assert not Task.objects.filter(deleted_at__isnull=False).exists()
    axe.check()

    # Two tasks moved at once come back to their list, in their order.
    start_selecting(page)
    page.get_by_role("checkbox", name="Select “Buy milk”").check()
    page.get_by_role("checkbox", name="Select “Call mum”").check()
    bulk = page.get_by_role("form", name="Selected tasks")
    bulk.get_by_label("Action").select_option(label="Move to project")
    bulk.get_by_label("Project (for moving)").select_option(label="Home")
    bulk.get_by_role("button", name="Apply").click()
    expect(message(page, "Moved: 2 tasks.")).to_be_visible()
    expect(titles(page)).to_have_text(["Move house"])
    moved = Task.objects.filter(project__name="Home").values_list("title", flat=True)
    assert sorted(moved) == ["Buy milk", "Call mum"]
    axe.check()
    message(page, "Moved: 2 tasks.").get_by_role("button", name="Undo").click()
    expect(message(page, "Undone. 2 tasks back as they were.")).to_be_visible()
    expect(titles(page)).to_have_text(order)
    assert not Task.objects.filter(project__name="Home").exists()
    axe.check()


# 3. Quick add shows what it understood while you type.


def test_the_quick_add_preview_shows_what_a_line_will_set(open_signed_in, user, tmp_path):
    ProjectFactory(owner=user, name="Home")
    page, axe = open_signed_in()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    open_list(page, axe, "Inbox")
    token = page.locator("#quick-add [name=csrfmiddlewaretoken]").input_value()
    field = page.get_by_role("textbox", name="Add a task")
    preview = page.locator("#quick-add-preview")
    expect(preview).to_have_attribute("aria-live", "polite")
    # Nothing to select in an empty Inbox, so no bulk actions either.
    expect(page.get_by_role("form", name="Selected tasks")).to_be_hidden()

    field.press_sequentially("Pay rent tomorrow 9am p1 #Home @bills", delay=40)
    for shown in ["“Pay rent”", "Tomorrow at 09:00", "priority 1", "Home", "bills"]:
        expect(preview).to_contain_text(shown)
    screenshots(page, "quick-add-preview", tmp_path, axe.check)

    field.press("Enter")
    # Filed in Home, so not in this list: the box says where it went, and starts afresh.
    expect(page.get_by_role("status").filter(has_text="Added “Pay rent” to Home")).to_be_visible()
    expect(page.locator("#quick-add-preview")).to_be_empty()
    rent = Task.objects.get(title="Pay rent")
    assert (rent.priority, rent.project.name, rent.due_time.hour) == (1, "Home", 9)
    assert [tag.name for tag in rent.tags.all()] == ["bills"]
    axe.check()

    page.get_by_role("textbox", name="Add a task").press_sequentially("Review PR #123", delay=40)
    expect(page.locator("#quick-add-preview")).to_contain_text(
        "#123 is not one of your projects; kept in the title."
    )
    expect(page.locator("#quick-add-preview")).to_contain_text("“Review PR #123”")
    axe.check()

    previews = [url for url in requests if "/tasks/quick-add/preview/" in url]
    assert previews, "the preview never asked the server"
    leaked = [url for url in requests if "csrfmiddlewaretoken" in url or token in url]
    assert not leaked, f"the CSRF token went into a URL: {leaked}"


def test_quick_add_without_javascript_adds_the_line_and_shows_no_preview(open_signed_in, user):
    ProjectFactory(owner=user, name="Home")
    page, axe = open_signed_in(javascript=False)
    open_list(page, axe, "Inbox")

    quick_add(page, "Pay rent tomorrow 9am p1 #Home @bills", javascript=False)

    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    expect(message(page, "Added “Pay rent” to Home.")).to_be_visible()
    expect(page.locator("#quick-add-preview")).to_be_empty()
    rent = Task.objects.get(title="Pay rent")
    assert (rent.priority, rent.project.name, rent.due_time.hour) == (1, "Home", 9)
    axe.check()


# 4. A task added on Today is due today; one added on a day of Upcoming, that day.


@BOTH
def test_adding_on_today_and_on_a_day_of_upcoming_gives_the_task_that_day(
    open_signed_in, user, javascript
):
    today = timezone.localdate()
    page, axe = open_signed_in(javascript=javascript)

    quick_add(page, "Call mum", javascript)
    added = page.get_by_role("status").filter(has_text="Added “Call mum”")
    # With htmx quick add says so in its box; without, the page comes back with a message.
    expect(added.or_(message(page, "Added “Call mum”")).first).to_be_visible()
    expect(
        page.locator("#task-list").get_by_role("link", name="Call mum", exact=True)
    ).to_be_visible()
    expect(row(page, "Call mum")).to_contain_text("Today")
    expect(page.get_by_text("Nothing due today")).to_be_hidden()
    assert Task.objects.get(title="Call mum").due_date == today
    axe.check()

    day = today + timedelta(days=2)
    page.get_by_role("navigation", name="Lists").get_by_role("link", name="Upcoming").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upcoming")
    axe.check()
    page.get_by_role("link", name=f"Add a task on {day:%A %-d %B}").click()
    # The box for that day, ready to type in (autofocus needs no JavaScript).
    expect(page.get_by_role("textbox", name=f"Add a task on {day:%A %-d %B}")).to_be_focused()
    axe.check()

    quick_add(page, "Dentist", javascript)
    section = page.get_by_role("region", name=f"{day:%A} {day:%-d %B}")
    expect(section.get_by_role("link", name="Dentist", exact=True)).to_be_visible()
    expect(section.get_by_text("Nothing planned.")).to_be_hidden()
    assert Task.objects.get(title="Dentist").due_date == day
    axe.check()


# 5. A long overdue backlog never pushes today's tasks off Today.


def test_today_pages_a_big_overdue_backlog_apart(open_signed_in, user, tmp_path):
    today = timezone.localdate()
    inbox = services.ensure_inbox(user)
    for n in range(1, 61):
        add(user, f"Backlog {n:02}", inbox, due_date=today - timedelta(days=61 - n))
    add(user, "Pay rent", inbox, due_date=today)
    add(user, "Call mum", inbox, due_date=today)
    page, axe = open_signed_in()

    overdue = page.locator("details.overdue")
    overdue_titles = page.locator("#overdue-list .task-title")
    expect(titles(page)).to_have_text(["Pay rent", "Call mum"])
    expect(overdue.get_by_role("heading", level=2, name="Overdue")).to_be_visible()
    expect(overdue).to_have_attribute("open", "")
    expect(overdue_titles).to_have_count(OVERDUE_PAGE_SIZE)
    expect(overdue_titles.first).to_have_text("Backlog 01")
    expect(overdue_titles.last).to_have_text(f"Backlog {OVERDUE_PAGE_SIZE:02}")
    screenshots(page, "today-overdue", tmp_path, axe.check)

    pager = page.get_by_role("navigation", name="Pages of overdue tasks")
    pager.get_by_role("link", name="Next").click()
    expect(overdue_titles.first).to_have_text(f"Backlog {OVERDUE_PAGE_SIZE + 1:02}")
    expect(overdue_titles).to_have_count(OVERDUE_PAGE_SIZE)
    expect(pager).to_contain_text("Page 2")
    expect(titles(page)).to_have_text(["Pay rent", "Call mum"])
    axe.check()

    overdue.locator(":scope > summary").click()
    expect(overdue).not_to_have_attribute("open", "")
    expect(page.locator("#overdue-list")).to_be_hidden()
    expect(titles(page)).to_have_text(["Pay rent", "Call mum"])
    axe.check()


# 6. Tags: rename, recolour, merge into a taken name, delete.


@BOTH
def test_tags_are_renamed_merged_and_deleted_from_the_tags_page(
    open_signed_in, user, tmp_path, javascript
):
    home = ProjectFactory(owner=user, name="Home")
    for title, tag in [
        ("Pay rent", "bills"),
        ("Pay gas", "bills"),
        ("Get cash", "cash"),
        ("Buy milk", "errand"),
    ]:
        add(user, title, home, tags=services.tags_named(user, [tag]))
    page, axe = open_signed_in(javascript=javascript)

    page.get_by_role("navigation", name="Lists").get_by_role("link", name="Manage tags").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tags")
    axe.check()
    if javascript:
        screenshots(page, "tags", tmp_path, axe.check)

    page.get_by_role("link", name="Edit @bills").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit @bills")
    axe.check()
    page.get_by_label(re.compile(r"^\s*Name")).fill("money")
    page.get_by_label("Green").check()
    page.get_by_role("button", name="Save tag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("@money")
    expect(message(page, "Saved tag @money.")).to_be_visible()
    money = Tag.objects.get(owner=user, name="money")
    assert money.colour == "green"
    axe.check()

    page.get_by_role("navigation", name="Lists").get_by_role("link", name="Manage tags").click()
    axe.check()
    page.get_by_role("link", name="Edit @cash").click()
    axe.check()
    page.get_by_label(re.compile(r"^\s*Name")).fill("money")
    page.get_by_role("button", name="Save tag").click()
    expect(page.get_by_text("You already have a tag called “money”.")).to_be_visible()
    merge = page.get_by_label("Merge @cash into @money")
    expect(merge).not_to_be_checked()
    assert Tag.objects.filter(owner=user).count() == 3
    axe.check()
    merge.check()
    page.get_by_role("button", name="Save tag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("@money")
    expect(message(page, "Merged @cash into @money.")).to_be_visible()
    for title in ["Pay rent", "Pay gas", "Get cash"]:
        expect(row(page, title)).to_be_visible()
    assert sorted(Tag.objects.filter(owner=user).values_list("name", flat=True)) == [
        "errand",
        "money",
    ]
    assert sorted(money.tasks.values_list("title", flat=True)) == [
        "Get cash",
        "Pay gas",
        "Pay rent",
    ]
    axe.check()

    page.get_by_role("navigation", name="Lists").get_by_role("link", name="Manage tags").click()
    axe.check()
    page.get_by_role("link", name="Delete @errand…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete @errand?")
    expect(page.get_by_text("1 task has this tag; it stays, without it.")).to_be_visible()
    axe.check()
    page.get_by_role("button", name="Delete tag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tags")
    expect(message(page, "Deleted tag @errand")).to_be_visible()
    expect(page.get_by_role("link", name="@errand")).to_have_count(0)
    assert list(Tag.objects.filter(owner=user).values_list("name", flat=True)) == ["money"]
    assert Task.objects.filter(title="Buy milk").exists()
    axe.check()


# 7. The same quick-add form sent twice adds one task.


def test_the_same_quick_add_form_sent_twice_adds_one_task(open_signed_in, user):
    page, axe = open_signed_in(javascript=False)
    open_list(page, axe, "Inbox")
    key = page.locator("#quick-add [name=key]").input_value()

    with page.expect_request(lambda r: r.method == "POST" and "/quick-add/" in r.url) as sent:
        quick_add(page, "Buy milk", javascript=False)
    assert f"key={key}" in sent.value.post_data
    axe.check()

    # Back, Chromium loads the page again: a fresh form, with a fresh key...
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    assert page.locator("#quick-add [name=key]").input_value() != key
    axe.check()
    # ...so send the first submission again as it was, the way a browser re-posts a page.
    again = page.request.post(
        sent.value.url,
        data=sent.value.post_data,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        max_redirects=0,
    )
    assert again.status == 302
    assert Task.objects.filter(title="Buy milk").count() == 1
    page.reload()
    expect(row(page, "Buy milk")).to_have_count(1)
    axe.check()

    # The same words from the fresh form are a new submission: a second task, on purpose.
    quick_add(page, "Buy milk", javascript=False)
    expect(row(page, "Buy milk")).to_have_count(2)
    assert Task.objects.filter(title="Buy milk").count() == 2
    axe.check()
