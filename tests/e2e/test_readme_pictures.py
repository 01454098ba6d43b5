"""The README's pictures (`make screenshot`): Today and a project, light and dark, desktop and phone."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.e2e.steps import PHONE, screenshot, sign_in
from todos.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_readme_screenshot_of_today_and_a_project(live_server, page: Page, axe, tmp_path, scheme):
    """Picture the demo week as a new user sees it after `make run`, checked by axe."""
    call_command("seed_demo", verbosity=0)
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/accounts/login/")
    axe.check()
    sign_in(page, "demo", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1, name="Today")).to_be_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    # The device's scheme alone decides: no theme chosen, no script needed.
    assert (background == "rgb(255, 255, 255)") == (scheme == "light")

    project_url = (
        page.locator("#sidebar-lists").locator("a[href^='/projects/']").first.get_attribute("href")
    )
    for name, url in [("today", "/today/"), ("project", project_url)]:
        page.goto(live_server.url + url)
        for size, suffix in [(DESKTOP, "desktop"), (PHONE, "phone")]:
            page.set_viewport_size(size)
            page.evaluate("document.getAnimations().forEach((a) => a.finish())")
            axe.check()
            screenshot(page, f"{name}-{scheme}-{suffix}.png", tmp_path)
