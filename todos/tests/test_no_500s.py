"""The inputs an outside audit answered with a 500, and the writes it could make lose an edit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from todos import feed, services
from todos.models import Task
from todos.tests.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "todos:my_day",
    "todos:today",
    "todos:upcoming",
    "todos:inbox",
    "todos:completed",
    "todos:trash",
    "todos:search",
]
HUGE = ["4611686018427387904", "99999999999999999999999", "-1", "0", "1e9", "٣", "2.5", ""]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("number", HUGE)
def test_any_page_number_gives_a_clean_page(client_logged_in, user, name, number):
    TaskFactory(project=services.ensure_inbox(user), due_date=timezone.localdate())

    response = client_logged_in.get(
        reverse(name), {"page": number, "overdue": number, "q": "Task", "status": "all"}
    )

    assert response.status_code == 200


@pytest.mark.parametrize("project", ["4611686018427387904", "99999999999999999999999", "0"])
def test_any_project_in_a_calendar_address_gives_a_clean_404(client, user, project):
    token = feed.token_for(user)

    response = client.get(f"/calendar/{token}/projects/{project}.ics")

    assert response.status_code == 404


@pytest.mark.parametrize("token", ["-", "_" * 64, "a" * 5000, "%00", "..", "a.b"])
def test_any_token_in_a_calendar_address_gives_a_clean_404(client, user, token):
    feed.token_for(user)

    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get(f"/calendar/{token}/projects/1.ics").status_code == 404


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "-3", "1.5"])
def test_a_new_task_form_with_a_bad_project_opens_on_the_inbox(client_logged_in, user, value):
    response = client_logged_in.get(reverse("todos:task_create"), {"project": value})

    assert response.status_code == 200
    assert response.context["form"].initial["project"] == services.ensure_inbox(user)


def test_a_strangers_project_in_the_new_task_form_is_not_offered(
    client_logged_in, user, other_user
):
    theirs = ProjectFactory(owner=other_user, name="Theirs")

    response = client_logged_in.get(reverse("todos:task_create"), {"project": theirs.pk})

    assert response.context["form"].initial["project"] == services.ensure_inbox(user)
    assert "Theirs" not in response.content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "1899-12-31", "2201-01-01"])
def test_due_dates_stay_between_1900_and_2200(client_logged_in, user, day):
    response = client_logged_in.post(
        reverse("todos:task_create"),
        {
            "title": "Far off",
            "project": services.ensure_inbox(user).pk,
            "priority": 4,
            "due_date": day,
        },
    )

    assert response.status_code == 422
    assert "Pick a date between 1900 and 2200." in response.content.decode()
    assert 'value="Far off"' in response.content.decode()
    assert not Task.objects.exists()


def test_a_far_off_date_in_quick_add_is_refused_with_the_line_kept(client_logged_in):
    response = client_logged_in.post(reverse("todos:quick_add"), {"text": "Retire 2999-01-01"})

    assert response.status_code == 422
    assert "between 1900 and 2200" in response.content.decode()
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"due_date__year": "9999"},
        {"due_date__year": "9999", "due_date__month": "12"},
        {"due_date__year": "9999", "due_date__month": "12", "due_date__day": "31"},
        {"due_date__year": "0"},
        {"due_date__year": "abc"},
    ],
)
def test_the_admins_date_hierarchy_takes_any_year(admin_client, user, query):
    TaskFactory(project=services.ensure_inbox(user), due_date=timezone.localdate())

    response = admin_client.get(reverse("admin:todos_task_changelist"), query)

    assert response.status_code in (200, 302)


def test_an_admin_save_from_an_older_form_does_not_overwrite_the_owners_edit(
    admin_client, client_logged_in, user
):
    task = services.create_task(owner=user, project=services.ensure_inbox(user), title="Mine")
    opened = task.version  # the staff member opens the change form now
    client_logged_in.post(
        reverse("todos:task_update", args=[task.pk]),
        {"title": "Owner's edit", "project": task.project_id, "priority": 1, "version": opened},
    )

    response = admin_client.post(
        reverse("admin:todos_task_change", args=[task.pk]),
        {
            "title": "Staff edit",
            "project": task.project_id,
            "priority": 4,
            "seen_version": opened,
        },
    )

    task.refresh_from_db()
    assert response.status_code == 200
    assert "Someone changed this task after you opened this page." in response.content.decode()
    assert (task.title, task.priority) == ("Owner's edit", 1)


def test_an_admin_save_from_a_fresh_form_moves_the_version(admin_client, user):
    task = services.create_task(owner=user, project=services.ensure_inbox(user), title="Mine")

    response = admin_client.post(
        reverse("admin:todos_task_change", args=[task.pk]),
        {
            "title": "Staff edit",
            "project": task.project_id,
            "priority": 4,
            "seen_version": task.version,
        },
    )

    assert response.status_code == 302
    refreshed = Task.objects.get(pk=task.pk)
    assert (refreshed.title, refreshed.version) == ("Staff edit", task.version + 1)


def test_moves_into_one_project_never_share_a_position(user):
    home = ProjectFactory(owner=user, name="Home")
    inbox = services.ensure_inbox(user)
    tasks = [TaskFactory(project=inbox, title=f"T{n}") for n in range(4)]
    TaskFactory(project=home, title="Already there")

    services.move_to_project(tasks[0], home)
    services.bulk(user, tasks[1:], action="move", project=home, now=timezone.now())
    services.create_task(
        owner=user, project=home, title="New", due_date=timezone.localdate() + timedelta(days=1)
    )

    positions = list(Task.objects.filter(project=home).values_list("position", flat=True))
    assert len(positions) == len(set(positions)) == 6
