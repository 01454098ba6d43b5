"""Issue 15's assignment in the browser, with JavaScript (htmx) and without: the owner gives a
shared task to a member from the row's menu; the member finds it in Assigned to me and in
their notifications. axe on every page, light and dark."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from tests.e2e.steps import (
    add,
    assert_same_document,
    both_schemes,
    mark_document,
    message,
    row,
    row_menu,
    signed_in_context,
)
from todos.models import Role, Task
from todos.tests.factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_an_owner_assigns_a_shared_task_and_the_member_finds_it(
    live_server, browser, axe_for, user, javascript
):
    household = ProjectFactory(owner=user, name="Household")
    sam = UserFactory(username="sam", display_name="Sam Jones")
    MembershipFactory(project=household, user=sam, role=Role.EDITOR)
    add(user, "Buy milk", project=household, due_date=timezone.localdate())
    add(user, "Fix the tap", project=household)

    # The owner gives "Buy milk" to Sam from the row's menu.
    context = signed_in_context(browser, live_server, user, java_script_enabled=javascript)
    page = context.new_page()
    axe = axe_for(page, javascript=javascript)
    page.goto(live_server.url + household.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Household")
    both_schemes(page, axe)
    menu = row_menu(page, "Buy milk")
    if javascript:
        # (Without script axe checks a twin of the page, loaded afresh with the menu shut.)
        axe.check_open_menu("details.row-menu[open]")
    mark_document(page, javascript)
    menu.get_by_role("button", name="Assign to Sam Jones").click()
    expect(message(page, "Assigned “Buy milk” to Sam Jones.")).to_be_visible()
    assigned = row(page, "Buy milk")
    expect(assigned.locator(".avatar")).to_have_text("SJ")
    expect(assigned.get_by_text("Assigned to Sam Jones", exact=True)).to_be_attached()
    expect(row(page, "Fix the tap").locator(".avatar")).to_have_count(0)
    if javascript:
        assert_same_document(page)
    assert Task.objects.get(title="Buy milk").assignee == sam
    both_schemes(page, axe)
    context.close()

    # Sam finds it in Assigned to me, and hears of it in the notifications.
    context = signed_in_context(browser, live_server, sam, java_script_enabled=javascript)
    page = context.new_page()
    axe = axe_for(page, javascript=javascript)
    page.goto(live_server.url + "/today/")
    expect(row(page, "Buy milk")).to_be_visible()
    axe.check()
    page.get_by_role("navigation", name="Lists").get_by_role("link", name="Assigned to me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assigned to me")
    expect(page.locator("#task-list .task-title")).to_have_text(["Buy milk"])
    expect(row(page, "Buy milk").locator(".avatar")).to_have_text("SJ")
    both_schemes(page, axe)

    bell = page.get_by_role("navigation", name="Main").locator(".notifications-link")
    expect(bell).to_have_accessible_name("Notifications, 1 unread")
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    notice = page.locator(".notification-list .notification").first
    expect(notice).to_contain_text("In Household.")
    link = notice.get_by_role("link", name=re.compile("ada assigned you “Buy milk”"))
    expect(link).to_be_visible()
    both_schemes(page, axe)
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buy milk")
    axe.check()
    context.close()


def test_a_viewer_reads_a_shared_list_without_controls_that_would_be_refused(
    live_server, browser, axe_for, user
):
    household = ProjectFactory(owner=user, name="Household")
    vic = UserFactory(username="vic")
    MembershipFactory(project=household, user=vic, role=Role.VIEWER)
    add(user, "Buy milk", project=household, assignee=vic)
    context = signed_in_context(browser, live_server, vic)
    page = context.new_page()
    axe = axe_for(page)

    page.goto(live_server.url + household.get_absolute_url())
    shown = row(page, "Buy milk")
    expect(shown.locator(".avatar")).to_have_text("V")
    expect(shown.get_by_role("button", name=re.compile("Complete"))).to_have_count(0)
    expect(shown.get_by_role("link", name=re.compile("Edit"))).to_have_count(0)
    both_schemes(page, axe)
    menu = row_menu(page, "Buy milk")
    expect(menu.get_by_role("button")).to_have_text([re.compile("Add to My Day")])
    axe.check_open_menu("details.row-menu[open]")
    context.close()
