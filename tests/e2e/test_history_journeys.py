"""Issue 15's history in the browser, with JavaScript and without: a member edits a shared
task; its owner reads the change on the task page and on the project's activity page,
filtered by person; axe light and dark on every page."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from tests.e2e.steps import both_schemes, quick_add, signed_in_context
from todos.models import Role, Task
from todos.tests.factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_an_owner_reads_what_a_member_changed(live_server, browser, axe_for, user, javascript):
    user.display_name = "Ada"
    user.save(update_fields=["display_name"])
    project = ProjectFactory(owner=user, name="Household")
    sam = UserFactory(username="sam", display_name="Sam")
    MembershipFactory(project=project, user=sam, role=Role.EDITOR)

    # Ada adds two tasks to the shared project.
    ada = signed_in_context(browser, live_server, user, java_script_enabled=javascript)
    page = ada.new_page()
    axe = axe_for(page, javascript=javascript)
    page.goto(live_server.url + project.get_absolute_url())
    axe.check()
    quick_add(page, "Buy milk", javascript)
    quick_add(page, "Fix the tap", javascript)
    axe.check()
    task = Task.objects.get(title="Buy milk")

    # Sam, an editor, renames the task and makes it urgent.
    context = signed_in_context(browser, live_server, sam, java_script_enabled=javascript)
    page = context.new_page()
    axe_for_sam = axe_for(page, javascript=javascript)
    page.goto(live_server.url + task.get_absolute_url())
    axe_for_sam.check()
    page.get_by_role("link", name="Edit").click()
    axe_for_sam.check()
    page.get_by_label(re.compile(r"^\s*Title")).fill("Buy oat milk")
    page.get_by_label("Priority").select_option(label="Priority 1 (urgent)")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buy oat milk")
    axe_for_sam.check()
    context.close()

    # Ada reads it at the end of the task's page: who, what, old and new.
    page = ada.pages[0]
    page.goto(live_server.url + task.get_absolute_url())
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    entries = page.locator("#history ~ .history-list > .history-entry")
    latest = entries.first
    expect(latest.locator(".history-what")).to_have_text("Sam edited this task")
    expect(latest.locator("dt")).to_have_text(["Title", "Priority"])
    expect(latest.locator("dd").first).to_have_text(
        re.compile(r"Buy milk\s*→\s*to\s*Buy oat milk")
    )
    expect(entries.last.locator(".history-what")).to_have_text("Ada created this task")
    both_schemes(page, axe)

    # And on the project's activity page, from the project's menu.
    page.get_by_role("link", name="Household").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Household")
    axe.check()
    menu = page.locator("details.page-menu")
    menu.locator("summary").click()
    menu.get_by_role("link", name="Activity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activity in Household")
    activity = page.locator(".history-what")
    expect(activity.first).to_have_text("Sam edited “Buy oat milk”")
    expect(activity.filter(has_text="Ada created “Fix the tap”")).to_have_count(1)
    both_schemes(page, axe)

    # Only Sam's changes.
    page.get_by_label("Person").select_option(label="Sam")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(rf"person={sam.pk}"))
    expect(activity).to_have_text(["Sam edited “Buy oat milk”"])
    expect(page.get_by_label("Person")).to_have_value(str(sam.pk))
    axe.check()

    # A kind of change nobody made says so.
    page.get_by_label("Kind of change").select_option(label="Moved")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No changes match these filters.")).to_be_visible()
    axe.check()
    page.get_by_role("link", name="Show everything").click()
    expect(activity.filter(has_text="Ada created “Fix the tap”")).to_have_count(1)
    axe.check()

    # The entry leads back to the task.
    activity.first.get_by_role("link", name="“Buy oat milk”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buy oat milk")
    axe.check()
    ada.close()
