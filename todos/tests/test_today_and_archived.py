"""Today shows today whatever the backlog; archived projects stay out of lists across projects."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.html import element
from todos import services
from todos.models import Task
from todos.tests.factories import ProjectFactory, TagFactory, TaskFactory

pytestmark = pytest.mark.django_db


def titles(html: str, list_id: str) -> list[str]:
    found = element(html, "ul", list_id)
    return re.findall(r'class="task-title[^"]*" href="[^"]+">([^<]+)</a>', found)


@pytest.fixture
def backlog(user):
    """120 overdue tasks and three due today."""
    inbox = services.ensure_inbox(user)
    today = timezone.localdate()
    Task.objects.bulk_create(
        Task(
            owner=user,
            project=inbox,
            title=f"Late {n:03d}",
            due_date=today - timedelta(days=1 + n % 30),
            position=n,
        )
        for n in range(120)
    )
    for title in ("Call the bank", "Water plants", "Pay rent"):
        TaskFactory(project=inbox, title=title, due_date=today)
    return inbox


def test_everything_due_today_is_on_the_first_page_whatever_the_overdue_backlog(
    client_logged_in, backlog
):
    html = client_logged_in.get(reverse("todos:today")).content.decode()

    assert sorted(titles(html, "task-list")) == ["Call the bank", "Pay rent", "Water plants"]
    assert len(titles(html, "overdue-list")) == 10
    assert "?overdue=2" in html


def test_the_overdue_section_pages_on_its_own_and_keeps_today(client_logged_in, backlog):
    first = client_logged_in.get(reverse("todos:today")).content.decode()
    second = client_logged_in.get(reverse("todos:today"), {"overdue": 2}).content.decode()

    assert len(titles(second, "task-list")) == 3
    assert set(titles(second, "overdue-list")).isdisjoint(titles(first, "overdue-list"))
    assert '<details class="list-section overdue" open' in first


def test_today_reads_no_more_with_a_backlog(client_logged_in, user, backlog):
    with CaptureQueriesContext(connection) as queries:
        client_logged_in.get(reverse("todos:today"))

    assert len(queries) <= 10


@pytest.fixture
def archived(user):
    """An archived project with a task due today, one in three days and one tagged."""
    today = timezone.localdate()
    old = ProjectFactory(owner=user, name="Old plans", is_archived=True)
    bills = TagFactory(owner=user, name="bills")
    TaskFactory(project=old, title="Archived today", due_date=today)
    TaskFactory(project=old, title="Archived soon", due_date=today + timedelta(days=3))
    TaskFactory(project=old, title="Archived tagged", tags=[bills])
    inbox = services.ensure_inbox(user)
    live = TaskFactory(project=inbox, title="Live tagged", tags=[bills])
    TaskFactory(project=inbox, title="Live Archived-sounding today", due_date=today)
    TaskFactory(project=inbox, title="Live soon", due_date=today + timedelta(days=3))
    return {"project": old, "tag": bills, "live": live}


@pytest.mark.parametrize(
    "page",
    [reverse("todos:today"), reverse("todos:upcoming"), reverse("todos:search") + "?q=Archived"],
)
def test_archived_projects_tasks_stay_out_of_lists_across_projects(
    client_logged_in, archived, page
):
    html = client_logged_in.get(page).content.decode()

    shown = re.findall(r'class="task-title[^"]*" href="[^"]+">([^<]+)</a>', html)
    assert not [title for title in shown if title.startswith("Archived")]
    assert [title for title in shown if title.startswith("Live")]


def test_a_tag_page_leaves_out_archived_projects(client_logged_in, archived):
    html = client_logged_in.get(archived["tag"].get_absolute_url()).content.decode()

    assert "Live tagged" in html
    assert "Archived tagged" not in html


def test_searching_an_archived_project_by_name_still_finds_its_tasks(client_logged_in, archived):
    html = client_logged_in.get(
        reverse("todos:search"), {"q": "Archived", "project": archived["project"].pk}
    ).content.decode()

    assert "3 tasks found" in html
