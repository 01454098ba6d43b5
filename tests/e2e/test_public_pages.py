"""A visitor reads the public pages, in light and in dark theme."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD
from tests.e2e.steps import account_menu, expect_scheme, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_visitor_goes_from_home_to_about(live_server, page: Page, axe, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + "/")
    # No theme chosen: the device's scheme decides, with no attribute (and no script) needed.
    expect(page.locator("html")).not_to_have_attribute("data-bs-theme", re.compile(".*"))
    expect_scheme(page, scheme)
    expect(page.get_by_role("heading", level=1)).to_have_text("Get things off your mind")
    axe.check()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="About").click()

    expect(page).to_have_url(live_server.url + "/about/")
    expect(page).to_have_title("About · Ticklist")
    expect(page.get_by_role("heading", level=1)).to_have_text("About Ticklist")
    axe.check()


def test_a_chosen_theme_overrides_the_device_and_is_remembered(live_server, page: Page, axe, user):
    page.emulate_media(color_scheme="light")
    page.goto(live_server.url + "/accounts/login/")
    axe.check()
    sign_in(page, "ada", PASSWORD)
    menu = account_menu(page)
    expect(menu.get_by_role("button", name="System")).to_have_attribute("aria-pressed", "true")
    axe.check_open_menu(".account-menu")

    with page.expect_response(lambda r: r.url.endswith("/accounts/theme/")) as saved:
        menu.get_by_role("button", name="Dark").click()
    assert saved.value.status == 204
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    expect_scheme(page, "dark")
    expect(menu.get_by_role("button", name="Dark")).to_have_attribute("aria-pressed", "true")
    axe.check_open_menu(".account-menu")

    # Drawn dark by the server on the next page, on a light device.
    page.reload()
    expect_scheme(page, "dark")
    account_menu(page).get_by_role("button", name="System").click()
    expect(page.locator("html")).not_to_have_attribute("data-bs-theme", re.compile(".*"))
    expect_scheme(page, "light")
    page.emulate_media(color_scheme="dark")
    expect_scheme(page, "dark")
    axe.check()


def test_a_visitor_chooses_a_theme_without_javascript(live_server, browser, axe_for):
    context = browser.new_context(java_script_enabled=False, color_scheme="light")
    page = context.new_page()
    audit = axe_for(page, javascript=False)
    page.goto(live_server.url + "/about/")
    expect_scheme(page, "light")
    audit.check()

    page.locator(".site-footer").get_by_role("button", name="Dark").click()

    expect(page).to_have_url(live_server.url + "/about/")
    expect_scheme(page, "dark")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    audit.check()
    page.goto(live_server.url + "/accounts/login/")
    expect_scheme(page, "dark")
    audit.check()
    context.close()


def test_skip_link_moves_focus_to_main_content(live_server, page: Page, axe):
    page.goto(live_server.url + "/about/")
    axe.check()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_visitor_links_show_on_a_phone(live_server, page: Page, axe):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Main")
    # Three links fit in the top bar: no menu to open first.
    for name in ["About", "Sign in", "Sign up"]:
        expect(nav.get_by_role("link", name=name)).to_be_in_viewport()
    expect(page.get_by_role("button", name="Menu")).to_have_count(0)
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    axe.check()


def test_menu_is_open_on_a_phone_without_javascript(live_server, browser, axe_for):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    audit = axe_for(page, javascript=False)
    page.goto(live_server.url + "/")
    audit.check()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="About")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    context.close()


def test_home_page_screenshot(live_server, page: Page, axe, tmp_path):
    """Keep the README's picture of the home page honest (`make screenshot`)."""
    page.set_viewport_size({"width": 1200, "height": 800})
    page.emulate_media(color_scheme="light")
    page.goto(live_server.url + "/")
    axe.check()
    screenshot(page, "home.png", tmp_path)
