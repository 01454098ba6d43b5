"""Steps that several browser journeys share."""

import os
import re
import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

PASSWORD = "plum-violin-harbour-42"
# crispy-forms marks required fields with an asterisk inside the label.
PASSWORD_LABEL = re.compile(r"^\s*Password\W*$")


def sign_up(page: Page, username: str, email: str, password: str = PASSWORD) -> None:
    """Fill in and send the sign-up form that is on the page."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email address").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_label("Password confirmation").fill(password)
    page.get_by_role("button", name="Sign up").click()


def sign_in(page: Page, name: str, password: str) -> None:
    """Fill in and send the sign-in form that is on the page."""
    page.get_by_label("Username or email").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def screenshot(page: Page, name: str, tmp_path: Path) -> None:
    """Take a picture of the page; `make screenshot` (SCREENSHOT_DIR) keeps it for the README."""
    shot = tmp_path / name
    page.screenshot(path=shot)
    assert shot.read_bytes().startswith(b"\x89PNG")
    if target := os.environ.get("SCREENSHOT_DIR"):
        shutil.copy(shot, Path(target) / name)
