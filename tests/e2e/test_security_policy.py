"""The Content Security Policy holds on every page, the admin's included."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD, UserFactory
from tests.e2e.steps import sign_in
from todos.services import create_task, ensure_inbox

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_violation_listener_sees_a_violation(live_server, page: Page, axe):
    page.goto(live_server.url + "/about/")
    axe.check()

    # An inline style without the nonce: exactly what the policy must block.
    page.evaluate(
        "document.head.appendChild(Object.assign(document.createElement('style'), "
        "{textContent: 'body { color: red; }'}))"
    )

    expect(page.locator("body")).not_to_have_css("color", "rgb(255, 0, 0)")
    with pytest.raises(AssertionError, match="style-src"):
        axe.assert_no_csp_violations()


def test_admin_works_under_the_policy(live_server, page: Page, axe):
    staff = UserFactory(
        username="root", email="root@example.com", is_staff=True, is_superuser=True
    )
    task = create_task(owner=staff, project=ensure_inbox(staff), title="Audit the admin")

    page.goto(live_server.url + "/admin/")
    # Django's admin login page has no <h1> (an axe best practice): policy only.
    axe.assert_no_csp_violations()
    axe.audited.add(page.url)
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_title(re.compile("Site administration"))
    axe.check()
    for path in ["/admin/todos/task/", "/admin/todos/project/", "/admin/accounts/user/"]:
        page.goto(live_server.url + path)
        # The change lists' filter links are Django's, 20 px tall (WCAG 2.2's target size).
        axe.check(leave_out=("target-size",))

    # Change forms with Django's own widgets (select2 autocompletes, the
    # permissions picker) fail axe in ways only Django can fix; they are checked
    # for the policy, and the autocomplete is made to run its scripts.
    for path in [
        f"/admin/todos/task/{task.pk}/change/",
        f"/admin/accounts/user/{staff.pk}/change/",
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        axe.assert_no_csp_violations()
        axe.audited.add(live_server.url + path)
    page.goto(live_server.url + f"/admin/todos/task/{task.pk}/change/")
    page.locator(".select2-selection").first.click()
    expect(page.locator(".select2-results__option").first).to_be_visible()
    axe.assert_no_csp_violations()


def test_signed_in_pages_with_htmx_run_under_the_policy(live_server, page: Page, axe, user):
    page.goto(live_server.url + "/accounts/login/")
    axe.check()
    sign_in(page, "ada", PASSWORD)
    axe.check()
    page.get_by_role("textbox", name="Add a task").fill("Check the policy today")
    page.get_by_role("textbox", name="Add a task").press("Enter")
    expect(page.get_by_role("textbox", name="Add a task")).to_have_value("")
    page.get_by_role("button", name="Complete “Check the policy”").click()
    expect(page.get_by_role("button", name="Reopen “Check the policy”")).to_be_visible()
    axe.check()
