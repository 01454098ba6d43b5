"""Issue 13's design in the browser: axe on every page and state in both themes and both
viewports, no sideways scrolling on a narrow phone, touch targets, and the skip link."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import AccessibilityAudit
from tests.e2e.steps import (
    PASSWORD,
    PHONE,
    account_menu,
    add,
    row,
    row_menu,
    signed_in_context,
    start_selecting,
)
from todos import services
from todos.models import Task
from todos.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
# (what the device asks for, the theme the page is told to use or None to follow the device,
# every page or only those that show each kind of part)
THEMES = {
    "light": ("light", None, True),
    "dark": ("dark", None, True),
    # The server-side theme setting names the theme on <html>, whatever the device asks.
    "dark-chosen": ("light", "dark", False),
    "light-chosen": ("dark", "light", False),
}
# Where a chosen theme is checked: a list, a task, a form, search; the states on Today.
SOME_PAGES = {"/inbox/", "/search/?q=rent", "/accounts/settings/", "/trash/", "/today/"}
FORCE_THEME = "(theme) => document.documentElement.setAttribute('data-bs-theme', theme)"
# Whether the page scrolls sideways, and the innermost elements that stick out (to say why).
SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [...document.querySelectorAll("body *")].filter((element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.right > width + 0.5 &&
      ![...element.children].some((child) => child.getBoundingClientRect().right > width + 0.5);
  });
  return {
    scrolls: document.documentElement.scrollWidth > width,
    out: out.slice(0, 5).map((element) => element.outerHTML.slice(0, 160)),
  };
}"""


def seed(user) -> dict:
    """Give ada something on every list: dates, priorities, projects, tags, sub-tasks, trash."""
    today = timezone.localdate()
    home = ProjectFactory(owner=user, name="Home", colour="green")
    services.set_favourite(home, True)
    ProjectFactory(owner=user, name="Work", colour="blue")
    bills = services.tags_named(user, ["bills"])
    rent = add(
        user,
        "Pay rent",
        home,
        due_date=today,
        priority=1,
        tags=bills,
        notes="Standing order: see https://example.com/bank",
    )
    add(user, "Call the plumber", home, due_date=today, priority=2)
    add(user, "Renew passport", due_date=today - timedelta(days=2), priority=3)
    add(user, "Water plants", home, due_date=today + timedelta(days=3))
    milk = add(user, "Buy milk", tags=services.tags_named(user, ["errand"]))
    add(user, "Semi-skimmed", parent=milk)
    done = add(user, "Post the letter", home)
    services.set_completed(done, True, now=timezone.now())
    old = add(user, "Old idea")
    services.trash(old, now=timezone.now())
    return {"home": home, "bills": bills[0], "rent": rent}


class Look:
    """Check pages and states with axe in one theme, told to the page as `THEMES` says."""

    def __init__(self, page: Page, audit: AccessibilityAudit, chosen: str | None):
        self.page = page
        self.audit = audit
        self.chosen = chosen

    def check(self) -> None:
        if self.chosen:
            self.page.evaluate(FORCE_THEME, self.chosen)
        self.audit.check()

    def check_open_menu(self, menu: str) -> None:
        if self.chosen:
            self.page.evaluate(FORCE_THEME, self.chosen)
        self.audit.check_open_menu(menu)

    def visit(self, url: str) -> None:
        self.page.goto(url)
        self.check()


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def viewport(request):
    return request.param


@pytest.mark.parametrize("theme", list(THEMES))
def test_every_page_and_state_passes_axe(live_server, browser, axe_for, user, viewport, theme):
    scheme, chosen, every_page = THEMES[theme]
    things = seed(user)
    url = live_server.url
    phone = viewport == PHONE

    # Visitors' pages.
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    look = Look(page, axe_for(page), chosen)
    visitors = ["/", "/about/", "/accounts/login/"] if every_page else []
    for path in [*visitors, "/accounts/signup/"]:
        look.visit(url + path)
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Email address").fill("grace@example.com")
    page.get_by_label(re.compile(r"^\s*Password\W*$")).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD + "x")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".invalid-feedback, .field-error").first).to_be_visible()
    look.check()
    context.close()

    # Every signed-in page, in one context.
    context = signed_in_context(browser, live_server, user, viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    look = Look(page, axe_for(page), chosen)
    home, tag, rent = things["home"], things["bills"], things["rent"]
    for path in [
        "/upcoming/",
        "/inbox/",
        home.get_absolute_url(),
        tag.get_absolute_url(),
        "/tags/",
        f"/tags/{tag.pk}/edit/",
        f"/tags/{tag.pk}/delete/",
        "/completed/",
        "/search/",
        "/search/?q=rent",
        "/search/?q=nothing+like+this",
        rent.get_absolute_url(),
        f"/tasks/{rent.pk}/edit/",
        "/tasks/new/",
        "/projects/",
        "/projects/new/",
        f"/projects/{home.pk}/edit/",
        f"/projects/{home.pk}/delete/",
        "/accounts/settings/",
        "/accounts/calendar/new-address/",
        "/trash/",
        "/today/",
    ]:
        if every_page or path in SOME_PAGES or path == rent.get_absolute_url():
            look.visit(url + path)

    # Settings with the per-project calendar addresses shown.
    page.goto(url + "/accounts/settings/")
    page.get_by_text("A feed for each project").click()
    expect(page.get_by_role("textbox", name="Home")).to_be_visible()
    look.check()
    page.goto(url + "/today/")

    # States of Today: menus open, selection mode, the sidebar slid in on a phone.
    row_menu(page, "Pay rent")
    look.check_open_menu(".row-menu[open]")
    page.keyboard.press("Escape")
    account_menu(page)
    look.check_open_menu(".account-menu")
    page.keyboard.press("Escape")
    start_selecting(page)
    page.get_by_role("checkbox", name="Select “Pay rent”").check()
    expect(page.locator(".bulk-bar")).to_be_visible()
    look.check()
    page.locator(".page-actions").get_by_role("link", name="Done selecting").click()
    if phone:
        page.get_by_role("button", name="Lists and projects").click()
        expect(page.locator("#sidebar")).to_have_class(re.compile(r"\bshow\b"))
        page.evaluate("document.getAnimations().forEach((a) => a.finish())")
        look.check()
        page.get_by_role("button", name="Close the lists").click()
        expect(page.locator("#sidebar")).not_to_have_class(re.compile(r"\bshow\b"))

    # The Undo message, then quick add's error.
    page.get_by_role("button", name="Complete “Call the plumber”").click()
    expect(page.locator("#messages").get_by_role("button", name="Undo")).to_be_visible()
    look.check()
    field = page.get_by_role("textbox", name="Add a task")
    field.fill("tomorrow")
    field.press("Enter")
    expect(page.get_by_text("A task needs a title")).to_be_visible()
    look.check()

    # A form with errors.
    page.goto(url + f"/tasks/{rent.pk}/edit/")
    page.get_by_label(re.compile(r"^\s*Title")).fill("   ")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".invalid-feedback, .field-error").first).to_be_visible()
    look.check()

    # The trash, emptied.
    for task in Task.objects.filter(owner=user, deleted_at__isnull=False):
        services.purge(task)
    look.visit(url + "/trash/")
    context.close()


