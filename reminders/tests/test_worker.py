"""Reminders through the real path: `manage.py worker` processes, the test database, SMTP.

Each test runs on the backend the environment names: the database one by
default, or RQ with a Redis of the test's own when TASKS_BACKEND=rq (CI runs
these tests both ways).
"""

import os
import shutil
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from conftest import Worker, skip_or_fail, wait_until
from django_project.tests.test_cache_outage import PrivateRedis
from reminders import dispatch, schedule
from reminders.models import Delivery, Notification, Reminder
from todos.tests.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db(transaction=True)

BACKEND = os.environ.get("TASKS_BACKEND", "database")
# The promise: a reminder goes out within this long of its time.
ON_TIME = timedelta(seconds=60)


@pytest.fixture(params=[BACKEND])
def backend_env(request, worker_env, settings, tmp_path):
    """The workers' environment on the task backend of this run; this process queues there too."""
    if request.param == "database":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        yield worker_env
        return
    if shutil.which("redis-server") is None:
        skip_or_fail("No redis-server: install it with 'apt-get install redis-server'.")
    redis = PrivateRedis(tmp_path)
    redis.start()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis.url}}
    yield {**worker_env, "TASKS_BACKEND": "rq", "REDIS_URL": redis.url}
    redis.stop()


@pytest.fixture
def workers(backend_env, tmp_path):
    """Make worker processes that share the test database (and Redis); stop them at the end."""
    made: list[Worker] = []

    def make(**env) -> Worker:
        worker = Worker({**backend_env, **env}, tmp_path / f"worker-{len(made)}.log")
        made.append(worker)
        return worker

    yield make
    for worker in made:
        worker.stop()
        print(worker.output())  # shown by pytest when the test failed


def remind(owner, title, at):
    task = TaskFactory(project=ProjectFactory(owner=owner), title=title)
    return schedule.add(task, at=at)


def sent_once(smtp_server) -> Counter:
    """Count the messages that arrived for each notification."""
    return Counter(message["X-Ticklist-Notification"] for message in smtp_server.messages)


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def no_more_arrive(smtp_server, count: int, seconds: float = 2) -> bool:
    """Wait a few ticks more and tell whether the count stayed put (no second copies)."""
    time.sleep(seconds)
    return len(smtp_server.messages) == count


def test_two_workers_side_by_side_send_each_reminder_once_and_on_time(workers, smtp_server):
    people = [UserFactory() for _ in range(4)]
    start = timezone.now()
    for number in range(20):
        remind(people[number % 4], f"Task {number}", start + timedelta(seconds=2 + number % 5))

    first, second = workers(), workers()
    first.start()
    second.start()
    smtp_server.wait_for(20, timeout=60)

    assert no_more_arrive(smtp_server, 20)
    assert first.running
    assert second.running
    assert set(sent_once(smtp_server).values()) == {1}
    assert sorted(message["Subject"] for message in smtp_server.messages) == sorted(
        f"Reminder: Task {number}" for number in range(20)
    )
    assert Notification.objects.count() == 20
    for delivery in Delivery.objects.select_related("notification"):
        assert delivery.state == Delivery.State.SENT
        assert delivery.sent_at - delivery.notification.due_at < ON_TIME


def test_a_worker_restart_loses_no_reminder_and_sends_none_twice(workers, smtp_server, user):
    start = timezone.now()
    for number in range(10):
        remind(user, f"Task {number}", start + timedelta(seconds=2 + number))

    worker = workers()
    worker.start()
    smtp_server.wait_for(2, timeout=30)
    worker.stop()
    assert len(smtp_server.messages) < 10, "the restart came too late to test anything"
    worker.start()
    smtp_server.wait_for(10, timeout=40)

    assert no_more_arrive(smtp_server, 10)
    assert set(sent_once(smtp_server).values()) == {1}
    assert not Reminder.objects.filter(fired_at__isnull=True).exists()


def test_after_an_outage_late_reminders_say_so_and_old_ones_are_folded(
    workers, smtp_server, user, other_user, settings
):
    now = timezone.now()
    grace = timedelta(minutes=settings.REMINDER_GRACE_MINUTES)
    remind(user, "Pay rent", now - timedelta(minutes=5))
    remind(user, "Call Mom", now - grace - timedelta(hours=1))
    remind(user, "Water plants", now - grace - timedelta(minutes=5))
    remind(other_user, "Book flights", now - grace - timedelta(hours=2))

    workers().start()
    messages = smtp_server.wait_for(3)

    assert no_more_arrive(smtp_server, 3)
    by_subject = {message["Subject"]: message for message in messages}
    late = by_subject["Reminder: Pay rent"]
    assert "Sent 5 minutes late." in body(late)
    away = by_subject["While you were away: 2 reminders went past"]
    assert away["To"] == user.email
    assert "Call Mom" in body(away)
    assert "Water plants" in body(away)
    other = by_subject["While you were away: 1 reminder went past"]
    assert other["To"] == other_user.email
    assert "Book flights" in body(other)


def test_a_reminder_sent_while_smtp_is_down_is_retried_with_backoff_and_arrives_once(
    workers, smtp_server, user
):
    smtp_server.stop()
    reminder = remind(user, "Pay rent", timezone.now() + timedelta(seconds=1))

    workers(REMINDER_RETRY_SECONDS="1,2,4,8,16,32").start()
    delivery = Delivery.objects.filter(notification__reminder=reminder)
    assert wait_until(lambda: delivery.filter(attempts__gte=1).exists(), timeout=20)
    failed = delivery.get()
    assert failed.state == Delivery.State.PENDING
    assert "refused" in failed.last_error.lower()
    # Tried again later, not at once.
    assert failed.next_attempt_at >= failed.notification.created_at + timedelta(seconds=1)
    smtp_server.start()

    (message,) = smtp_server.wait_for(1)
    assert message["Subject"] == "Reminder: Pay rent"
    assert no_more_arrive(smtp_server, 1)
    sent = delivery.get()
    assert sent.state == Delivery.State.SENT
    assert sent.attempts >= 2


def test_a_delivery_a_crashed_worker_had_claimed_is_sent_by_the_next_one(
    workers, smtp_server, user
):
    now = timezone.now()
    reminder = remind(user, "Pay rent", now - timedelta(minutes=3))
    # What a worker killed between claiming and sending leaves: the reminder fired,
    # its delivery pending under a claim that has run out.
    assert dispatch.fire_due(now) == 1
    Delivery.objects.update(claimed_until=now - timedelta(seconds=1))

    workers().start()
    (message,) = smtp_server.wait_for(1)

    assert message["Subject"] == "Reminder: Pay rent"
    assert "Sent 3 minutes late." in body(message)
    assert no_more_arrive(smtp_server, 1)
    assert Notification.objects.filter(reminder=reminder).count() == 1
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_an_account_email_sent_while_smtp_is_down_is_deferred_and_arrives_once(
    workers, smtp_server, client, user
):
    smtp_server.stop()
    client.post(reverse("password_reset"), {"email": user.email})

    worker = workers()
    worker.start()
    # The first try fails; the backend holds the next one back (RQ: its scheduler).
    assert wait_until(lambda: "trying again later" in worker.output(), timeout=20)
    smtp_server.start()

    (message,) = smtp_server.wait_for(1, timeout=30)
    assert message["Subject"] == "Reset your Ticklist password"
    assert no_more_arrive(smtp_server, 1)
