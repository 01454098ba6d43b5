"""Issue 15's comments in the browser, with JavaScript (htmx) and without: a member comments
on a shared task with a link and a mention, edits and deletes their own; the owner mentioned
sees the notification and the comment with its link; axe on every page, light and dark."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from reminders.models import Notification
from tests.e2e.steps import (
    assert_same_document,
    both_schemes,
    check_as_shown,
    mark_document,
    message,
    pictures,
    shots_dir,
    signed_in_context,
)
from todos.models import Comment, Role, Task
from todos.tests.factories import MembershipFactory, ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = "@ada the shop is out of oat milk: https://shop.example/oat"
EDITED = "@ada the shop is out of oat milk (2 left): https://shop.example/oat"


def comment(page: Page, text: str):
    return page.locator("#comments .comment").filter(has_text=text)


def bell(page: Page):
    return page.get_by_role("navigation", name="Main").locator(".notifications-link")


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_a_member_comments_and_the_mentioned_owner_reads_it(
    live_server, browser, axe_for, user, javascript, tmp_path, monkeypatch
):
    shots_dir(monkeypatch)
    project = ProjectFactory(owner=user, name="Household")
    sam = UserFactory(username="sam", display_name="Sam Smith")
    MembershipFactory(project=project, user=sam, role=Role.EDITOR)
    task = TaskFactory(project=project, title="Buy milk")
    context = signed_in_context(browser, live_server, sam, java_script_enabled=javascript)
    page = context.new_page()
    axe = axe_for(page, javascript=javascript)

    page.goto(live_server.url + task.get_absolute_url())
    comments = page.get_by_role("region", name="Comments")
    expect(comments.get_by_text("No comments yet.")).to_be_visible()
    both_schemes(page, axe)

    # Spaces alone are no comment: the error sits beside the field, which keeps them.
    mark_document(page, javascript)
    field = page.get_by_label("Add a comment")
    field.fill("   ")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.get_by_text("Write something before sending the comment.")).to_be_visible()
    expect(page.get_by_label("Add a comment")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Add a comment")).to_have_value("   ")
    check_as_shown(axe, page)

    page.get_by_label("Add a comment").fill(FIRST)
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(message(page, "Comment added.")).to_be_visible()
    written = comment(page, "the shop is out of oat milk")
    expect(written.locator(".comment-author")).to_have_text("Sam Smith")
    expect(written.locator(".comment-avatar")).to_have_text("SS")
    link = written.get_by_role("link", name="https://shop.example/oat")
    expect(link).to_have_attribute("href", "https://shop.example/oat")
    expect(link).to_have_attribute("rel", "nofollow noopener")
    expect(written.locator(".mention")).to_have_text("@ada")
    expect(page.get_by_label("Add a comment")).to_have_value("")
    if javascript:
        assert_same_document(page)
    assert Task.objects.get(pk=task.pk).comment_count == 1
    axe.check()

    # Editing: in place under htmx, on a page of its own without.
    written.get_by_role("link", name=re.compile(r"^Edit your comment")).click()
    if javascript:
        expect(page.get_by_label("Your comment")).to_be_focused()
        assert_same_document(page)
    else:
        expect(page.get_by_role("heading", level=1)).to_have_text("Edit your comment")
    expect(page.get_by_label("Your comment")).to_have_value(FIRST)
    axe.check()
    page.get_by_label("Your comment").fill(EDITED)
    page.get_by_role("button", name="Save comment").click()
    expect(message(page, "Comment saved.")).to_be_visible()
    written = comment(page, "(2 left)")
    expect(written.locator(".comment-edited")).to_have_text("· edited")
    axe.check()

    # A second comment, deleted after saying yes.
    page.get_by_label("Add a comment").fill("Wrong task, sorry")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(message(page, "Comment added.")).to_be_visible()
    axe.check()
    wrong = comment(page, "Wrong task")
    wrong.get_by_role("link", name=re.compile(r"^Delete the comment")).click()
    if javascript:
        expect(wrong.get_by_text("Delete this comment?")).to_be_visible()
        assert_same_document(page)
    else:
        expect(page.get_by_role("heading", level=1)).to_have_text("Delete a comment")
        expect(page.locator(".comment-quote")).to_have_text("Wrong task, sorry")
    axe.check()
    page.get_by_role("button", name="Delete comment").click()
    expect(message(page, "Comment deleted.")).to_be_visible()
    expect(wrong).to_have_count(0)
    expect(page.locator("#comments .comment")).to_have_count(1)
    if javascript:
        assert_same_document(page)
    assert list(Comment.objects.values_list("body", flat=True)) == [EDITED]
    axe.check()
    context.close()

    # The owner was told once, though the edit named them again.
    assert Notification.objects.filter(user=user, kind=Notification.Kind.MENTION).count() == 1
    context = signed_in_context(browser, live_server, user, java_script_enabled=javascript)
    page = context.new_page()
    axe = axe_for(page, javascript=javascript)
    page.goto(live_server.url + "/today/")
    expect(bell(page)).to_have_accessible_name("Notifications, 1 unread")
    axe.check()
    bell(page).click()
    told = page.locator(".notification-list .notification")
    expect(told).to_have_count(1)
    expect(told.first).to_contain_text("the shop is out of oat milk")
    axe.check()
    told.first.get_by_role("link", name="Sam Smith mentioned you on “Buy milk”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buy milk")
    written = comment(page, "(2 left)")
    link = written.get_by_role("link", name="https://shop.example/oat")
    expect(link).to_have_attribute("href", "https://shop.example/oat")
    expect(link).to_have_attribute("rel", "nofollow noopener")
    # The owner may delete a member's comment, not edit it.
    expect(written.get_by_role("link", name=re.compile(r"^Delete the comment"))).to_be_visible()
    expect(written.get_by_role("link", name=re.compile(r"^Edit"))).to_have_count(0)
    both_schemes(page, axe)
    if javascript:
        pictures(page, "task-comments", tmp_path, axe.check, show=page.locator("#comments"))
    context.close()
