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


def test_quick_add_makes_a_repeating_task_and_my_day(client_logged_in, user):
    client_logged_in.post(
        reverse("todos:quick_add"), {"text": "Water the plants every monday !myday"}
    )

    task = Task.objects.get(owner=user)
    assert task.title == "Water the plants"
    assert task.recurrence == "FREQ=WEEKLY;BYDAY=MO"
    assert task.due_date.weekday() == 0
    assert task.my_day_entries.filter(owner=user).exists()


def test_an_unreadable_repeat_stays_in_the_title_and_says_so(client_logged_in, user):
    response = client_logged_in.post(
        reverse("todos:quick_add"), {"text": "Howl every blue moon"}, follow=True
    )

    task = Task.objects.get(owner=user)
    assert task.title == "Howl every blue moon"
    assert task.recurrence == ""
    assert task.due_date is None
    assert "every blue moon" in response.content.decode()


def form_data(project, **fields) -> dict:
    return {"title": "Pay rent", "project": project.pk, "priority": 4, **fields}


def test_the_form_reads_a_typed_rule_and_previews_the_dates_without_saving(client_logged_in, user):
    inbox = services.ensure_inbox(user)
    data = form_data(inbox, repeat_text="every 2 weeks on tuesday until dec 31 2027")

    preview = client_logged_in.post(reverse("todos:task_create"), {**data, "preview": "1"})

    assert preview.status_code == 200
    assert not Task.objects.exists()
    page = preview.content.decode()
    assert page.count('<li><time datetime="') == 5
    assert 'value="every 2 weeks on tuesday until dec 31 2027"' in page

    client_logged_in.post(reverse("todos:task_create"), data)

    task = Task.objects.get()
    assert task.recurrence == "FREQ=WEEKLY;BYDAY=TU;INTERVAL=2;UNTIL=20271231"
    assert task.due_date.weekday() == 1
    assert task.recurrence_text == "Every other Tuesday, until 31 Dec 2027"


def test_a_rule_the_form_cannot_read_is_an_error_beside_the_field(client_logged_in, user):
    inbox = services.ensure_inbox(user)

    response = client_logged_in.post(
        reverse("todos:task_create"), form_data(inbox, repeat_text="every blue moon")
    )

    assert response.status_code == 422
    assert 'value="every blue moon"' in response.content.decode()
    assert not Task.objects.exists()


def test_a_preset_repeats_from_the_due_date_and_the_edit_form_shows_it(client_logged_in, user):
    inbox = services.ensure_inbox(user)
    client_logged_in.post(
        reverse("todos:task_create"),
        form_data(inbox, due_date="2026-12-10", repeat="weekly", repeat_mode="completion"),
    )
    task = Task.objects.get()
    assert (task.recurrence, task.recurrence_mode) == ("FREQ=WEEKLY", "completion")

    edit = client_logged_in.get(reverse("todos:task_update", args=[task.pk])).content.decode()

    assert '<option value="weekly" selected>' in edit
    assert "Thu 17 Dec 2026" in edit
