"""Keyboard shortcuts in the browser: the help dialog, quick add, search, going to a list,
moving between rows and acting on them, and the setting that turns them off; axe on every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD
from tests.e2e.steps import account_menu, assert_same_document, mark_document, row, screenshots
from tests.e2e.steps import sign_in as fill_in_sign_in
from todos import services
from todos.models import Task

pytestmark = pytest.mark.django_db(transaction=True)

TITLES = ["Buy milk", "Call mum", "Pay rent"]
# After keys that should do nothing: time for a navigation or a swap to have begun.
SETTLE_MS = 400


@pytest.fixture
def inbox(live_server, page: Page, axe, user):
    """Sign ada in with three tasks in her Inbox, and open it."""
    for title in TITLES:
        services.create_task(owner=user, project=services.ensure_inbox(user), title=title)
    page.goto(live_server.url + "/accounts/login/")
    axe.check()
    fill_in_sign_in(page, "ada", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    axe.check()
    page.goto(live_server.url + "/inbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    axe.check()
    return page


def press(page: Page, *keys: str) -> None:
    for key in keys:
        page.keyboard.press(key)


def title_of(page: Page, title: str):
    return row(page, title).locator(".task-title")


def help_dialog(page: Page):
    return page.get_by_role("dialog", name="Keyboard shortcuts")


def message(page: Page, text: str):
    return page.locator("#messages .toast-message").filter(has_text=text)


def quick_add_field(page: Page):
    return page.get_by_role("textbox", name="Add a task")


def test_question_mark_opens_the_list_and_escape_closes_it_with_focus_back(
    inbox: Page, axe, tmp_path
):
    page = inbox
    page.keyboard.press("j")
    expect(title_of(page, "Buy milk")).to_be_focused()

    # ? is Shift and / on most layouts: the key it types counts, not the Shift.
    page.keyboard.press("Shift+Slash")
    dialog = help_dialog(page)
    expect(dialog).to_be_visible()
    for key in ["q", "/", "j", "c", "x", "e", "#", "?"]:
        expect(dialog.locator("kbd", has_text=key).first).to_be_visible()
    expect(dialog.get_by_role("button", name="Close keyboard shortcuts")).to_be_visible()
    screenshots(page, "shortcuts-help", tmp_path, axe.check)

    # While the list is open the rows behind it stay as they are.
    press(page, "j", "Escape")
    expect(dialog).to_be_hidden()
    expect(title_of(page, "Buy milk")).to_be_focused()

    # The close button and ? itself close it too, with focus back on the row.
    page.keyboard.press("Shift+Slash")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close keyboard shortcuts").click()
    expect(dialog).to_be_hidden()
    expect(title_of(page, "Buy milk")).to_be_focused()
    page.keyboard.press("Shift+Slash")
    expect(dialog).to_be_visible()
    page.keyboard.press("Shift+Slash")
    expect(dialog).to_be_hidden()
    expect(title_of(page, "Buy milk")).to_be_focused()


def test_the_account_menu_opens_the_list_and_focus_returns_to_the_menu(inbox: Page, axe):
    page = inbox
    account_menu(page).get_by_role("button", name="Keyboard shortcuts").click()
    expect(help_dialog(page)).to_be_visible()
    axe.check()
    page.keyboard.press("Escape")
    expect(help_dialog(page)).to_be_hidden()
    menu = page.get_by_role("navigation", name="Main").locator(".account-menu")
    expect(menu).not_to_have_attribute("open", "")
    expect(menu.locator("summary")).to_be_focused()

    # A click beside the list closes it; one on the list itself does not.
    page.keyboard.press("Shift+Slash")
    dialog = help_dialog(page)
    dialog.get_by_role("heading", name="Keyboard shortcuts").click()
    dialog.click(position={"x": 4, "y": 4})  # its padding
    expect(dialog).to_be_visible()
    page.mouse.click(5, 5)
    expect(dialog).to_be_hidden()


def test_q_focuses_quick_add_where_there_is_one_and_adds_the_line(inbox: Page, live_server, axe):
    page = inbox
    page.keyboard.press("q")
    field = quick_add_field(page)
    expect(field).to_be_focused()
    # The q that focused the box is not typed into it.
    expect(field).to_have_value("")
    # Inside the field letters are letters: j, q, g i, ? and # are typed, not obeyed.
    mark_document(page, javascript=True)
    page.keyboard.type("jqg i?# Water plants")
    page.wait_for_timeout(SETTLE_MS)
    expect(field).to_have_value("jqg i?# Water plants")
    expect(field).to_be_focused()
    expect(help_dialog(page)).to_be_hidden()
    assert_same_document(page)

    field.fill("Water plants")
    page.keyboard.press("Enter")
    expect(title_of(page, "Water plants")).to_be_visible()
    assert Task.objects.filter(title="Water plants", project__is_inbox=True).exists()
    axe.check()

    # Escape leaves the field; then the keys work again.
    expect(quick_add_field(page)).to_be_focused()
    page.keyboard.press("Escape")
    expect(quick_add_field(page)).not_to_be_focused()
    page.keyboard.press("j")
    expect(title_of(page, "Buy milk")).to_be_focused()

    # Where there is no quick-add box, q goes to the Inbox with its box ready to type in.
    page.goto(live_server.url + "/accounts/settings/")
    axe.check()
    page.keyboard.press("q")
    expect(page).to_have_url(re.compile(r"/inbox/#quick-add$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    expect(quick_add_field(page)).to_be_focused()
    axe.check()


def test_slash_focuses_search(inbox: Page, axe):
    page = inbox
    page.keyboard.press("/")
    search = page.get_by_role("searchbox", name="Search tasks")
    expect(search).to_be_focused()
    expect(search).to_have_value("")
    page.keyboard.type("milk")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=milk$"))
    expect(title_of(page, "Buy milk")).to_be_visible()
    axe.check()


def test_g_then_t_u_or_i_goes_to_today_upcoming_or_inbox(inbox: Page, axe):
    page = inbox
    heading = page.get_by_role("heading", level=1)
    for key, name, path in [("t", "Today", "/today/"), ("u", "Upcoming", "/upcoming/")]:
        page.keyboard.press("g")
        page.keyboard.press(key)
        expect(page).to_have_url(re.compile(f"{path}$"))
        expect(heading).to_have_text(name)
        axe.check()
    press(page, "g", "i")
    expect(page).to_have_url(re.compile(r"/inbox/$"))
    expect(heading).to_have_text("Inbox")
    axe.check()

    # Without the g first, t, u and i are nothing.
    mark_document(page, javascript=True)
    for key in ["t", "u", "i"]:
        page.keyboard.press(key)
    page.wait_for_timeout(SETTLE_MS)
    assert_same_document(page)


def test_j_and_k_move_between_rows_with_a_visible_ring(inbox: Page, axe):
    page = inbox
    page.keyboard.press("j")
    expect(title_of(page, "Buy milk")).to_be_focused()
    expect(row(page, "Buy milk")).to_have_css("outline-style", "solid")
    page.keyboard.press("j")
    expect(title_of(page, "Call mum")).to_be_focused()
    expect(row(page, "Buy milk")).to_have_css("outline-style", "none")
    expect(row(page, "Call mum")).to_have_css("outline-style", "solid")
    page.keyboard.press("j")
    page.keyboard.press("j")  # stays on the last row
    expect(title_of(page, "Pay rent")).to_be_focused()
    page.keyboard.press("k")
    expect(title_of(page, "Call mum")).to_be_focused()
    page.keyboard.press("k")
    page.keyboard.press("k")  # stays on the first row
    expect(title_of(page, "Buy milk")).to_be_focused()
    axe.check()


def test_c_completes_the_row_and_focus_goes_to_the_next(inbox: Page, axe):
    page = inbox
    press(page, "j", "j")
    expect(title_of(page, "Call mum")).to_be_focused()
    page.keyboard.press("c")
    expect(message(page, "Completed “Call mum”.")).to_be_visible()
    expect(
        message(page, "Completed “Call mum”.").get_by_role("button", name="Undo")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Reopen “Call mum”")).to_be_visible()
    expect(title_of(page, "Pay rent")).to_be_focused()
    assert Task.objects.get(title="Call mum").is_completed
    assert not Task.objects.get(title="Pay rent").is_completed
    axe.check()

    # The row after a swap is a row like any other.
    page.keyboard.press("k")
    expect(title_of(page, "Call mum")).to_be_focused()


def test_hash_deletes_the_row_with_undo(inbox: Page, axe):
    page = inbox
    press(page, "j", "j")
    expect(title_of(page, "Call mum")).to_be_focused()
    # # is Shift and 3 on most layouts.
    page.keyboard.press("Shift+Digit3")
    trashed = message(page, "Moved “Call mum” to the trash.")
    expect(trashed).to_be_visible()
    expect(row(page, "Call mum")).to_have_count(0)
    expect(title_of(page, "Pay rent")).to_be_focused()
    assert Task.objects.get(title="Call mum").is_deleted
    axe.check()

    # The row that went leaves the next one current: j moves on from there.
    page.keyboard.press("k")
    expect(title_of(page, "Buy milk")).to_be_focused()

    trashed.get_by_role("button", name="Undo").click()
    expect(message(page, "Undone. “Call mum” is back where it was.")).to_be_visible()
    expect(page.locator("#task-list .task-title")).to_have_text(TITLES)
    assert not Task.objects.get(title="Call mum").is_deleted
    axe.check()


def test_the_last_row_deleted_leaves_focus_on_its_undo_and_k_goes_back_up(inbox: Page, axe):
    page = inbox
    for _ in TITLES:
        page.keyboard.press("j")
    expect(title_of(page, "Pay rent")).to_be_focused()
    page.keyboard.press("Shift+Digit3")
    # No row after it: focus lands on the message, whose Undo is the next Tab.
    expect(message(page, "Moved “Pay rent” to the trash.")).to_be_visible()
    expect(page.locator("#messages .toast-message")).to_be_focused()
    axe.check()
    page.keyboard.press("k")
    expect(title_of(page, "Call mum")).to_be_focused()


def test_e_opens_the_edit_page(inbox: Page, axe):
    page = inbox
    press(page, "j", "j", "e")
    task = Task.objects.get(title="Call mum")
    expect(page).to_have_url(re.compile(rf"/tasks/{task.pk}/edit/$"))
    expect(page.get_by_label(re.compile(r"^\s*Title"))).to_have_value("Call mum")
    axe.check()


def test_x_selects_the_row_and_escape_leaves_selection_mode(inbox: Page, axe):
    page = inbox
    bulk = page.get_by_role("form", name="Selected tasks")
    expect(bulk).to_be_hidden()
    press(page, "j", "x")
    expect(page.get_by_role("checkbox", name="Select “Buy milk”")).to_be_checked()
    expect(bulk).to_be_visible()
    expect(bulk).to_contain_text("1 task selected")
    # Focus stays on the row, so j and x go on selecting.
    expect(title_of(page, "Buy milk")).to_be_focused()
    press(page, "j", "x")
    expect(page.get_by_role("checkbox", name="Select “Call mum”")).to_be_checked()
    expect(bulk).to_contain_text("2 tasks selected")
    axe.check()

    # Escape from the bar, which hides, puts focus back on the row.
    bulk.get_by_label("Action").focus()
    page.keyboard.press("Escape")
    expect(bulk).to_be_hidden()
    # Out of selection mode the boxes are hidden, so not in the accessibility tree.
    expect(row(page, "Buy milk").locator("[data-action=select]")).not_to_be_checked()
    expect(title_of(page, "Call mum")).to_be_focused()


def test_escape_closes_an_open_row_menu_first(inbox: Page, axe):
    page = inbox
    page.get_by_role("link", name="Select", exact=True).click()
    menu = row(page, "Buy milk").locator("details.row-menu")
    menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    # One thing at a time: selection mode is still on.
    expect(page.get_by_role("form", name="Selected tasks")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("form", name="Selected tasks")).to_be_hidden()
    axe.check()


def test_modifier_keys_leave_the_browsers_own_shortcuts_alone(inbox: Page, axe):
    page = inbox
    page.keyboard.press("j")
    for combo in ["Control+j", "Alt+j", "Meta+j", "Shift+J", "Control+Shift+Slash"]:
        page.keyboard.press(combo)
    expect(title_of(page, "Buy milk")).to_be_focused()
    expect(help_dialog(page)).to_be_hidden()
    axe.check()


def test_with_the_setting_off_no_key_does_anything_but_the_menu_still_opens_the_list(
    inbox: Page, axe, user
):
    page = inbox
    user.keyboard_shortcuts = False
    user.save(update_fields=["keyboard_shortcuts"])
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-shortcuts", "off")
    axe.check()
    mark_document(page, javascript=True)
    for key in ["Shift+Slash", "q", "/", "j", "x", "c", "Shift+Digit3", "g", "i"]:
        page.keyboard.press(key)
    page.wait_for_timeout(SETTLE_MS)
    assert_same_document(page)
    expect(help_dialog(page)).to_be_hidden()
    expect(quick_add_field(page)).not_to_be_focused()
    expect(page.get_by_role("searchbox", name="Search tasks")).not_to_be_focused()
    expect(page.locator(".task-title:focus")).to_have_count(0)
    expect(page.get_by_role("form", name="Selected tasks")).to_be_hidden()
    assert not Task.objects.filter(completed_at__isnull=False).exists()
    assert not Task.objects.filter(deleted_at__isnull=False).exists()

    account_menu(page).get_by_role("button", name="Keyboard shortcuts").click()
    dialog = help_dialog(page)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Single-key shortcuts are off.")
    axe.check()
    dialog.get_by_role("button", name="Close keyboard shortcuts").click()
    expect(dialog).to_be_hidden()


def test_the_settings_explain_the_setting_and_show_the_list(inbox: Page, live_server, axe):
    page = inbox
    page.goto(live_server.url + "/accounts/settings/")
    checkbox = page.get_by_role("checkbox", name="Single-key shortcuts")
    expect(checkbox).to_be_checked()
    expect(page.get_by_text("speech input or a slip of the finger")).to_be_visible()
    page.get_by_role("button", name="Show the keyboard shortcuts").click()
    expect(help_dialog(page)).to_be_visible()
    axe.check()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Show the keyboard shortcuts")).to_be_focused()
    checkbox.uncheck()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your settings have been saved.")).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-shortcuts", "off")
    axe.check()


def test_without_javascript_the_menu_offers_no_dead_button(live_server, browser, axe_for, user):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    audit = axe_for(page, javascript=False)
    page.goto(live_server.url + "/accounts/login/")
    audit.check()
    fill_in_sign_in(page, "ada", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    audit.check()
    menu = account_menu(page)
    expect(menu.get_by_role("link", name="Settings")).to_be_visible()
    expect(menu.get_by_role("button", name="Keyboard shortcuts")).to_be_hidden()
    context.close()
