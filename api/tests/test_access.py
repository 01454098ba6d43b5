"""Every route of the API for an owner, an editor, a viewer, a stranger, a read-only token
and nobody: the pages' access rules, and nothing changes when a write is refused."""

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from api.tests.conftest import client_for
from reminders import schedule
from reminders.models import Reminder
from todos.models import Comment, Project, Role, Tag, Task
from todos.tests.factories import (
    CommentFactory,
    MembershipFactory,
    ProjectFactory,
    TagFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("owner", "editor", "viewer", "stranger", "reader", "anonymous")


def expect(owner, editor, viewer, stranger, reader, anonymous=401) -> dict:
    return dict(zip(ROLES, (owner, editor, viewer, stranger, reader, anonymous), strict=True))


# What each role gets from each route: (name, method, args, body).
MATRIX = [
    ("api-root", "get", None, None, expect(200, 200, 200, 200, 200)),
    (
        "tombstones",
        "get",
        None,
        {"since": "2000-01-01T00:00:00Z"},
        expect(200, 200, 200, 200, 200),
    ),
    ("project-list", "get", None, None, expect(200, 200, 200, 200, 200)),
    ("project-list", "post", None, {"name": "New"}, expect(201, 201, 201, 201, 403)),
    ("project-detail", "get", "project", None, expect(200, 200, 200, 404, 200)),
    (
        "project-detail",
        "patch",
        "project",
        {"name": "Renamed", "version": 1},
        expect(200, 403, 403, 404, 403),
    ),
    (
        "project-detail",
        "put",
        "project",
        {"name": "Renamed", "version": 1},
        expect(200, 403, 403, 404, 403),
    ),
    ("project-detail", "delete", "project", None, expect(204, 403, 403, 404, 403)),
    ("project-members", "get", "project", None, expect(200, 200, 200, 404, 200)),
    ("project-reorder", "post", "project", {"tasks": ["task"]}, expect(204, 204, 403, 404, 403)),
    ("task-list", "get", None, None, expect(200, 200, 200, 200, 200)),
    (
        "task-list",
        "post",
        None,
        {"title": "New", "project": "project"},
        expect(201, 201, 400, 400, 403),
    ),
    (
        "task-quick-add",
        "post",
        None,
        {"text": "New tomorrow", "project": "project"},
        expect(201, 201, 403, 404, 403),
    ),
    ("task-detail", "get", "task", None, expect(200, 200, 200, 404, 200)),
    (
        "task-detail",
        "patch",
        "task",
        {"title": "Edited", "version": 1},
        expect(200, 200, 403, 404, 403),
    ),
    (
        "task-detail",
        "put",
        "task",
        {"title": "Edited", "version": 1},
        expect(200, 200, 403, 404, 403),
    ),
    ("task-detail", "delete", "task", None, expect(204, 204, 403, 404, 403)),
    ("task-complete", "post", "task", None, expect(200, 200, 403, 404, 403)),
    ("task-reopen", "post", "task", None, expect(200, 200, 403, 404, 403)),
    (
        "task-reminders",
        "post",
        "task",
        {"when": "at", "at": "2030-01-01T09:00:00Z"},
        expect(201, 201, 403, 404, 403),
    ),
    ("task-comments", "get", "task", None, expect(200, 200, 200, 404, 200)),
    ("task-comments", "post", "task", {"body": "Noted"}, expect(201, 201, 201, 404, 403)),
    ("trash-list", "get", None, None, expect(200, 200, 200, 200, 200)),
    ("trash-restore", "post", "trashed", None, expect(200, 200, 404, 404, 403)),
    ("trash-detail", "delete", "trashed", None, expect(204, 204, 404, 404, 403)),
    ("tag-list", "get", None, None, expect(200, 200, 200, 200, 200)),
    ("tag-list", "post", None, {"name": "fresh"}, expect(201, 201, 201, 201, 403)),
    ("tag-detail", "get", "tag", None, expect(200, 404, 404, 404, 200)),
    ("tag-detail", "patch", "tag", {"colour": "red"}, expect(200, 404, 404, 404, 403)),
    (
        "tag-detail",
        "put",
        "tag",
        {"name": "bills", "colour": "red"},
        expect(200, 404, 404, 404, 403),
    ),
    ("tag-detail", "delete", "tag", None, expect(204, 404, 404, 404, 403)),
    ("comment-detail", "get", "comment", None, expect(200, 200, 200, 404, 200)),
    ("comment-detail", "patch", "comment", {"body": "Changed"}, expect(200, 403, 403, 404, 403)),
    ("comment-detail", "put", "comment", {"body": "Changed"}, expect(200, 403, 403, 404, 403)),
    ("comment-detail", "delete", "comment", None, expect(204, 403, 403, 404, 403)),
    ("reminder-detail", "get", "reminder", None, expect(200, 404, 404, 404, 200)),
    ("reminder-detail", "delete", "reminder", None, expect(204, 404, 404, 404, 403)),
]


@pytest.fixture
def world(user):
    """A project its owner shares with an editor and a viewer, with one of everything."""
    project = ProjectFactory(owner=user, name="Household")
    task = TaskFactory(project=project, title="Pay rent", due_date=timezone.localdate())
    return {
        "project": project,
        "task": task,
        "trashed": TaskFactory(project=project, title="Old", deleted_at=timezone.now()),
        "tag": TagFactory(owner=user, name="bills"),
        "comment": CommentFactory(task=task, author=user, body="Paid?"),
        "reminder": schedule.add(task, at=timezone.now()),
        "editor": MembershipFactory(project=project, role=Role.EDITOR).user,
        "viewer": MembershipFactory(project=project, role=Role.VIEWER).user,
    }


def client_as(role: str, user, world) -> APIClient:
    match role:
        case "owner":
            return client_for(user)
        case "reader":
            return client_for(user, scope="read")
        case "editor" | "viewer":
            return client_for(world[role])
        case "stranger":
            return client_for(UserFactory(username="stranger"))
    return APIClient()


def state() -> tuple:
    """What a refused write must leave as it was."""
    return (
        list(
            Task.objects.values_list(
                "pk", "title", "version", "deleted_at", "completed_at", "position", "project_id"
            )
        ),
        list(Project.objects.values_list("pk", "name", "version", "is_favourite")),
        list(Comment.objects.values_list("pk", "body")),
        list(Tag.objects.values_list("pk", "name", "colour")),
        list(Reminder.objects.values_list("pk")),
    )


def filled(value, world):
    if isinstance(value, dict):
        return {k: filled(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [filled(v, world) for v in value]
    return world[value].pk if isinstance(value, str) and value in world else value


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "target", "body", "expected"),
    MATRIX,
    ids=[f"{method} {name}" for name, method, *_ in MATRIX],
)
def test_each_role_gets_what_the_web_gives_it(
    role, name, method, target, body, expected, user, world
):
    url = reverse(f"api:api_v1:{name}", args=[world[target].pk] if target else [])
    client = client_as(role, user, world)
    before = state()

    if method == "get":
        response = client.get(url, filled(body or {}, world))
    else:
        response = getattr(client, method)(url, filled(body, world), format="json")

    assert response.status_code == expected[role], response.content
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert state() == before


def test_the_matrix_covers_every_route_of_the_api():
    resolver = get_resolver()
    api = next(
        e for e in resolver.url_patterns if isinstance(e, URLResolver) and e.namespace == "api"
    )
    v1 = next(e for e in api.url_patterns if isinstance(e, URLResolver))
    names = {p.name for p in v1.url_patterns}

    assert names == {name for name, *_ in MATRIX}
