"""Issue 15's sharing in the browser, with JavaScript (htmx) and without: an owner invites
someone by username, who finds the invitation, accepts it and sees the project shared in
their sidebar; members are changed and the project is left; axe light and dark."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from tests.e2e.steps import add, both_schemes, message, row, signed_in_context
from todos.models import Invitation, Membership, Role
from todos.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

BOTH = pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])


def lists(page):
    return page.get_by_role("navigation", name="Lists")


@BOTH
def test_an_invitation_is_sent_accepted_and_the_project_shows_as_shared(
    live_server, browser, axe_for, user, javascript
):
    sam = UserFactory(username="sam", email="sam@example.com", display_name="Sam Lee")
    project = ProjectFactory(owner=user, name="Household")
    add(user, "Buy milk", project=project)

    owner = signed_in_context(browser, live_server, user, java_script_enabled=javascript)
    page = owner.new_page()
    axe = axe_for(page, javascript=javascript)
    page.goto(live_server.url + project.get_absolute_url())
    axe.check()
    page.locator(".page-actions").get_by_role("link", name="Share").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members of “Household”")
    both_schemes(page, axe)

    # A typo first: the refusal is said beside the field, and what was typed stays.
    who = page.get_by_role("textbox", name="Username or email address")
    who.fill("sma")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("No one here has the username “sma”.")).to_be_visible()
    expect(who).to_have_value("sma")
    expect(who).to_have_attribute("aria-invalid", "true")
    axe.check()

    who.fill("sam")
    page.get_by_role("radio", name=re.compile(r"^Editor")).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(message(page, "Invited Sam Lee to “Household”.")).to_be_visible()
    waiting = page.get_by_role("region", name="Waiting for an answer")
    expect(
        waiting.get_by_role("button", name="Withdraw the invitation to Sam Lee")
    ).to_be_visible()
    expect(who).to_have_value("")
    assert Invitation.objects.get().user == sam
    axe.check()
    owner.close()

    invited = signed_in_context(browser, live_server, sam, java_script_enabled=javascript)
    page = invited.new_page()
    axe = axe_for(page, javascript=javascript)
    page.goto(live_server.url + "/today/")
    expect(lists(page).get_by_role("link", name="Household")).to_have_count(0)
    axe.check()
    lists(page).get_by_role("link", name="Invitations 1 waiting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations")
    expect(page.get_by_text("ada invited you as an editor")).to_be_visible()
    both_schemes(page, axe)

    page.get_by_role("button", name="Accept the invitation to “Household”").click()
    expect(page).to_have_url(live_server.url + project.get_absolute_url())
    expect(message(page, "You joined “Household” as an editor.")).to_be_visible()
    shared = lists(page).get_by_role("link", name=re.compile(r"^Household"))
    expect(shared).to_have_accessible_name("Household Shared 1 open")
    expect(shared.get_by_role("img", name="Shared")).to_be_visible()
    expect(lists(page).get_by_role("link", name=re.compile(r"^Invitations"))).to_have_count(0)
    members = page.locator(".page-actions").get_by_role("link", name=re.compile(r"^Members"))
    expect(members).to_have_accessible_name("Members: 2 people, ada, Sam Lee")
    expect(members.locator(".avatar")).to_have_text(["A", "SL"])
    expect(row(page, "Buy milk")).to_be_visible()
    assert Membership.objects.get(project=project).user == sam
    both_schemes(page, axe)
    invited.close()


@BOTH
def test_the_owner_changes_a_role_and_a_member_leaves(
    live_server, browser, axe_for, user, javascript
):
    project = ProjectFactory(owner=user, name="Household")
    sam = UserFactory(username="sam", display_name="Sam Lee")
    kim = UserFactory(username="kim")
    for person in (sam, kim):
        Membership.objects.create(project=project, user=person, role=Role.EDITOR)

    owner = signed_in_context(browser, live_server, user, java_script_enabled=javascript)
    page = owner.new_page()
    axe = axe_for(page, javascript=javascript)
    page.goto(live_server.url + f"/projects/{project.pk}/members/")
    axe.check()
    page.get_by_role("combobox", name="Role of Sam Lee").select_option("viewer")
    page.get_by_role("button", name="Change the role of Sam Lee").click()
    expect(message(page, "Sam Lee is now a viewer of “Household”.")).to_be_visible()
    assert Membership.objects.get(user=sam).role == Role.VIEWER
    axe.check()

    # Removing asks first, in place (a <details>), without script too.
    page.locator("#member-" + str(kim.pk)).get_by_text("Remove…").click()
    confirm = page.get_by_role("button", name="Remove kim")
    expect(confirm).to_be_visible()
    if javascript:
        # (Without script axe checks a twin of the page, loaded afresh with the step shut.)
        axe.check()
    confirm.click()
    expect(message(page, "Removed kim from “Household”.")).to_be_visible()
    assert not Membership.objects.filter(user=kim).exists()
    axe.check()
    owner.close()

    member = signed_in_context(browser, live_server, sam, java_script_enabled=javascript)
    page = member.new_page()
    axe = axe_for(page, javascript=javascript)
    page.goto(live_server.url + project.get_absolute_url())
    axe.check()
    page.locator(".page-actions").get_by_role("link", name=re.compile(r"^Members")).click()
    expect(page.get_by_role("textbox", name="Username or email address")).to_have_count(0)
    axe.check()
    page.get_by_text("Leave “Household”…").click()
    page.get_by_role("button", name="Leave “Household”").click()
    expect(message(page, "You left “Household”.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(lists(page).get_by_role("link", name=re.compile(r"^Household"))).to_have_count(0)
    assert not Membership.objects.exists()
    axe.check()
    member.close()
