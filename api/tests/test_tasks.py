"""Tasks through the API: the web's rules, messages, history and safety against lost edits."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from api.tests.conftest import client_for
from todos import services
from todos.forms import TaskForm
from todos.models import Priority, Role, Task
from todos.tests.factories import (
    MembershipFactory,
    ProjectFactory,
    TagFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

TASKS = "/api/v1/tasks/"


def test_a_task_made_with_every_field_is_stored_and_shown_with_its_version(api, user):
    home = ProjectFactory(owner=user, name="Home")
    bills = TagFactory(owner=user, name="bills")
    response = api.post(
        TASKS,
        {
            "title": "Pay rent",
            "notes": "Ask the bank",
            "project": home.pk,
            "due_date": "2027-01-05",
            "due_time": "09:00",
            "priority": 1,
            "tags": [bills.pk],
            "recurrence": "every month",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    task = Task.objects.get(pk=body["id"])
    assert (task.title, task.project, task.priority) == ("Pay rent", home, Priority.P1)
    assert (task.due_date, str(task.due_time)) == (date(2027, 1, 5), "09:00:00")
    assert task.recurrence == "FREQ=MONTHLY"
    assert list(task.tags.all()) == [bills]
    assert body["tags"] == [bills.pk]
    assert body["version"] == 1
    assert response["ETag"] == '"1"'
    assert task.history.get().history_user == user


def test_a_task_without_a_project_goes_to_the_inbox(api, user):
    response = api.post(TASKS, {"title": "Call mum"}, format="json")

    assert response.status_code == 201
    assert Task.objects.get().project.is_inbox


def test_invalid_values_get_the_web_forms_own_messages_and_nothing_is_written(api, user):
    sent = {"title": "   ", "due_time": "09:00", "recurrence": "every blue moon"}
    web = TaskForm(
        {
            "title": "   ",
            "due_time": "09:00",
            "repeat": "custom",
            "repeat_text": sent["recurrence"],
            "priority": 4,
            "project": services.ensure_inbox(user).pk,
        },
        user=user,
    )
    web.is_valid()

    response = api.post(TASKS, sent, format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert errors["title"] == web.errors["title"]
    assert errors["due_date"] == ["Pick a date for the due time, or clear the time."]
    assert errors["recurrence"] == web.errors["repeat_text"]
    assert Task.objects.count() == 0


def test_wrong_types_are_a_400_not_a_500(api):
    response = api.post(TASKS, {"title": ["x"], "tags": "bills", "priority": 9}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"title", "tags", "priority"}


def test_a_retried_create_with_the_same_idempotency_key_returns_the_first_task(api):
    first = api.post(TASKS, {"title": "Once"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(TASKS, {"title": "Once"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Task.objects.count() == 1


def test_a_change_needs_the_version_it_read(api, user):
    task = TaskFactory(project=ProjectFactory(owner=user), title="Old")

    response = api.patch(f"{TASKS}{task.pk}/", {"title": "New"}, format="json")

    assert response.status_code == 428
    task.refresh_from_db()
    assert task.title == "Old"


def test_a_stale_if_match_is_refused_with_who_changed_it_and_nothing_is_lost(api, user):
    project = ProjectFactory(owner=user)
    editor = MembershipFactory(project=project, role=Role.EDITOR).user
    task = TaskFactory(project=project, title="Water plants")
    read = api.get(f"{TASKS}{task.pk}/")["ETag"]
    assert (
        client_for(editor)
        .patch(
            f"{TASKS}{task.pk}/", {"title": "Water the ferns"}, format="json", HTTP_IF_MATCH=read
        )
        .status_code
        == 200
    )

    response = api.patch(
        f"{TASKS}{task.pk}/", {"title": "Water the cacti"}, format="json", HTTP_IF_MATCH=read
    )

    assert response.status_code == 412
    assert response.json()["detail"].startswith(f"{editor.username} changed it meanwhile")
    task.refresh_from_db()
    assert task.title == "Water the ferns"


def test_a_fresh_version_changes_only_the_fields_sent(api, user):
    bills = TagFactory(owner=user, name="bills")
    task = TaskFactory(
        project=ProjectFactory(owner=user), title="Pay rent", priority=2, tags=[bills]
    )

    response = api.patch(
        f"{TASKS}{task.pk}/", {"due_date": "2027-02-01", "version": task.version}, format="json"
    )

    assert response.status_code == 200, response.json()
    task.refresh_from_db()
    assert (task.title, task.priority, task.due_date) == ("Pay rent", 2, date(2027, 2, 1))
    assert list(task.tags.all()) == [bills]
    assert response.json()["version"] == task.version == 2


def test_put_gives_the_fields_it_leaves_out_a_new_tasks_values(api, user):
    task = TaskFactory(project=ProjectFactory(owner=user), notes="Old notes", priority=1)

    response = api.put(f"{TASKS}{task.pk}/", {"title": "Fresh", "version": 1}, format="json")

    assert response.status_code == 200, response.json()
    task.refresh_from_db()
    assert (task.title, task.notes, task.priority) == ("Fresh", "", 4)


def test_moving_a_task_takes_its_sub_tasks_and_only_into_a_project_one_may_edit(api, user):
    home, work = ProjectFactory(owner=user), ProjectFactory(owner=user)
    task = TaskFactory(project=home)
    child = api.post(TASKS, {"title": "Step", "parent": task.pk}, format="json").json()
    viewed = ProjectFactory()
    MembershipFactory(project=viewed, user=user, role=Role.VIEWER)

    refused = api.patch(f"{TASKS}{task.pk}/", {"project": viewed.pk, "version": 1}, format="json")
    moved = api.patch(f"{TASKS}{task.pk}/", {"project": work.pk, "version": 1}, format="json")

    assert refused.status_code == 400
    assert "project" in refused.json()["errors"]
    assert moved.status_code == 200
    assert Task.objects.get(pk=child["id"]).project == work
    assert child["parent"] == task.pk


def test_complete_reopen_and_a_repeating_task_moving_on(api, user):
    task = TaskFactory(project=ProjectFactory(owner=user))
    repeating = TaskFactory(
        project=task.project, due_date=date(2027, 1, 4), recurrence="FREQ=WEEKLY"
    )

    done = api.post(f"{TASKS}{task.pk}/complete/")
    reopened = api.post(f"{TASKS}{task.pk}/reopen/")
    moved_on = api.post(f"{TASKS}{repeating.pk}/complete/")

    assert done.json()["completed"] is True
    assert reopened.json()["completed"] is False
    assert moved_on.json()["completed"] is False
    assert moved_on.json()["due_date"] == "2027-01-11"
    assert repeating.completions.count() == 1


def test_delete_moves_to_the_trash_where_it_is_restored_or_purged(api, user):
    task = TaskFactory(project=ProjectFactory(owner=user), title="Old")
    other = TaskFactory(project=task.project, title="Older")

    assert api.delete(f"{TASKS}{task.pk}/").status_code == 204
    assert api.delete(f"{TASKS}{other.pk}/").status_code == 204
    assert api.get(f"{TASKS}{task.pk}/").status_code == 404
    trash = api.get("/api/v1/trash/").json()["results"]
    assert [t["title"] for t in trash] == ["Older", "Old"]
    restored = api.post(f"/api/v1/trash/{task.pk}/restore/")
    purged = api.delete(f"/api/v1/trash/{other.pk}/")

    assert restored.status_code == 200
    assert restored.json()["deleted_at"] is None
    assert purged.status_code == 204
    assert list(Task.objects.values_list("title", flat=True)) == ["Old"]


def test_quick_add_creates_what_the_line_says_and_says_what_it_understood(api, user):
    ProjectFactory(owner=user, name="Home")

    response = api.post(
        f"{TASKS}quick-add/", {"text": "Pay rent tomorrow 9am p1 #Home @bills"}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert body["understood"] == {
        "title": "Pay rent",
        "due_date": tomorrow.isoformat(),
        "due_time": "09:00:00",
        "priority": 1,
        "project": "Home",
        "tags": ["bills"],
        "assignee": None,
        "recurrence": None,
    }
    task = Task.objects.get()
    assert (task.title, task.project.name, task.due_date) == ("Pay rent", "Home", tomorrow)
    assert body["task"]["id"] == task.pk


def test_quick_add_says_why_it_cannot_and_writes_nothing(api, user):
    response = api.post(f"{TASKS}quick-add/", {"text": "Pay rent +nobody"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["text"]
    assert not Task.objects.exists()


def test_reminders_are_added_and_removed_by_their_owner(api, user):
    task = TaskFactory(project=ProjectFactory(owner=user), due_date=date(2027, 3, 1))

    added = api.post(
        f"{TASKS}{task.pk}/reminders/", {"when": "at", "at": "2027-02-28T09:00:00Z"}, format="json"
    )
    no_time = api.post(f"{TASKS}{task.pk}/reminders/", {"when": "10"}, format="json")

    assert added.status_code == 201, added.json()
    assert api.get(f"{TASKS}{task.pk}/").json()["reminders"][0]["id"] == added.json()["id"]
    assert no_time.status_code == 400
    assert "no due time" in no_time.json()["errors"]["when"][0]
    assert api.delete(f"/api/v1/reminders/{added.json()['id']}/").status_code == 204
    assert not task.reminders.exists()


def test_comments_are_added_listed_edited_and_deleted(api, user):
    task = TaskFactory(project=ProjectFactory(owner=user))

    added = api.post(f"{TASKS}{task.pk}/comments/", {"body": "On it"}, format="json")
    empty = api.post(f"{TASKS}{task.pk}/comments/", {"body": "   "}, format="json")
    edited = api.patch(f"/api/v1/comments/{added.json()['id']}/", {"body": "Done"}, format="json")
    listed = api.get(f"{TASKS}{task.pk}/comments/").json()["results"]

    assert added.status_code == 201
    assert empty.status_code == 400
    assert edited.json()["body"] == "Done"
    assert [c["body"] for c in listed] == ["Done"]
    assert api.delete(f"/api/v1/comments/{added.json()['id']}/").status_code == 204
    task.refresh_from_db()
    assert task.comment_count == 0
