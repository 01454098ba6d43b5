"""The new design with JavaScript off: plain forms, <details> menus, ?select=1, and the
device's dark theme."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.steps import add, message, quick_add, row, row_menu, signed_in_context
from todos.models import Task

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_day_without_javascript(live_server, browser, axe_for, user):
    today = timezone.localdate()
    for title in ["Pay rent", "Water plants", "Call the plumber"]:
        add(user, title, due_date=today)
    context = signed_in_context(browser, live_server, user, java_script_enabled=False)
    page = context.new_page()
    axe = axe_for(page, javascript=False)
    page.goto(live_server.url + "/today/")
    axe.check()

    quick_add(page, "Buy milk", javascript=False)
    expect(row(page, "Buy milk")).to_be_visible()
    axe.check()

    page.get_by_role("button", name="Complete “Buy milk”").click()
    expect(message(page, "Completed “Buy milk”.")).to_be_visible()
    assert Task.objects.get(title="Buy milk").is_completed
    axe.check()

    # The row's menu is a <details>: it opens without script, and its Delete is a plain form.
    menu = row_menu(page, "Water plants")
    axe.check()
    menu.get_by_role("button", name="Delete", exact=True).click()
    expect(message(page, "Moved “Water plants” to the trash.")).to_be_visible()
    expect(row(page, "Water plants")).to_have_count(0)
    axe.check()
    message(page, "Moved “Water plants” to the trash.").get_by_role("button", name="Undo").click()
    expect(message(page, "Undone. “Water plants” is back where it was.")).to_be_visible()
    expect(row(page, "Water plants")).to_be_visible()
    assert not Task.objects.get(title="Water plants").is_deleted
    axe.check()

    # Selection mode is a page of its own (?select=1), with the boxes and the bulk bar.
    page.locator(".page-actions").get_by_role("link", name="Select").click()
    expect(page).to_have_url(re.compile(r"[?&]select=1"))
    bulk = page.get_by_role("form", name="Selected tasks")
    expect(bulk).to_be_visible()
    axe.check()
    page.get_by_role("checkbox", name="Select “Pay rent”").check()
    page.get_by_role("checkbox", name="Select “Call the plumber”").check()
    bulk.get_by_label("Action").select_option(label="Complete")
    bulk.get_by_role("button", name="Apply").click()
    expect(message(page, "Completed: 2 tasks.")).to_be_visible()
    assert set(
        Task.objects.filter(completed_at__isnull=False).values_list("title", flat=True)
    ) == {"Pay rent", "Call the plumber", "Buy milk"}
    axe.check()
    context.close()


@pytest.mark.parametrize("path", ["/", "/today/"])
def test_the_devices_dark_theme_applies_without_javascript(
    live_server, browser, axe_for, user, path
):
    add(user, "Pay rent", due_date=timezone.localdate())
    context = signed_in_context(
        browser, live_server, user, java_script_enabled=False, color_scheme="dark"
    )
    page = context.new_page()
    axe = axe_for(page, javascript=False, color_scheme="dark")
    page.goto(live_server.url + path)
    background = page.locator("body").evaluate(
        "(body) => getComputedStyle(body).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)"
    )
    # Relative luminance, roughly: a dark page is well under the middle.
    assert sum(background) / 3 < 64, f"{path} is light ({background}) on a dark device"
    axe.check()
    context.close()
