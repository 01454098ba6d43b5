"""Undo for complete, delete and every bulk action: everything back exactly where it was."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from todos import services, undo
from todos.models import Task, UndoRecord
from todos.tests.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db


def place(task) -> tuple:
    task.refresh_from_db()
    return (task.project_id, task.parent_id, task.position, task.completed_at, task.deleted_at)


def undo_url(response) -> str:
    """Return the Undo button's address from the response's message."""
    (message,) = [m for m in get_messages(response.wsgi_request) if "undo:" in m.extra_tags]
    return reverse("todos:undo", args=[int(message.extra_tags.split(":")[1])])


@pytest.fixture
def home(user):
    return ProjectFactory(owner=user, name="Home")


@pytest.fixture
def three(home):
    return [TaskFactory(project=home, title=title) for title in ("First", "Second", "Third")]


def test_undo_after_delete_puts_the_task_back_in_its_place_not_at_the_end(client_logged_in, three):
    second = three[1]
    where = place(second)
    response = client_logged_in.post(reverse("todos:task_delete", args=[second.pk]))
    TaskFactory(project=second.project, title="Added meanwhile")

    client_logged_in.post(undo_url(response))

    assert place(second) == where
    order = Task.objects.for_user(second.owner).open().in_manual_order()
    assert [t.title for t in order] == ["First", "Second", "Third", "Added meanwhile"]


def test_undo_after_complete_reopens_the_task_and_the_sub_tasks_completed_with_it(
    client_logged_in, home
):
    parent = TaskFactory(project=home, title="Move house")
    child = TaskFactory(project=home, parent=parent, title="Pack")
    ticked = TaskFactory(project=home, parent=parent, completed_at=timezone.now())
    before = [place(t) for t in (parent, child, ticked)]

    response = client_logged_in.post(
        reverse("todos:task_toggle", args=[parent.pk]), {"completed": "1"}
    )
    assert place(child)[3] is not None
    undone = client_logged_in.post(undo_url(response), follow=True)

    assert [place(t) for t in (parent, child, ticked)] == before
    assert "Undone. “Move house” is open again." in undone.content.decode()


@pytest.mark.parametrize("action", ["complete", "delete", "move"])
def test_undo_after_a_bulk_action_puts_every_task_back(
    client_logged_in, user, home, three, action
):
    parent = three[0]
    child = TaskFactory(project=home, parent=parent, title="Child")
    elsewhere = ProjectFactory(owner=user, name="Work")
    before = [place(t) for t in (*three, child)]

    response = client_logged_in.post(
        reverse("todos:task_bulk"),
        {"tasks": [t.pk for t in (*three, child)], "action": action, "project": elsewhere.pk},
    )
    assert [place(t) for t in (*three, child)] != before
    client_logged_in.post(undo_url(response))

    assert [place(t) for t in (*three, child)] == before


def test_undo_leaves_alone_a_task_changed_since(client_logged_in, three):
    first, second, _ = three
    response = client_logged_in.post(
        reverse("todos:task_bulk"), {"tasks": [first.pk, second.pk], "action": "delete"}
    )
    # Another tab restores and completes the second task before Undo is pressed.
    services.restore(second)
    services.set_completed(second, True, now=timezone.now())
    changed_since = place(second)

    undone = client_logged_in.post(undo_url(response), follow=True)

    assert place(first)[4] is None
    assert place(second) == changed_since
    assert "1 task changed since and was left as it is." in undone.content.decode()


def test_undo_works_once(client_logged_in, three):
    response = client_logged_in.post(reverse("todos:task_delete", args=[three[0].pk]))
    url = undo_url(response)
    client_logged_in.post(url)
    services.trash(three[0], now=timezone.now())

    again = client_logged_in.post(url, follow=True)

    assert place(three[0])[4] is not None
    assert "That was undone already." in again.content.decode()


def test_another_persons_undo_is_404(client, other_user, three):
    record = services.trash(three[0], now=timezone.now()).undo
    client.force_login(other_user)

    response = client.post(reverse("todos:undo", args=[record.pk]))

    assert response.status_code == 404
    assert place(three[0])[4] is not None


def test_nothing_to_undo_records_nothing(user, three):
    services.set_completed(three[0], True, now=timezone.now())
    UndoRecord.objects.all().delete()

    outcome = services.set_completed(three[0], True, now=timezone.now())

    assert outcome.undo is None
    assert not UndoRecord.objects.exists()


def test_undo_makes_room_when_the_old_place_was_taken(user, three):
    _, second, third = three
    record = services.trash(second, now=timezone.now()).undo
    Task.objects.filter(pk=third.pk).update(position=second.position)

    undo.undo(record)

    positions = dict(
        Task.objects.filter(pk__in=[t.pk for t in three]).values_list("title", "position")
    )
    assert len(set(positions.values())) == 3
    order = Task.objects.for_user(user).open().in_manual_order()
    assert [t.title for t in order][:2] == ["First", "Second"]
