"""The one door with shared projects: who sees, who writes, and what history records."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from todos import services
from todos.models import Membership, Task
from todos.tests.factories import (
    TagFactory,
    household,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(user):
    return household(user)


def test_members_see_the_shared_tasks_and_strangers_do_not(shared):
    stranger = UserFactory()
    for person in (shared["editor"], shared["viewer"]):
        person.refresh_from_db()
        assert person.shared_projects == 1
        assert list(Task.objects.for_user(person)) == [shared["task"]]
    assert not Task.objects.for_user(stranger).exists()
    assert list(Task.objects.editable_by(shared["viewer"])) == []


def test_a_viewer_is_refused_a_write_and_nothing_changes(client, shared):
    client.force_login(shared["viewer"])
    response = client.post(reverse("todos:task_toggle", args=[shared["task"].pk]))
    assert response.status_code == 403
    shared["task"].refresh_from_db()
    assert shared["task"].completed_at is None
    assert client.get(shared["task"].get_absolute_url()).status_code == 200


def test_an_editor_completes_a_shared_task_and_history_names_them(client, shared):
    client.force_login(shared["editor"])
    response = client.post(reverse("todos:task_toggle", args=[shared["task"].pk]))
    assert response.status_code == 302
    shared["task"].refresh_from_db()
    assert shared["task"].completed_at is not None
    latest = shared["task"].history.order_by("-history_date").first()
    assert latest.history_user == shared["editor"]
    assert latest.completed_at is not None


def test_a_removed_member_loses_access_at_once(client, shared):
    client.force_login(shared["editor"])
    url = shared["task"].get_absolute_url()
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=shared["editor"]).delete()
    assert client.get(url).status_code == 404
    shared["editor"].refresh_from_db()
    assert shared["editor"].shared_projects == 0


def test_an_editor_cannot_rename_or_delete_the_project(client, shared):
    client.force_login(shared["editor"])
    project = shared["project"]
    assert client.post(reverse("todos:project_delete", args=[project.pk])).status_code == 403
    assert client.get(reverse("todos:project_update", args=[project.pk])).status_code == 403
    project.refresh_from_db()


def test_a_task_an_editor_adds_belongs_to_the_project_owner(shared):
    task = services.create_task(
        owner=shared["editor"], project=shared["project"], title="Fix the tap"
    )
    assert task.owner == shared["project"].owner


def test_members_tags_stay_their_own_when_the_owner_edits(shared):
    task = shared["task"]
    theirs = TagFactory(owner=shared["editor"], name="errands")
    task.tags.add(theirs)
    mine = TagFactory(owner=shared["project"].owner, name="home")
    services.update_task(task, expected_version=task.version, tags=[mine], title="Buy oat milk")
    assert set(task.tags.all()) == {theirs, mine}


def test_deleting_a_project_deletes_its_history(shared):
    project = shared["project"]
    project_id = project.pk
    services.set_completed(shared["task"], True, now=shared["task"].created_at)
    assert Task.history.filter(project_id=project_id).exists()
    project.owner.delete()
    assert not Task.history.filter(project_id=project_id).exists()
    assert not project.history.model.objects.filter(id=project_id).exists()


def test_deleting_an_account_from_settings_leaves_others_history_anonymous(client, shared):
    from accounts.tests.factories import PASSWORD
    from todos.models import Comment

    editor, task = shared["editor"], shared["task"]
    Comment.objects.create(task=task, author=editor, body="On it")
    client.force_login(editor)
    client.post(reverse("todos:task_toggle", args=[task.pk]))

    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.completed_at is not None
    assert Comment.objects.get(task=task).author is None
    done = task.history.filter(completed_at__isnull=False).get()
    assert done.history_user is None
    assert not Membership.objects.filter(user_id=editor.pk).exists()


def test_a_members_reminder_on_a_shared_task_is_theirs_alone(client, shared):
    from datetime import timedelta

    from django.utils import timezone

    from reminders import dispatch
    from reminders.models import Notification

    task, editor = shared["task"], shared["editor"]
    client.force_login(editor)
    at = timezone.localtime() + timedelta(hours=1)
    client.post(
        reverse("todos:task_reminder_add", args=[task.pk]),
        {"when": "at", "at": at.strftime("%Y-%m-%dT%H:%M")},
    )
    reminder = task.reminders.get()
    assert reminder.owner == editor

    owner = Client()
    owner.force_login(task.owner)
    assert at.strftime("%H:%M") not in owner.get(task.get_absolute_url()).content.decode()

    dispatch.fire_due(at + timedelta(minutes=1))
    assert list(Notification.objects.values_list("user_id", flat=True)) == [editor.pk]


def test_a_viewer_gets_no_quick_add_on_a_shared_project(client, shared):
    client.force_login(shared["viewer"])
    page = client.get(shared["project"].get_absolute_url()).content.decode()
    assert 'name="text"' not in page
    assert "You can read this shared project" in page
    client.force_login(shared["editor"])
    assert 'name="text"' in client.get(shared["project"].get_absolute_url()).content.decode()
