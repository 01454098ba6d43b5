"""Writes say the state they want: a repeated click, or one from a stale page, changes nothing."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from todos import services
from todos.models import Task
from todos.tests.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/inbox/"}


def said(response) -> list[str]:
    """Return the messages the response adds (the earlier, unread ones are left out)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


@pytest.fixture
def rent(user):
    return TaskFactory(project=services.ensure_inbox(user), title="Pay rent")


def test_a_stale_complete_does_not_reopen_a_task_completed_in_another_tab(client_logged_in, rent):
    toggle = reverse("todos:task_toggle", args=[rent.pk])
    # Both tabs show the open task, whose button asks to complete it.
    client_logged_in.post(toggle, {"completed": "1"})
    rent.refresh_from_db()
    done_at = rent.completed_at

    second = client_logged_in.post(toggle, {"completed": "1"})

    rent.refresh_from_db()
    assert rent.completed_at == done_at
    assert said(second) == ["“Pay rent” was already completed."]


def test_a_stale_reopen_does_not_complete_a_task_reopened_elsewhere(client_logged_in, rent):
    toggle = reverse("todos:task_toggle", args=[rent.pk])

    response = client_logged_in.post(toggle, {"completed": "0"})

    rent.refresh_from_db()
    assert rent.completed_at is None
    assert said(response) == ["“Pay rent” was already open."]


def test_the_rows_button_says_what_it_asks_for(client_logged_in, rent):
    html = client_logged_in.get(reverse("todos:inbox")).content.decode()
    assert f'formaction="{rent.toggle_url}" name="completed" value="1"' in html

    services.set_completed(rent, True, now=timezone.now())

    html = client_logged_in.get(reverse("todos:inbox")).content.decode()
    assert f'formaction="{rent.toggle_url}" name="completed" value="0"' in html


def test_a_stale_htmx_complete_answers_with_the_row_as_it_is(client_logged_in, rent):
    services.set_completed(rent, True, now=timezone.now())

    response = client_logged_in.post(
        reverse("todos:task_toggle", args=[rent.pk]), {"completed": "1"}, **HTMX
    )

    html = response.content.decode()
    assert 'aria-label="Reopen “Pay rent”"' in html
    assert "was already completed" in html


def test_completing_a_task_deleted_in_another_tab_changes_nothing(client_logged_in, rent):
    services.trash(rent, now=timezone.now())

    response = client_logged_in.post(
        reverse("todos:task_toggle", args=[rent.pk]), {"completed": "1"}
    )

    rent.refresh_from_db()
    assert rent.completed_at is None
    assert said(response) == ["“Pay rent” is in the trash; restore it first."]


def test_deleting_twice_says_it_is_already_in_the_trash(client_logged_in, rent):
    delete = reverse("todos:task_delete", args=[rent.pk])
    client_logged_in.post(delete)
    rent.refresh_from_db()
    deleted_at = rent.deleted_at

    second = client_logged_in.post(delete)

    rent.refresh_from_db()
    assert rent.deleted_at == deleted_at
    assert said(second) == ["“Pay rent” was already in the trash."]


def test_restoring_twice_says_it_is_already_restored(client_logged_in, rent):
    services.trash(rent, now=timezone.now())
    restore = reverse("todos:task_restore", args=[rent.pk])
    client_logged_in.post(restore)
    rent.refresh_from_db()
    position = rent.position

    second = client_logged_in.post(restore)

    rent.refresh_from_db()
    assert rent.position == position
    assert said(second) == ["“Pay rent” was already restored."]


def test_a_stale_archive_does_not_unarchive(client_logged_in, user):
    garden = ProjectFactory(owner=user, name="Garden")
    archive = reverse("todos:project_archive", args=[garden.pk])
    client_logged_in.post(archive, {"archived": "1"})

    second = client_logged_in.post(archive, {"archived": "1"})

    garden.refresh_from_db()
    assert garden.is_archived
    assert said(second) == ["“Garden” was already archived."]


def test_bulk_complete_leaves_tasks_done_or_trashed_elsewhere_alone(client_logged_in, user):
    inbox = services.ensure_inbox(user)
    open_task = TaskFactory(project=inbox, title="Open")
    done = TaskFactory(project=inbox, title="Done", completed_at="2026-11-01T09:00:00Z")
    gone = TaskFactory(project=inbox, title="Gone", deleted_at="2026-11-01T09:00:00Z")

    response = client_logged_in.post(
        reverse("todos:task_bulk"),
        {"tasks": [open_task.pk, done.pk, gone.pk], "action": "complete"},
    )

    done.refresh_from_db()
    gone.refresh_from_db()
    assert Task.objects.get(pk=open_task.pk).is_completed
    assert done.completed_at.isoformat() == "2026-11-01T09:00:00+00:00"
    assert gone.completed_at is None
    assert said(response) == [
        "Completed: 1 task. 2 already completed or in the trash were left as they are."
    ]


def test_moving_to_the_project_it_is_in_says_so(client_logged_in, user):
    home = ProjectFactory(owner=user, name="Home")
    task = TaskFactory(project=home, title="Paint")
    position = task.position

    response = client_logged_in.post(
        reverse("todos:task_move", args=[task.pk]), {"project": home.pk}
    )

    task.refresh_from_db()
    assert task.position == position
    assert said(response) == ["“Paint” is already in Home."]


def test_a_stale_project_rename_is_refused_with_the_current_name_shown(client_logged_in, user):
    home = ProjectFactory(owner=user, name="Home")
    edit = reverse("todos:project_update", args=[home.pk])
    opened = home.version
    client_logged_in.post(edit, {"name": "House", "colour": "grey", "version": opened})

    response = client_logged_in.post(edit, {"name": "Flat", "colour": "red", "version": opened})

    home.refresh_from_db()
    assert response.status_code == 409
    assert home.name == "House"
    html = response.content.decode()
    assert "changed elsewhere" in html
    assert 'value="Flat"' in html
    assert "Current values, saved elsewhere" in html
