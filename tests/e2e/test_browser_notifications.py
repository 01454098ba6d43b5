"""The browser-notifications section of Settings in a real browser, without a push service."""

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD, UserFactory
from reminders import push
from tests.e2e.steps import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def vapid(settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = push.generate_keys()


def test_turning_on_registers_the_worker_under_the_policy(vapid, live_server, page: Page, axe):
    UserFactory(username="ada", email="ada@example.com")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.goto(live_server.url + "/accounts/settings/")
    axe.check()
    sign_in(page, "ada", PASSWORD)
    section = page.get_by_role("region", name="Browser notifications")
    button = section.get_by_role("button", name="Turn on in this browser")
    expect(button).to_be_enabled()
    axe.check()

    button.click()

    # Headless Chromium has no push service to subscribe with, so it stops there,
    # and says so; the service worker itself is registered for the whole site.
    expect(section.get_by_role("status")).to_contain_text("That did not work")
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r && r.scope)")
    assert scope == live_server.url + "/"
    axe.assert_no_csp_violations()
