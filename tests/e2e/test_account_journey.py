"""A person's whole life with an account, in the browser, with axe on every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.tests import factories
from tests.e2e.steps import PASSWORD, open_settings, sign_in, sign_out, sign_up

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = PASSWORD
SECOND = "tangerine-orbit-lantern-77"
THIRD = "saffron-glacier-meadow-31"
NEW_PASSWORD_LABEL = re.compile(r"^\s*New password\W*$")
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/email/confirm/\S+/")


def confirmation_link_to(address: str) -> str:
    """Return the confirmation link of the latest mail to address."""
    (message, *_) = [m for m in reversed(mail.outbox) if m.to == [address]]
    return CONFIRM_LINK.search(message.body).group(0)


def test_sign_up_sign_in_settings_change_and_reset_password_and_delete(
    live_server, page: Page, axe
):
    page.goto(live_server.url + "/")
    axe.check()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    axe.check()
    sign_up(page, "ada", "Ada@Example.com")
    expect(page.get_by_text("Welcome to Ticklist, ada!")).to_be_visible()
    expect(page.get_by_text("We sent a link to Ada@example.com")).to_be_visible()
    expect(page).to_have_url(live_server.url + "/today/")
    axe.check()

    page.goto(confirmation_link_to("Ada@example.com"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    axe.check()
    page.get_by_role("button", name="Confirm Ada@example.com").click()
    expect(page.get_by_text("Ada@example.com is now your email address.")).to_be_visible()
    axe.check()

    sign_out(page)
    axe.check()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
    axe.check()
    sign_in(page, "ada@example.com", FIRST)
    expect(page).to_have_url(live_server.url + "/today/")

    open_settings(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    axe.check()
    page.get_by_label("Time zone").fill("paris")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your settings have been saved.")).to_be_visible()
    axe.check()
    page.reload()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Paris")
    assert User.objects.get(username="ada").timezone == "Europe/Paris"

    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    axe.check()
    page.get_by_label("Old password").fill(FIRST)
    page.get_by_label(NEW_PASSWORD_LABEL).fill(SECOND)
    page.get_by_label("New password confirmation").fill(SECOND)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password changed")
    axe.check()
    assert User.objects.get(username="ada").check_password(SECOND)
    page.get_by_role("link", name="Back to settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")

    sign_out(page)
    page.goto(live_server.url + "/accounts/password_reset/")
    axe.check()
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    axe.check()
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[-1].body).group(0)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a new password")
    axe.check()
    page.get_by_label(NEW_PASSWORD_LABEL).fill(THIRD)
    page.get_by_label("New password confirmation").fill(THIRD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new password is set")
    axe.check()
    page.get_by_role("link", name="Sign in").last.click()
    sign_in(page, "ada", THIRD)
    expect(page).to_have_url(live_server.url + "/today/")

    page.goto(live_server.url + "/accounts/delete/")
    axe.check()
    page.get_by_label("Your current password").fill(THIRD)
    page.get_by_role("button", name="Delete my account and all its data").click()
    expect(
        page.get_by_text("Your account and everything in it have been deleted.")
    ).to_be_visible()
    axe.check()
    assert not User.objects.filter(username="ada").exists()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up")
    ).to_be_visible()


def test_wrong_password_shows_an_error_and_keeps_the_name(live_server, page: Page, axe, user):
    page.goto(live_server.url + "/accounts/login/")
    sign_in(page, "ada", "not my password")

    expect(page.get_by_text("do not match an account")).to_be_visible()
    expect(page.get_by_label("Username or email")).to_have_value("ada")
    expect(page.get_by_label("Password")).to_have_value("")
    axe.check()


def test_sign_up_takes_the_time_zone_from_the_browser(live_server, browser, axe_for):
    context = browser.new_context(timezone_id="America/New_York")
    page = context.new_page()
    audit = axe_for(page)
    page.goto(live_server.url + "/accounts/signup/")
    audit.check()
    sign_up(page, "grace", "grace@example.com")
    expect(page).to_have_url(live_server.url + "/today/")
    audit.check()
    context.close()

    assert User.objects.get(username="grace").timezone == "America/New_York"


def test_five_wrong_passwords_pause_sign_in(live_server, page: Page, axe, user):
    page.goto(live_server.url + "/accounts/login/")
    axe.check()
    for _ in range(4):
        sign_in(page, "ada", "not my password")
        expect(page.get_by_text("do not match an account")).to_be_visible()

    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        sign_in(page, "ada", "not my password")

    assert sent.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed sign-ins")
    axe.check()
    page.get_by_role("link", name="Reset your password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    axe.check()


def test_settings_fill_in_the_browsers_zone_until_one_is_saved(
    live_server, browser, axe_for, user
):
    context = browser.new_context(timezone_id="Europe/Paris")
    page = context.new_page()
    audit = axe_for(page)
    page.goto(live_server.url + "/accounts/login/")
    audit.check()
    sign_in(page, "ada", factories.PASSWORD)
    expect(page).to_have_url(live_server.url + "/today/")
    audit.check()

    page.goto(live_server.url + "/accounts/settings/")
    field = page.get_by_label("Time zone")
    expect(field).to_have_value("Europe/Paris")
    expect(field).to_have_accessible_description(re.compile("from this browser"))
    expect(page.get_by_text("It is saved when you press Save settings.")).to_be_visible()
    audit.check()
    assert User.objects.get(username="ada").timezone == "UTC"

    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your settings have been saved.")).to_be_visible()
    expect(field).to_have_value("Europe/Paris")
    expect(page.get_by_text("from this browser")).to_have_count(0)
    audit.check()
    context.close()

    assert User.objects.get(username="ada").timezone == "Europe/Paris"


def test_a_new_email_address_waits_for_its_link(live_server, page: Page, axe, user):
    page.goto(live_server.url + "/accounts/login/")
    axe.check()
    sign_in(page, "ada", factories.PASSWORD)
    expect(page).to_have_url(live_server.url + "/today/")
    axe.check()
    page.goto(live_server.url + "/accounts/settings/")
    axe.check()

    page.get_by_label("Email address").fill("ada@new.example")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("We sent a link to ada@new.example to confirm it.")).to_be_visible()
    expect(page.get_by_text("Waiting for confirmation")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value("ada@new.example")
    axe.check()
    page.get_by_role("button", name="Cancel the change").click()
    expect(page.get_by_text("ada@new.example will not become your email address.")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value("ada@example.com")
    axe.check()

    page.get_by_label("Email address").fill("ada@new.example")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_role("button", name="Send the link again").click()
    expect(page.get_by_text("We sent a link to ada@new.example to confirm it.")).to_be_visible()
    axe.check()
    # One link for each time the address was asked for, and one sent again.
    assert [m.to for m in mail.outbox] == [["ada@new.example"]] * 3

    page.goto(confirmation_link_to("ada@new.example"))
    axe.check()
    page.get_by_role("button", name="Confirm ada@new.example").click()
    expect(page.get_by_text("ada@new.example is now your email address.")).to_be_visible()
    expect(page.get_by_text("Waiting for confirmation")).to_have_count(0)
    axe.check()
    assert User.objects.get(username="ada").email == "ada@new.example"

    page.goto(CONFIRM_LINK.search(mail.outbox[0].body).group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    axe.check()
