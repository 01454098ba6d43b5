"""Issue 14's reminders in the browser: a task's reminders, the notifications page and its
unread count, the reminder settings, and the one-button pages behind the links in a
reminder email; axe on every page, light and dark."""

import re
from datetime import time, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from reminders import dispatch, links, schedule
from reminders.forms import local_input
from reminders.models import Notification, Reminder
from tests.e2e.steps import (
    add,
    both_schemes,
    message,
    open_settings,
    pictures,
    shots_dir,
    signed_in_context,
)
from todos.models import Task

pytestmark = pytest.mark.django_db(transaction=True)


def fire_now(task: Task) -> Notification:
    """Run the reminder clock over a reminder of `task` due now; return what it made."""
    schedule.add(task, at=timezone.now())
    dispatch.tick()
    return Notification.objects.filter(task=task).latest("pk")


def reminders_of(page):
    return page.locator(".reminder-list .reminder")


def bell(page):
    return page.get_by_role("navigation", name="Main").locator(".notifications-link")


def local_path(url: str) -> str:
    """The path of an absolute link in a message, to open on the test's server."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_reminders_ring_the_bell_and_list_in_notifications(
    live_server, browser, axe_for, user, tmp_path, monkeypatch
):
    shots_dir(monkeypatch)
    tomorrow = timezone.localdate() + timedelta(days=1)
    task = add(user, "Pay rent", due_date=tomorrow, recurrence="FREQ=WEEKLY")
    context = signed_in_context(browser, live_server, user)
    page = context.new_page()
    axe = axe_for(page)
    page.goto(live_server.url + task.get_absolute_url())
    expect(page.get_by_text("No reminders.")).to_be_visible()
    both_schemes(page, axe)

    # Counting back needs a due time: the page says so, and gets one from the form.
    remind = page.get_by_label("Remind me")
    remind.select_option(label="10 minutes before")
    page.get_by_role("button", name="Add reminder").click()
    expect(message(page, "This task has no due time")).to_be_visible()
    assert not Reminder.objects.exists()
    axe.check()
    page.get_by_role("link", name="Edit", exact=True).click()
    axe.check()
    page.get_by_label("Due time").fill("18:00")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay rent")
    axe.check()
    page.get_by_label("Remind me").select_option(label="10 minutes before")
    page.get_by_role("button", name="Add reminder").click()
    expect(message(page, f"on {tomorrow:%a %-d %b} at 17:50.")).to_be_visible()
    expect(reminders_of(page)).to_have_count(1)
    expect(reminders_of(page).first).to_contain_text("10 minutes before")
    axe.check()

    # A date and time of one's own.
    moment = timezone.now().replace(second=0, microsecond=0) + timedelta(days=2)
    page.get_by_label("Remind me").select_option(label="At a date and time…")
    page.get_by_label("Date and time").fill(local_input(moment))
    page.get_by_role("button", name="Add reminder").click()
    shown = f"{timezone.localtime(moment):%a %-d %b %Y, %H:%M}"
    expect(message(page, "You will be reminded of “Pay rent”")).to_be_visible()
    expect(reminders_of(page)).to_have_count(2)
    expect(reminders_of(page).filter(has_text=shown)).to_have_count(1)
    assert Reminder.objects.filter(task=task, at=moment).exists()
    both_schemes(page, axe)
    page.reload()  # without the toast
    pictures(
        page, "task-repeating-reminders", tmp_path, axe.check, show=page.locator("#reminders")
    )

    # Removing one leaves the other.
    reminders_of(page).filter(has_text="10 minutes before").get_by_role(
        "button", name="Remove this reminder"
    ).click()
    expect(message(page, "Removed a reminder of “Pay rent”.")).to_be_visible()
    expect(reminders_of(page)).to_have_count(1)
    expect(reminders_of(page).first).to_contain_text(shown)
    assert not Reminder.objects.filter(minutes_before=10).exists()
    axe.check()

    # The clock fires one: the bell counts it until the notifications page is seen.
    expect(bell(page).locator(".unread-count")).to_have_count(0)
    fire_now(task)
    # Opened afresh, not reloaded: a reload would scroll smoothly back to #reminders,
    # and axe, looking mid-scroll, sees the breadcrumb under the sticky header.
    page.goto(live_server.url + task.get_absolute_url())
    expect(bell(page).locator(".unread-count")).to_have_text("1")
    expect(bell(page)).to_have_accessible_name("Notifications, 1 unread")
    axe.check()
    assert [m.to for m in mail.outbox] == [[user.email]]
    bell(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    listed = page.locator(".notification-list .notification")
    expect(listed).to_have_count(1)
    expect(listed.first.get_by_role("link", name=re.compile("Pay rent"))).to_be_visible()
    expect(listed.first).to_have_class(re.compile(r"\bis-unread\b"))
    both_schemes(page, axe)
    pictures(page, "notifications", tmp_path, axe.check)
    page.reload()
    expect(listed.first).not_to_have_class(re.compile(r"\bis-unread\b"))
    expect(bell(page).locator(".unread-count")).to_have_count(0)
    expect(bell(page)).to_have_accessible_name("Notifications")
    axe.check()
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_reminder_settings_are_kept(live_server, browser, axe_for, user, javascript):
    context = signed_in_context(browser, live_server, user, java_script_enabled=javascript)
    page = context.new_page()
    axe = axe_for(page, javascript=javascript)
    page.goto(live_server.url + "/today/")
    axe.check()
    if javascript:
        open_settings(page)
    else:
        page.goto(live_server.url + "/accounts/settings/")
    expect(page.get_by_role("group", name="Reminders")).to_be_visible()
    expect(page.get_by_role("heading", name="Browser notifications")).to_be_visible()
    both_schemes(page, axe)

    reminders = page.get_by_role("group", name="Reminders")
    reminders.get_by_label("Default reminder").select_option(label="30 minutes before")
    channels = reminders.get_by_role("group", name="Remind me")
    channels.get_by_label("by email").uncheck()
    channels.get_by_label("in Ticklist").check()
    channels.get_by_label("by browser notification").uncheck()
    reminders.get_by_label("Daily digest").select_option(label="07:00")
    page.get_by_role("button", name="Save settings").click()
    expect(message(page, "Your settings have been saved.")).to_be_visible()
    axe.check()

    page.goto(live_server.url + "/accounts/settings/")
    expect(reminders.get_by_label("Default reminder")).to_have_value("30")
    expect(channels.get_by_label("by email")).not_to_be_checked()
    expect(channels.get_by_label("in Ticklist")).to_be_checked()
    expect(channels.get_by_label("by browser notification")).not_to_be_checked()
    expect(reminders.get_by_label("Daily digest")).to_have_value("7")
    user = User.objects.get(pk=user.pk)
    assert (user.default_reminder, user.remind_by_email, user.remind_in_app) == (30, False, True)
    assert (user.remind_by_push, user.digest_hour) == (False, 7)
    both_schemes(page, axe)
    context.close()


def test_a_complete_link_asks_first_and_works_once(live_server, browser, axe_for, user):
    task = add(user, "Pay rent", due_date=timezone.localdate(), due_time=time(18))
    link = local_path(links.action_url(fire_now(task), "complete"))
    # Opened from the email: no session needed.
    context = browser.new_context()
    page = context.new_page()
    axe = axe_for(page)
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay rent")
    buttons = page.get_by_role("main").get_by_role("button")
    expect(buttons).to_have_count(1)
    expect(buttons).to_have_accessible_name("Complete")
    task.refresh_from_db()
    assert task.completed_at is None, "opening the link completed the task"
    both_schemes(page, axe)

    buttons.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Done")
    expect(page.get_by_role("status")).to_have_text("Completed “Pay rent”.")
    task.refresh_from_db()
    assert task.completed_at is not None
    both_schemes(page, axe)

    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    expect(page.get_by_role("main").get_by_role("button")).to_have_count(0)
    both_schemes(page, axe)
    context.close()


def test_a_snooze_link_sets_a_new_reminder(live_server, browser, axe_for, user):
    task = add(user, "Call the plumber", due_date=timezone.localdate(), due_time=time(18))
    link = local_path(links.action_url(fire_now(task), "10m"))
    before = set(Reminder.objects.filter(task=task).values_list("pk", flat=True))
    context = browser.new_context()
    page = context.new_page()
    axe = axe_for(page)
    page.goto(live_server.url + link)
    buttons = page.get_by_role("main").get_by_role("button")
    expect(buttons).to_have_count(1)
    expect(buttons).to_have_accessible_name("Snooze 10 minutes")
    assert set(Reminder.objects.filter(task=task).values_list("pk", flat=True)) == before
    axe.check()
    pressed = timezone.now()
    buttons.click()
    expect(page.get_by_role("status")).to_contain_text(
        "Snoozed “Call the plumber”: you will be reminded again on"
    )
    axe.check()
    snoozed = Reminder.objects.filter(task=task).exclude(pk__in=before).get()
    assert timedelta(minutes=9) < snoozed.remind_at - pressed < timedelta(minutes=11)
    context.close()

    context = signed_in_context(browser, live_server, user)
    page = context.new_page()
    axe = axe_for(page)
    page.goto(live_server.url + task.get_absolute_url())
    shown = f"{timezone.localtime(snoozed.at):%a %-d %b %Y, %H:%M}"
    expect(reminders_of(page).filter(has_text=shown)).to_have_count(1)
    both_schemes(page, axe)
    context.close()
