"""Every page runs the same small number of queries with 1 task or with 300."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from todos import services
from todos.models import Task
from todos.tests.factories import ProjectFactory, TagFactory, TaskFactory

pytestmark = pytest.mark.django_db

# The most queries any page may run: session, user, sidebar (2), the page's own
# reads, and one prefetch each for tags, whether the user has 1 task or 300.
BOUND = 11


def fill(user, tasks: int):
    """Spread tasks over projects, tags, dates and sub-tasks; return one of each for URLs."""
    today = timezone.localdate()
    projects = [ProjectFactory(owner=user) for _ in range(max(1, tasks // 30))]
    tags = [TagFactory(owner=user) for _ in range(max(1, tasks // 30))]
    made = []
    for n in range(tasks):
        parent = made[n - 1] if n % 10 == 9 else None
        made.append(
            TaskFactory(
                project=parent.project if parent else projects[n % len(projects)],
                parent=parent,
                due_date=today + timedelta(days=n % 20 - 5),
                completed_at=timezone.now() if n % 3 == 0 else None,
                deleted_at=timezone.now() if n % 17 == 16 else None,
                tags=[tags[n % len(tags)], tags[(n + 1) % len(tags)]],
            )
        )
    task = Task.objects.for_user(user).filter(parent__isnull=True).first()
    return {"project": projects[0], "tag": tags[0], "task": task}


PAGES = [
    ("todos:today", None),
    ("todos:upcoming", None),
    ("todos:inbox", None),
    ("todos:completed", None),
    ("todos:trash", None),
    ("todos:project_list", None),
    ("todos:project_detail", "project"),
    ("todos:tag_detail", "tag"),
    ("todos:task_detail", "task"),
    ("todos:task_update", "task"),
    ("todos:task_create", None),
]


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("name", "kind"), PAGES)
def test_page_queries_do_not_grow_with_the_data(client, user, other_user, name, kind):
    services.ensure_inbox(user)
    small = fill(user, 1)
    big = fill(other_user, 300)
    client.force_login(user)
    few = count_queries(client, reverse(name, args=[small[kind].pk] if kind else []))
    client.force_login(other_user)
    many = count_queries(client, reverse(name, args=[big[kind].pk] if kind else []))

    assert few <= BOUND
    assert many <= BOUND


def test_search_queries_do_not_grow_with_the_data(client, user, other_user):
    fill(user, 1)
    fill(other_user, 300)
    url = reverse("todos:search")
    client.force_login(user)
    few = count_queries(client, url, q="Task", status="all")
    client.force_login(other_user)
    many = count_queries(client, url, q="Task", status="all")

    assert few <= BOUND
    assert many <= BOUND


def test_a_project_with_10000_open_tasks_renders_only_its_first_page(
    client_logged_in, user, django_assert_max_num_queries
):
    project = ProjectFactory(owner=user)
    Task.objects.bulk_create(
        Task(owner=user, project=project, title=f"Task {n}", position=n) for n in range(10_000)
    )

    with django_assert_max_num_queries(BOUND):
        response = client_logged_in.get(project.get_absolute_url())

    html = response.content.decode()
    assert html.count('class="list-group-item task-row') == 50
    assert "Page 1 of 200" in html
