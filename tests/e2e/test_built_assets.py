"""What bin/build-assets.mjs builds works in a browser: the theme without JavaScript, the
phone's sidebar from the offcanvas script, icons from the sprite."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.steps import PASSWORD, PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

LOOK = """() => {
  const root = getComputedStyle(document.documentElement), body = getComputedStyle(document.body);
  return [root.colorScheme, body.backgroundColor, body.color];
}"""


def look(live_server, browser: Browser, *, device: str, chosen: str | None = None) -> list[str]:
    """Return the colour scheme, background and text colour of a page, as a no-JS browser draws it."""
    context = browser.new_context(java_script_enabled=False, color_scheme=device)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/about/")
        if chosen:
            # As the server will write it for someone who chose a theme in Settings.
            page.evaluate("(theme) => (document.documentElement.dataset.bsTheme = theme)", chosen)
        return page.evaluate(LOOK)
    finally:
        context.close()


def test_dark_device_gets_the_dark_theme_without_javascript(live_server, browser):
    light = look(live_server, browser, device="light")
    dark = look(live_server, browser, device="dark")

    assert light[0] == "light"
    assert dark[0] == "dark"
    assert dark[1:] != light[1:]
    assert dark == look(live_server, browser, device="light", chosen="dark")


def test_chosen_light_theme_wins_over_a_dark_device(live_server, browser):
    assert look(live_server, browser, device="dark", chosen="light") == look(
        live_server, browser, device="light"
    )


def test_phone_sidebar_opens_and_closes_and_icons_are_drawn(
    live_server, page: Page, django_user_model
):
    django_user_model.objects.create_user("ada", "ada@example.com", PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/accounts/login/")
    sign_in(page, "ada", PASSWORD)
    sidebar = page.locator("#sidebar")
    expect(sidebar).to_be_hidden()

    toggle = page.get_by_role("button", name="Lists and projects")
    assert toggle.locator("svg.icon").bounding_box()["width"] > 10
    toggle.click()
    expect(sidebar).to_be_visible()
    expect(sidebar.get_by_role("link", name="Today")).to_be_visible()
    expect(sidebar).to_be_focused()  # Bootstrap's focus trap, once it has slid in
    page.keyboard.press("Escape")

    expect(sidebar).to_be_hidden()
    expect(toggle).to_be_focused()