LONG_WORD = "x" * 300
LONG_URL = "https://example.com/" + "a-very-long-path-segment/" * 12 + "?query=" + "y" * 80


def test_nothing_scrolls_sideways_on_a_narrow_phone(live_server, browser, axe_for, user):
    project = ProjectFactory(owner=user, name="P" * 100, colour="green")
    tag = services.tags_named(user, ["t" * 50])
    long = add(
        user,
        LONG_WORD,
        project,
        due_date=timezone.localdate(),
        tags=tag,
        notes=f"See {LONG_URL} and {LONG_WORD}",
    )
    add(user, f"Read {LONG_URL}", project, due_date=timezone.localdate(), tags=tag)
    context = signed_in_context(browser, live_server, user, viewport={"width": 320, "height": 640})
    page = context.new_page()
    audit = axe_for(page)
    for path in [
        "/today/",
        project.get_absolute_url(),
        long.get_absolute_url(),
        "/search/?q=" + "x" * 20,
    ]:
        page.goto(live_server.url + path)
        expect(
            row(page, LONG_WORD).or_(page.get_by_role("heading", name=LONG_WORD))
        ).to_be_visible()
        sideways = page.evaluate(SIDEWAYS)
        assert not sideways["scrolls"], f"{path} scrolls sideways at 320 px: {sideways['out']}"
        audit.check()
    context.close()


def hit_area(page: Page, locator) -> dict:
    """Measure how far across and down, through its centre, a tap still reaches the target."""
    return locator.evaluate(
        """(target) => {
          const box = target.getBoundingClientRect();
          const x = box.left + box.width / 2, y = box.top + box.height / 2;
          const hits = (px, py) => {
            const hit = document.elementFromPoint(px, py);
            return hit !== null && (hit === target || target.contains(hit));
          };
          const reach = (dx, dy) => {
            let step = 0;
            while (step < 60 && hits(x + dx * (step + 0.5), y + dy * (step + 0.5))) step += 0.5;
            return step;
          };
          return {width: reach(-1, 0) + reach(1, 0), height: reach(0, -1) + reach(0, 1)};
        }"""
    )


def test_touch_targets_are_44_px_on_a_phone(live_server, browser, axe_for, user):
    add(user, "Pay rent", due_date=timezone.localdate(), priority=1)
    add(user, "Call mum", due_date=timezone.localdate())
    context = signed_in_context(browser, live_server, user, viewport=PHONE, has_touch=True)
    page = context.new_page()
    audit = axe_for(page)
    page.goto(live_server.url + "/today/")
    audit.check()
    targets = {
        "check button": page.get_by_role("button", name="Complete “Pay rent”"),
        "row menu": page.get_by_label("More actions for “Pay rent”"),
        "add button": page.locator("[data-quick-add-fab]"),
        "sidebar toggle": page.get_by_role("button", name="Lists and projects"),
    }
    small = {}
    for name, target in targets.items():
        expect(target).to_be_visible()
        area = hit_area(page, target)
        if area["width"] < 44 or area["height"] < 44:
            small[name] = area
    assert not small, f"targets under 44 x 44 px at 390 px: {small}"
    context.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_skip_link_shows_and_leads_to_quick_add(live_server, browser, axe_for, user, size):
    add(user, "Pay rent", due_date=timezone.localdate())
    context = signed_in_context(browser, live_server, user, viewport=size)
    page = context.new_page()
    audit = axe_for(page)
    page.goto(live_server.url + "/today/")
    audit.check()

    # Focused, the link covers the top bar's first button for a moment, on purpose: no axe here.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.evaluate("document.getAnimations().forEach((a) => a.finish())")
    box = skip.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["y"] >= 0
    assert box["x"] + box["width"] <= size["width"]
    assert box["y"] + box["height"] <= size["height"]
    on_top = skip.evaluate(
        """(link) => {
          const box = link.getBoundingClientRect();
          const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
          return hit === link || link.contains(hit);
        }"""
    )
    assert on_top, "the focused skip link is covered by something else"

    page.keyboard.press("Enter")
    expect(page.locator("#content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("textbox", name="Add a task")).to_be_focused()
    context.close()
