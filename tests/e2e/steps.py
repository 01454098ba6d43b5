"""Steps that several browser journeys share."""

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

PASSWORD = "plum-violin-harbour-42"
# crispy-forms marks required fields with an asterisk inside the label.
PASSWORD_LABEL = re.compile(r"^\s*Password\W*$")
PHONE = {"width": 390, "height": 844}


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


def account_menu(page: Page):
    """Open the account menu in the top bar and return it."""
    nav = page.get_by_role("navigation", name="Main")
    nav.locator(".account-menu > summary").click()
    return nav.locator(".account-menu")


def sign_out(page: Page) -> None:
    account_menu(page).get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def open_settings(page: Page) -> None:
    account_menu(page).get_by_role("link", name="Settings").click()


def expect_scheme(page: Page, scheme: str) -> None:
    """Check the page is drawn in `scheme` (light or dark), whatever decided it."""
    expect(page.locator("html")).to_have_css("color-scheme", scheme)


def screenshot(page: Page, name: str, tmp_path: Path, *, full_page: bool = False) -> None:
    """Take a picture of the page; `make screenshot` (SCREENSHOT_DIR) keeps it for the README."""
    shot = tmp_path / name
    # Hiding the caret leaves an empty style="" on the focused field, which htmx copies onto
    # the field it swaps in: a CSP violation (style-src-attr) of the test's own making.
    page.screenshot(path=shot, full_page=full_page, caret="initial")
    assert shot.read_bytes().startswith(b"\x89PNG")
    if target := os.environ.get("SCREENSHOT_DIR"):
        shutil.copy(shot, Path(target) / name)


def screenshots(page: Page, name: str, tmp_path: Path, check: Callable[[], None]) -> None:
    """Picture the page light, dark and on a 390 px phone, checking each with `check` (axe)."""
    viewport = page.viewport_size
    for scheme, size, suffix in [
        ("light", viewport, "light"),
        ("dark", viewport, "dark"),
        ("light", PHONE, "phone"),
    ]:
        page.emulate_media(color_scheme=scheme)
        page.set_viewport_size(size)
        expect_scheme(page, scheme)
        # Buttons fade to a new theme's colours; picture them as they end up.
        page.evaluate("document.getAnimations().forEach((a) => a.finish())")
        screenshot(page, f"{name}-{suffix}.png", tmp_path, full_page=size == PHONE)
        check()
    page.set_viewport_size(viewport)


def row(page: Page, title: str):
    """Return the task row whose title is `title`, wherever it is on the page."""
    return page.locator(".task-row").filter(has=page.get_by_role("link", name=title, exact=True))


def quick_add(page: Page, text: str, javascript: bool) -> None:
    """Type a line into the page's quick-add box and wait until it is added."""
    field = page.get_by_role("textbox", name="Add a task")
    field.fill(text)
    field.press("Enter")
    if javascript:
        # htmx swaps the form in place: empty again and ready for the next line.
        expect(page.get_by_role("textbox", name="Add a task")).to_have_value("")
        expect(page.get_by_role("textbox", name="Add a task")).to_be_focused()
        # htmx takes the new form over once it settles (and drops "htmx-added" then);
        # a line sent before that would go the plain way and reload the page.
        expect(page.locator("#quick-add-box")).not_to_have_class(re.compile(r"\bhtmx-added\b"))
    else:
        expect(page.get_by_text(re.compile(r"^Added “"))).to_be_visible()


def mark_document(page: Page, javascript: bool) -> None:
    """Tag the current document, to tell a swap in place from a page load."""
    if javascript:
        page.evaluate("window.__sameDocument = true")


def assert_same_document(page: Page) -> None:
    assert page.evaluate("window.__sameDocument === true"), "the page was loaded again"


def row_menu(page: Page, title: str):
    """Open the menu of the row whose title is `title` (a <details>) and return it."""
    menu = row(page, title).locator("details.row-menu")
    menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")
    return menu


def message(page: Page, text: str):
    """Return the message that says `text`: a toast at the bottom, in a live region."""
    return page.locator("#messages[aria-live=polite] .toast-message").filter(has_text=text)


def start_selecting(page: Page) -> None:
    """Press the list's Select button: its rows get boxes to tick, and the bulk bar shows."""
    page.locator(".page-actions").get_by_role("link", name="Select").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\bselecting\b"))


def signed_in_context(browser: Browser, live_server, user, **options):
    """Open a browser context already signed in as `user` (no sign-in form to go through)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def add(user, title: str, project=None, **fields):
    """Give `user` a task (in the Inbox unless a project is named), as the site would."""
    from todos import services

    return services.create_task(
        owner=user, project=project or services.ensure_inbox(user), title=title, **fields
    )


SHOTS = Path("/tmp/shots")


def shots_dir(monkeypatch) -> None:
    """Keep this test's pictures in /tmp/shots as well, for people to look at."""
    SHOTS.mkdir(exist_ok=True)
    monkeypatch.setenv("SCREENSHOT_DIR", str(SHOTS))


def both_schemes(page: Page, audit) -> None:
    """Check the page with axe in the light scheme and in the dark, then go back to light."""
    for scheme in ["light", "dark"]:
        page.emulate_media(color_scheme=scheme)
        audit.color_scheme = scheme  # the twin's, when JavaScript is off
        expect_scheme(page, scheme)
        audit.check()
    page.emulate_media(color_scheme="light")
    audit.color_scheme = "light"


def pictures(page: Page, name: str, tmp_path: Path, check: Callable[[], None], *, show=None):
    """Picture the page light and dark, on the desktop (scrolled to `show`, a locator) and on
    a 390 px phone (the whole page), checking each with `check` (axe); leave it light."""
    viewport = page.viewport_size
    for scheme in ["light", "dark"]:
        for size, suffix in [(viewport, scheme), (PHONE, f"phone-{scheme}")]:
            page.set_viewport_size(size)
            page.emulate_media(color_scheme=scheme)
            expect_scheme(page, scheme)
            if size == PHONE or show is None:
                # A whole-page picture taken scrolled draws the sticky top bar mid-page.
                page.evaluate("window.scrollTo(0, 0)")
            else:
                show.scroll_into_view_if_needed()
            page.evaluate("document.getAnimations().forEach((a) => a.finish())")
            screenshot(page, f"{name}-{suffix}.png", tmp_path, full_page=size == PHONE)
            check()
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme="light")


def check_as_shown(audit, page: Page) -> None:
    """Audit the page as the browser shows it, even where loading its address again would not.

    Without JavaScript the audit loads the address again in a twin that runs axe; that is
    another page when this one answered a form's POST, or showed something only once
    (a new token's secret). The twin is given this page's markup instead.
    """
    if audit.javascript:
        audit.check()
        return
    from tests.e2e.conftest import AXE, AXE_OPTIONS, without_fragment

    url = without_fragment(page.url)
    html = page.content()
    context = audit.browser.new_context(
        storage_state=page.context.storage_state(),
        viewport=page.viewport_size,
        color_scheme=audit.color_scheme,
    )
    try:
        twin = context.new_page()
        twin.route("**/*.js", lambda route: route.abort())
        twin.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
        twin.goto(url)
        results = AXE.run(twin, options=AXE_OPTIONS)
    finally:
        context.close()
    audit.audited.add(url)
    assert results.violations_count == 0, (
        f"axe found violations on {url}:\n{results.generate_report()}"
    )
