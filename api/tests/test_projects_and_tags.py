"""Projects (shared ones too) and tags through the API, by the pages' rules."""

import pytest

from api.tests.conftest import client_for
from todos.models import Project, Role, Tag, Task, Tombstone
from todos.tests.factories import MembershipFactory, ProjectFactory, TagFactory, TaskFactory

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/projects/"
TAGS = "/api/v1/tags/"


def test_a_project_is_made_renamed_and_pinned_by_its_owner(api, user):
    made = api.post(PROJECTS, {"name": " Trip  to Lisbon ", "colour": "blue"}, format="json")
    pk = made.json()["id"]

    renamed = api.patch(
        f"{PROJECTS}{pk}/",
        {"name": "Lisbon", "is_favourite": True},
        format="json",
        HTTP_IF_MATCH=made["ETag"],
    )

    assert made.status_code == 201
    assert made.json()["name"] == "Trip to Lisbon"
    assert renamed.status_code == 200, renamed.json()
    project = Project.objects.get(pk=pk)
    assert (project.name, project.colour, project.is_favourite) == ("Lisbon", "blue", True)
    assert renamed.json()["role"] == "owner"


def test_a_name_in_use_gets_the_pages_message(api, user):
    ProjectFactory(owner=user, name="Home")

    response = api.post(PROJECTS, {"name": "home"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["name"] == ["You already have a project called “home”."]
    assert Project.objects.filter(owner=user, name__iexact="home").count() == 1


def test_the_inbox_keeps_its_name_and_cannot_be_deleted(api, user):
    from todos import services

    inbox = services.ensure_inbox(user)

    renamed = api.patch(f"{PROJECTS}{inbox.pk}/", {"name": "Other", "version": 1}, format="json")
    deleted = api.delete(f"{PROJECTS}{inbox.pk}/")

    assert (renamed.status_code, deleted.status_code) == (400, 400)
    inbox.refresh_from_db()
    assert inbox.name == "Inbox"


def test_members_see_a_shared_project_with_their_role_but_only_its_owner_changes_it(user):
    project = ProjectFactory(owner=user, name="Household")
    editor = MembershipFactory(project=project, role=Role.EDITOR).user
    as_editor = client_for(editor)

    listed = as_editor.get(PROJECTS).json()["results"]
    renamed = as_editor.patch(
        f"{PROJECTS}{project.pk}/", {"name": "Mine", "version": 1}, format="json"
    )
    deleted = as_editor.delete(f"{PROJECTS}{project.pk}/")
    members = as_editor.get(f"{PROJECTS}{project.pk}/members/").json()

    shown = next(p for p in listed if p["id"] == project.pk)
    assert (shown["role"], shown["shared"], shown["owner"]) == ("editor", True, user.username)
    assert (renamed.status_code, deleted.status_code) == (403, 403)
    assert Project.objects.get(pk=project.pk).name == "Household"
    assert [(m["username"], m["role"]) for m in members] == [
        (user.username, "owner"),
        (editor.username, "editor"),
    ]


def test_an_editor_reorders_a_shared_projects_tasks(user):
    project = ProjectFactory(owner=user)
    editor = MembershipFactory(project=project, role=Role.EDITOR).user
    first, second, third = (TaskFactory(project=project, title=t) for t in "abc")

    response = client_for(editor).post(
        f"{PROJECTS}{project.pk}/reorder/",
        {"tasks": [third.pk, first.pk, second.pk]},
        format="json",
    )

    assert response.status_code == 204
    assert list(project.tasks.order_by("position").values_list("title", flat=True)) == [
        "c",
        "a",
        "b",
    ]


def test_deleting_a_project_trashes_its_tasks_and_leaves_tombstones_for_its_members(api, user):
    project = ProjectFactory(owner=user, name="Old")
    member = MembershipFactory(project=project, role=Role.VIEWER).user
    task = TaskFactory(project=project)

    response = api.delete(f"{PROJECTS}{project.pk}/")

    assert response.status_code == 204
    assert Task.objects.get(pk=task.pk).deleted_at is not None
    assert set(Tombstone.objects.values_list("user", "kind", "object_id")) == {
        (user.pk, "project", project.pk),
        (member.pk, "project", project.pk),
    }


def test_tags_are_made_renamed_and_deleted_each_persons_own(api, user, other_user):
    theirs = TagFactory(owner=other_user, name="secret")
    made = api.post(TAGS, {"name": "@bills"}, format="json")
    pk = made.json()["id"]

    twice = api.post(TAGS, {"name": "BILLS"}, format="json")
    renamed = api.patch(f"{TAGS}{pk}/", {"colour": "red"}, format="json")
    theirs_read = api.get(f"{TAGS}{theirs.pk}/")

    assert made.status_code == 201
    assert made.json()["name"] == "bills"
    assert twice.status_code == 400
    assert twice.json()["errors"]["name"] == ["You already have a tag called “BILLS”."]
    assert renamed.json()["colour"] == "red"
    assert theirs_read.status_code == 404
    assert [t["name"] for t in api.get(TAGS).json()["results"]] == ["bills"]
    assert api.delete(f"{TAGS}{pk}/").status_code == 204
    assert not Tag.objects.filter(pk=pk).exists()
    assert Tombstone.objects.filter(user=user, kind="tag", object_id=pk).exists()


def test_a_members_own_tags_on_a_shared_task_are_theirs_alone(user):
    project = ProjectFactory(owner=user)
    editor = MembershipFactory(project=project, role=Role.EDITOR).user
    mine, theirs = TagFactory(owner=user, name="home"), TagFactory(owner=editor, name="later")
    task = TaskFactory(project=project, tags=[mine, theirs])

    as_owner = client_for(user).get(f"/api/v1/tasks/{task.pk}/").json()
    changed = client_for(editor).patch(
        f"/api/v1/tasks/{task.pk}/", {"tags": [], "version": task.version}, format="json"
    )

    assert as_owner["tags"] == [mine.pk]
    assert changed.json()["tags"] == []
    assert list(task.tags.all()) == [mine]


def test_a_name_outside_ascii_used_twice_is_refused_not_a_500(api, user):
    first = api.post(PROJECTS, {"name": "Ünterwegs"}, format="json")
    again = api.post(PROJECTS, {"name": "Ünterwegs"}, format="json")

    assert (first.status_code, again.status_code) == (201, 400)
    assert Project.objects.filter(owner=user, name="Ünterwegs").count() == 1


def test_an_address_under_the_api_that_names_nothing_is_a_problem_document(api):
    response = api.get("/api/v1/tasks/not-an-id/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
