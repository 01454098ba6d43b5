"""Repeating tasks: completing an occurrence, skipping one, undoing, and the last one."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from todos import services, undo
from todos.models import Completion, Task
from todos.tests.factories import ProjectFactory, TaskFactory

# A Wednesday, 10:00 in UTC.
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
TODAY = date(2026, 12, 2)


@pytest.fixture
def daily(user):
    return TaskFactory(
        project=ProjectFactory(owner=user),
        title="Water the plants",
        due_date=date(2026, 11, 27),
        recurrence="FREQ=DAILY",
    )


def test_completing_an_overdue_daily_task_moves_it_to_tomorrow_with_a_record(daily, user):
    outcome = services.set_completed(daily, True, now=NOW, by=user)

    daily.refresh_from_db()
    assert outcome.changed == 1
    assert daily.completed_at is None
    assert daily.due_date == date(2026, 12, 3)
    record = Completion.objects.get(task=daily)
    assert record.due_date == date(2026, 11, 27)
    assert record.completed_by == user
    assert record.completed_at == NOW


def test_the_same_occurrence_completed_twice_moves_the_task_once(daily, user):
    stale = Task.objects.get(pk=daily.pk)
    services.set_completed(daily, True, now=NOW)
    second = services.set_completed(stale, True, now=NOW)

    daily.refresh_from_db()
    assert second.changed == 0
    assert daily.due_date == date(2026, 12, 3)
    assert Completion.objects.count() == 1


def test_undo_puts_the_due_date_back_and_removes_the_record(daily):
    outcome = services.set_completed(daily, True, now=NOW)

    undo.undo(outcome.undo)

    daily.refresh_from_db()
    assert daily.due_date == date(2026, 11, 27)
    assert daily.completed_at is None
    assert not Completion.objects.exists()


def test_skipping_moves_on_without_a_record(daily):
    outcome = services.skip_occurrence(daily, now=NOW)

    daily.refresh_from_db()
    assert outcome.changed == 1
    assert daily.due_date == date(2026, 12, 3)
    assert not Completion.objects.exists()


def test_sub_tasks_reopen_when_the_task_moves_on(daily):
    step = TaskFactory(project=daily.project, parent=daily, title="Fill the can", completed_at=NOW)

    services.set_completed(daily, True, now=NOW)

    step.refresh_from_db()
    assert step.completed_at is None


def test_the_last_occurrence_completes_the_task_for_good(user):
    task = TaskFactory(
        project=ProjectFactory(owner=user),
        due_date=TODAY,
        recurrence="FREQ=DAILY;COUNT=2",
    )
    services.set_completed(task, True, now=NOW)
    task.refresh_from_db()
    assert (task.due_date, task.completed_at, task.recurrence) == (
        date(2026, 12, 3),
        None,
        "FREQ=DAILY;COUNT=1",
    )

    services.set_completed(task, True, now=NOW)

    task.refresh_from_db()
    assert task.completed_at == NOW
    assert task.completions.count() == 2


def test_after_completion_counts_from_the_day_it_is_done(user):
    task = TaskFactory(
        project=ProjectFactory(owner=user),
        due_date=date(2026, 11, 20),
        recurrence="FREQ=DAILY;INTERVAL=3",
        recurrence_mode="completion",
    )
    services.set_completed(task, True, now=NOW)
    task.refresh_from_db()
    assert task.due_date == date(2026, 12, 5)


def test_the_task_page_says_how_often_it_was_done(client_logged_in, daily):
    services.set_completed(daily, True, now=NOW)
    services.set_completed(Task.objects.get(pk=daily.pk), True, now=NOW)

    page = client_logged_in.get(daily.get_absolute_url()).content.decode()

    assert "Every day" in page
    assert "2 times, last on" in page
    assert "Skip this occurrence" in page


def test_completed_lists_the_occurrences_and_search_finds_them(client_logged_in, daily):
    services.set_completed(daily, True, now=NOW)

    completed = client_logged_in.get(reverse("todos:completed")).content.decode()
    found = client_logged_in.get(reverse("todos:search"), {"q": "water", "status": "completed"})

    assert "Repeating tasks, done" in completed
    assert "Water the plants" in completed
    assert "Water the plants" in found.content.decode()


def test_a_stale_button_does_not_complete_the_next_occurrence(client_logged_in, daily):
    url = reverse("todos:task_toggle", args=[daily.pk]) + "?occurrence=2026-11-27"
    client_logged_in.post(url, {"completed": "1"})
    client_logged_in.post(url, {"completed": "1"})

    daily.refresh_from_db()
    assert daily.completions.count() == 1
    assert daily.due_date > date(2026, 11, 27)


def test_today_and_upcoming_show_a_repeating_task_once(client_logged_in, user):
    task = TaskFactory(
        project=ProjectFactory(owner=user),
        title="Stand-up",
        due_date=timezone.localdate(),
        recurrence="FREQ=DAILY",
    )
    today = client_logged_in.get(reverse("todos:today")).content.decode()
    upcoming = client_logged_in.get(reverse("todos:upcoming")).content.decode()

    assert today.count(f'id="task-{task.pk}"') == 1
    assert upcoming.count(f'id="task-{task.pk}"') == 1
    assert "Repeats: </span>" in upcoming
