"""The reminder clock, in-process: firing once, on time, late, folded, and retried."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reminders import dispatch, links, schedule
from reminders.models import Delivery, Notification, Reminder
from todos import services
from todos.tests.factories import ProjectFactory, TaskFactory

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def task(user):
    user.timezone = "UTC"
    user.save()
    return TaskFactory(
        project=ProjectFactory(owner=user),
        title="Pay rent",
        due_date=date(2026, 12, 2),
        due_time=time(9, 0),
    )


def test_a_reminder_before_the_due_time_goes_off_once(task):
    reminder = schedule.add(task, minutes_before=30)
    assert reminder.remind_at == datetime(2026, 12, 2, 8, 30, tzinfo=UTC)

    assert dispatch.tick(NOW + timedelta(minutes=29))["reminders"] == 0
    assert dispatch.tick(NOW + timedelta(minutes=30))["reminders"] == 1
    assert dispatch.tick(NOW + timedelta(minutes=31))["reminders"] == 0

    notification = Notification.objects.get()
    assert notification.title == "Pay rent"
    assert notification.body.startswith("Due ")
    assert "late" not in notification.body
    [message] = mail.outbox
    assert message.subject == "Reminder: Pay rent"
    assert task.get_absolute_url() in message.body
    assert "Snooze 1 hour: http" in message.body
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_moving_the_due_date_moves_relative_reminders(task):
    reminder = schedule.add(task, minutes_before=10)
    task = services.update_task(
        task, expected_version=task.version, tags=[], due_date=date(2026, 12, 5)
    )
    reminder.refresh_from_db()
    assert reminder.remind_at == datetime(2026, 12, 5, 8, 50, tzinfo=UTC)


def test_completing_or_trashing_cancels_pending_reminders(task):
    reminder = schedule.add(task, minutes_before=10)
    services.set_completed(task, True, now=NOW)
    reminder.refresh_from_db()
    assert reminder.remind_at is None
    assert dispatch.tick(NOW + timedelta(hours=2))["reminders"] == 0

    services.set_completed(task, False, now=NOW)
    reminder.refresh_from_db()
    assert reminder.remind_at is not None
    services.trash(task, now=NOW)
    reminder.refresh_from_db()
    assert reminder.remind_at is None


def test_a_late_reminder_says_so_and_an_old_one_is_folded(task, settings):
    settings.REMINDER_GRACE_MINUTES = 30
    schedule.add(task, minutes_before=0)
    other = TaskFactory(project=task.project, title="Call Mom", due_date=task.due_date)
    schedule.add(other, at=datetime(2026, 12, 2, 6, 0, tzinfo=UTC))
    third = TaskFactory(project=task.project, title="Water plants", due_date=task.due_date)
    schedule.add(third, at=datetime(2026, 12, 2, 6, 30, tzinfo=UTC))

    dispatch.tick(datetime(2026, 12, 2, 9, 5, tzinfo=UTC))

    away, late = Notification.objects.order_by("kind")
    assert away.kind == Notification.Kind.AWAY
    assert "2 reminders" in away.title
    assert "Call Mom" in away.body
    assert "Water plants" in away.body
    assert late.kind == Notification.Kind.REMINDER
    assert "Sent 5 minutes late." in late.body
    assert Reminder.objects.filter(fired_at__isnull=True).count() == 0


def test_the_default_reminder_is_given_to_tasks_with_a_due_time(task, user):
    user.default_reminder = 30
    user.save()
    schedule.resync([task.pk])
    reminder = Reminder.objects.get(task=task)
    assert reminder.is_default
    assert reminder.minutes_before == 30
    schedule.resync([task.pk])
    assert Reminder.objects.filter(task=task).count() == 1


def test_a_failed_email_is_tried_again_with_backoff(task, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    schedule.add(task, at=timezone.now())
    tried_at = timezone.now()
    dispatch.tick(tried_at)
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.PENDING
    assert delivery.attempts == 1
    assert "refused" in delivery.last_error
    assert delivery.next_attempt_at >= tried_at + timedelta(seconds=30)
    # Not before its time; then once the mail server is back.
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend", "OPTIONS": {}}
    }
    assert dispatch.tick(tried_at + timedelta(seconds=10))["deliveries"] == 0
    assert dispatch.tick(delivery.next_attempt_at)["deliveries"] == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    assert delivery.attempts == 2
    assert len(mail.outbox) == 1


def test_a_delivery_queued_again_after_its_claim_ran_out_is_sent_once(task, tasks_in_database):
    schedule.add(task, at=NOW)
    dispatch.tick(NOW)
    # The first task waited in the queue past its claim, so the clock queued another.
    dispatch.tick(NOW + dispatch.CLAIM + timedelta(seconds=1))
    first, second = DBTaskResult.objects.order_by("enqueued_at")

    outcomes = [dispatch.deliver.call(*queued.args_kwargs["args"]) for queued in (first, second)]

    assert outcomes == ["already handled", "sent"]
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_the_daily_digest_goes_out_once_at_the_hour_picked(task, user):
    user.digest_hour = 7
    user.save()
    TaskFactory(project=task.project, title="Renew passport", due_date=date(2026, 11, 30))
    TaskFactory(project=task.project, title="Someday", due_date=date(2026, 12, 20))

    assert dispatch.tick(datetime(2026, 12, 2, 6, 59, tzinfo=UTC))["digests"] == 0
    assert dispatch.tick(datetime(2026, 12, 2, 7, 0, tzinfo=UTC))["digests"] == 1
    assert dispatch.tick(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))["digests"] == 0

    [message] = mail.outbox
    assert message.subject == "Your day: 2 tasks, 1 overdue"
    assert "Overdue:\n• Renew passport" in message.body
    assert "• Pay rent at 09:00" in message.body
    assert "Someday" not in message.body
    assert dispatch.tick(datetime(2026, 12, 3, 7, 0, tzinfo=UTC))["digests"] == 1


def test_the_digest_hour_is_the_persons_own(task, user):
    user.digest_hour = 7
    user.timezone = "America/New_York"
    user.save()

    assert dispatch.tick(datetime(2026, 12, 2, 7, 0, tzinfo=UTC))["digests"] == 0
    assert dispatch.tick(datetime(2026, 12, 2, 12, 0, tzinfo=UTC))["digests"] == 1


def test_a_snooze_link_shows_one_button_and_works_once(client, task):
    schedule.add(task, at=NOW)
    dispatch.tick(NOW)
    notification = Notification.objects.get()
    url = links.action_url(notification, "1h").removeprefix(settings.SITE_URL)

    shown = client.get(url)
    assert shown.status_code == 200
    form = shown.content.decode().split(f'action="{url}"')[1].split("</form>")[0]
    assert form.count("<button") == 1
    assert Reminder.objects.count() == 1

    done = client.post(url)
    again = client.post(url)

    assert "you will be reminded again" in done.content.decode()
    assert again.status_code == 404
    assert Reminder.objects.count() == 2


def test_the_header_counts_unread_notifications_until_they_are_seen(client_logged_in, task):
    schedule.add(task, at=NOW)
    dispatch.tick(NOW)

    today = client_logged_in.get(reverse("todos:today")).content.decode()
    seen = client_logged_in.get(reverse("todos:notifications")).content.decode()
    after = client_logged_in.get(reverse("todos:today")).content.decode()

    assert "Notifications, 1 unread" in today
    assert "Pay rent" in seen
    assert "unread" not in seen.split("</header>")[0]
    assert "unread" not in after.split("</header>")[0]
    assert Notification.objects.get().read_at is not None
