"""Every URL of a shared project and its tasks, for its owner, an editor, a viewer, a stranger
and a visitor: who gets in, who is refused, and that a refusal changes nothing."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from accounts.tests.factories import UserFactory
from django_project.tests.test_security import SAMPLE_ARGS, STATE_CHANGING, named_urls
from reminders.models import Reminder
from todos.models import Comment, Invitation, Membership, Project, Role, Tag, Task
from todos.tests.factories import MembershipFactory, one_of_each

pytestmark = pytest.mark.django_db

OK, DENIED, MISSING = "ok", 403, 404
ROLES = ("owner", "editor", "viewer", "stranger", "visitor")

# URL name -> (the object its id points at, what the owner, an editor and a viewer get).
# A stranger always gets 404 and a visitor the sign-in page.
READS = {
    "todos:project_detail": ("project", OK, OK, OK),
    "todos:task_detail": ("task", OK, OK, OK),
    "todos:task_update": ("task", OK, OK, DENIED),
    "todos:task_purge": ("trashed", OK, OK, DENIED),
    "todos:project_update": ("project", OK, DENIED, DENIED),
    "todos:project_delete": ("project", OK, DENIED, DENIED),
    "todos:project_members": ("project", OK, OK, OK),
    "todos:project_activity": ("project", OK, OK, OK),
    "todos:project_hand_over": ("project", OK, DENIED, DENIED),
    "todos:task_assign": ("task", OK, OK, DENIED),
    # The owner wrote it: only its author edits it, its author or the owner deletes it.
    "todos:comment_edit": ("comment", OK, DENIED, DENIED),
    "todos:comment_delete": ("comment", OK, DENIED, DENIED),
}
WRITES = {
    "todos:task_update": ("task", OK, OK, DENIED),
    "todos:task_toggle": ("task", OK, OK, DENIED),
    "todos:task_delete": ("task", OK, OK, DENIED),
    "todos:task_move": ("task", OK, OK, DENIED),
    "todos:task_move_up": ("task", OK, OK, DENIED),
    "todos:task_move_down": ("task", OK, OK, DENIED),
    "todos:task_new_project": ("task", OK, OK, DENIED),
    "todos:task_skip": ("task", OK, OK, DENIED),
    "todos:task_reminder_add": ("task", OK, OK, DENIED),
    # Reminders are personal: the one in the fixture is the owner's.
    "todos:reminder_delete": ("reminder", OK, MISSING, MISSING),
    "todos:task_restore": ("trashed", OK, OK, DENIED),
    "todos:task_purge": ("trashed", OK, OK, DENIED),
    "todos:project_reorder": ("project", OK, OK, DENIED),
    "todos:project_update": ("project", OK, DENIED, DENIED),
    "todos:project_archive": ("project", OK, DENIED, DENIED),
    "todos:project_favourite": ("project", OK, DENIED, DENIED),
    "todos:project_delete": ("project", OK, DENIED, DENIED),
    "todos:project_members": ("project", OK, DENIED, DENIED),
    "todos:member_role": ("project", OK, DENIED, DENIED),
    "todos:member_remove": ("project", OK, DENIED, DENIED),
    "todos:project_hand_over": ("project", OK, DENIED, DENIED),
    "todos:task_assign": ("task", OK, OK, DENIED),
    # Every member may comment, viewers too.
    "todos:comment_add": ("task", OK, OK, OK),
    "todos:comment_edit": ("comment", OK, DENIED, DENIED),
    "todos:comment_delete": ("comment", OK, DENIED, DENIED),
    # Any member may leave (the owner is told to hand the project over first).
    "todos:project_leave": ("project", OK, OK, OK),
    # My Day is the person's own plan: a viewer may plan a shared task.
    "todos:task_my_day": ("task", OK, OK, OK),
}
# URLs whose ids point at one person's own things (their tags, undo records, feed
# token, reminder links) or at no object: no other person reaches them.
PERSONAL = {
    "todos:tag_detail",
    "todos:tag_update",
    "todos:tag_delete",
    "todos:undo",
    "todos:calendar_feed",
    "todos:project_calendar_feed",
    "reminders:act",
    "accounts:confirm_email",
    # An invitation is answered by the person invited and withdrawn by who sent it.
    "todos:invitation_accept",
    "todos:invitation_decline",
    "todos:invitation_withdraw",
    # A webhook is its owner's alone (webhooks/tests/test_views.py).
    "webhooks:detail",
    "webhooks:delete",
    "webhooks:send_test",
    "webhooks:rotate_secret",
    "webhooks:enable",
    "webhooks:disable",
    "password_reset_confirm",
    # A person's own API token (accounts/tests/test_tokens.py).
    "accounts:token_revoke",
}
POST_DATA = dict(STATE_CHANGING)


@pytest.fixture
def people(user):
    objects = one_of_each(user)
    editor, viewer = UserFactory(username="eddie"), UserFactory(username="vera")
    MembershipFactory(project=objects["project"], user=editor, role=Role.EDITOR)
    MembershipFactory(project=objects["project"], user=viewer, role=Role.VIEWER)
    return {
        "objects": objects,
        "owner": user,
        "editor": editor,
        "viewer": viewer,
        "stranger": UserFactory(username="stan"),
    }


def snapshot():
    """Everything a refused request must leave as it was."""
    return [
        [model_to_dict(row) | {"pk": row.pk} for row in model.objects.order_by("pk")]
        for model in (Task, Project, Tag, Membership, Invitation, Comment, Reminder)
    ]


def expected(table, name, role):
    if role == "stranger":
        return MISSING
    if role == "visitor":
        return "login"
    return table[name][1 + ROLES.index(role)]


def client_for(client, people, role):
    if role != "visitor":
        client.force_login(people[role])
    return client


def url_for(name, people):
    objects = people["objects"]
    if name in ("todos:member_role", "todos:member_remove"):
        return reverse(name, args=[objects["project"].pk, people["viewer"].pk])
    if name == "todos:project_hand_over":
        return reverse(name, args=[objects["project"].pk]) + f"?to={people['editor'].pk}"
    if name in (
        "todos:project_reorder",
        "todos:project_members",
        "todos:project_leave",
        "todos:project_activity",
    ):
        return reverse(name, args=[objects["project"].pk])
    return reverse(name, args=SAMPLE_ARGS[name](objects))


def check(response, outcome):
    if outcome == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif outcome == OK:
        assert response.status_code in (200, 204, 302), response.status_code
    else:
        assert response.status_code == outcome


def test_every_url_with_an_object_is_in_the_matrix():
    with_ids = {name for name, pattern in named_urls() if pattern.pattern.regex.groups}

    assert with_ids <= set(READS) | set(WRITES) | PERSONAL


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(READS))
def test_reading_a_shared_project(client, people, name, role):
    outcome = expected(READS, name, role)
    before = snapshot()

    response = client_for(client, people, role).get(url_for(name, people))

    check(response, outcome)
    assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(WRITES))
def test_writing_to_a_shared_project(client, people, name, role):
    outcome = expected(WRITES, name, role)
    data = dict(POST_DATA.get(name, {}))
    if name == "todos:project_reorder":
        data["order"] = [people["objects"]["task"].pk]
    if name in ("todos:task_update", "todos:project_update"):
        data["version"] = people["objects"][WRITES[name][0]].version
    if name == "todos:task_update":
        data |= {"project": people["objects"]["project"].pk, "recurrence_mode": "schedule"}
    before = snapshot()

    response = client_for(client, people, role).post(url_for(name, people), data)

    check(response, outcome)
    if outcome != OK:
        assert snapshot() == before


@pytest.mark.parametrize("role", ["viewer", "stranger"])
def test_bulk_actions_on_shared_tasks_are_refused_to_viewers_and_strangers(client, people, role):
    task = people["objects"]["task"]
    before = snapshot()

    response = client_for(client, people, role).post(
        reverse("todos:task_bulk"), {"action": "complete", "tasks": [task.pk]}
    )

    assert response.status_code in (403, 302)
    assert snapshot() == before


def test_an_editor_completes_shared_tasks_in_bulk(client, people):
    task = people["objects"]["task"]

    response = client_for(client, people, "editor").post(
        reverse("todos:task_bulk"), {"action": "complete", "tasks": [task.pk]}
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.completed_at is not None


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("stranger", 404)])
def test_quick_add_into_a_shared_project_needs_an_editor(client, people, role, status):
    project = people["objects"]["project"]
    before = snapshot()

    response = client_for(client, people, role).post(
        reverse("todos:quick_add"), {"text": "Sneaky", "project": project.pk}
    )

    assert response.status_code == status
    assert snapshot() == before


def test_moving_a_task_is_allowed_only_into_projects_one_can_edit(client, people):
    viewer_only = one_of_each(UserFactory(username="olga"))["project"]
    MembershipFactory(project=viewer_only, user=people["editor"], role=Role.VIEWER)
    task = people["objects"]["task"]

    client_for(client, people, "editor").post(
        reverse("todos:task_move", args=[task.pk]), {"project": viewer_only.pk}
    )

    task.refresh_from_db()
    assert task.project_id == people["objects"]["project"].pk
