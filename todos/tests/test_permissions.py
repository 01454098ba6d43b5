"""Every to-do URL: the owner gets in, a stranger gets 404, a visitor is sent to sign in."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from todos import services
from todos.models import Project, Tag, Task, UndoRecord
from todos.tests.factories import ProjectFactory, TagFactory, TaskFactory

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "todos:today",
    "todos:upcoming",
    "todos:assigned",
    "todos:inbox",
    "todos:completed",
    "todos:search",
    "todos:trash",
    "todos:project_list",
    "todos:project_create",
    "todos:task_create",
    "todos:tag_list",
    "todos:quick_add_preview",
]
# name -> which of the owner's objects its id points at
OBJECT_PAGES = {
    "todos:project_detail": "project",
    "todos:project_update": "project",
    "todos:project_delete": "project",
    "todos:project_activity": "project",
    "todos:tag_detail": "tag",
    "todos:tag_update": "tag",
    "todos:tag_delete": "tag",
    "todos:task_detail": "task",
    "todos:task_update": "task",
    "todos:task_assign": "task",
    "todos:task_purge": "trashed",
}
POST_ONLY = {
    "todos:task_toggle": "task",
    "todos:task_delete": "task",
    "todos:task_move": "task",
    "todos:task_move_up": "task",
    "todos:task_move_down": "task",
    "todos:task_restore": "trashed",
    "todos:project_archive": "project",
    "todos:project_favourite": "project",
    "todos:project_reorder": "project",
    "todos:task_new_project": "task",
    "todos:undo": "undo",
}
POST_ONLY_NO_ID = ["todos:quick_add", "todos:task_bulk"]


@pytest.fixture
def owned(user):
    project = ProjectFactory(owner=user, name="Home")
    return {
        "project": project,
        "tag": TagFactory(owner=user),
        "task": TaskFactory(project=project, title="Pay rent"),
        "trashed": TaskFactory(project=project, title="Old", deleted_at=timezone.now()),
        "undo": services.trash(TaskFactory(project=project), now=timezone.now()).undo,
    }


def snapshot():
    return [
        *Task.objects.order_by("pk").values(),
        *Project.objects.order_by("pk").values(),
        *Tag.objects.order_by("pk").values(),
        *UndoRecord.objects.order_by("pk").values(),
    ]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_owner_sees_list_pages(client_logged_in, owned, name):
    assert client_logged_in.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", [*LIST_PAGES, *OBJECT_PAGES])
def test_visitors_are_sent_to_sign_in(client, owned, name):
    url = (
        reverse(name, args=[owned[OBJECT_PAGES[name]].pk])
        if name in OBJECT_PAGES
        else reverse(name)
    )

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={quote(url)}"


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_owner_sees_object_pages(client_logged_in, owned, name):
    url = reverse(name, args=[owned[OBJECT_PAGES[name]].pk])

    assert client_logged_in.get(url).status_code == 200


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_strangers_get_404_on_object_pages(client, other_user, owned, name):
    client.force_login(other_user)

    response = client.get(reverse(name, args=[owned[OBJECT_PAGES[name]].pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_urls_refuse_get(client_logged_in, owned, name):
    assert client_logged_in.get(reverse(name, args=[owned[POST_ONLY[name]].pk])).status_code == 405


@pytest.mark.parametrize("name", POST_ONLY_NO_ID)
def test_post_only_urls_without_id_refuse_get(client_logged_in, name):
    assert client_logged_in.get(reverse(name)).status_code == 405


@pytest.mark.parametrize(
    "name",
    [
        *POST_ONLY,
        "todos:project_delete",
        "todos:project_update",
        "todos:task_update",
        "todos:task_assign",
        "todos:tag_update",
        "todos:tag_delete",
    ],
)
def test_strangers_posting_get_404_and_change_nothing(client, other_user, owned, name):
    kind = POST_ONLY.get(name) or OBJECT_PAGES[name]
    client.force_login(other_user)
    before = snapshot()

    response = client.post(
        reverse(name, args=[owned[kind].pk]),
        {
            "title": "pwned",
            "name": "pwned",
            "project": services.ensure_inbox(other_user).pk,
            "order": [owned["task"].pk],
        },
    )

    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("name", POST_ONLY)
def test_visitors_posting_are_sent_to_sign_in(client, owned, name):
    before = snapshot()

    response = client.post(reverse(name, args=[owned[POST_ONLY[name]].pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert snapshot() == before


def test_bulk_actions_ignore_other_peoples_tasks(client, other_user, owned):
    client.force_login(other_user)
    before = snapshot()

    client.post(reverse("todos:task_bulk"), {"tasks": [owned["task"].pk], "action": "delete"})

    assert snapshot() == before


def test_quick_add_cannot_target_another_users_project_or_parent(client, other_user, owned):
    client.force_login(other_user)

    by_project = client.post(
        reverse("todos:quick_add"), {"text": "sneaky", "project": owned["project"].pk}
    )
    by_parent = client.post(
        reverse("todos:quick_add"), {"text": "sneaky", "parent": owned["task"].pk}
    )

    assert (by_project.status_code, by_parent.status_code) == (404, 404)
    assert not Task.objects.filter(title="sneaky").exists()


def test_inbox_cannot_be_renamed_or_deleted(client_logged_in, user):
    inbox = services.ensure_inbox(user)

    for name in ["todos:project_update", "todos:project_delete", "todos:project_archive"]:
        assert (
            client_logged_in.post(reverse(name, args=[inbox.pk]), {"name": "Renamed"}).status_code
            == 404
        )
    inbox.refresh_from_db()
    assert inbox.name == "Inbox"
