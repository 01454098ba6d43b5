"""Every page runs exactly as many queries with 300 tasks as with one task of each kind."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from django_project.tests.test_security import FEEDS, named_urls, url_of
from reminders.models import Notification, Reminder
from todos import myday, services
from todos.changes import clear_caches
from todos.models import Completion, Task
from todos.tests.factories import (
    CommentFactory,
    ProjectFactory,
    TagFactory,
    TaskFactory,
    one_of_each,
)

pytestmark = pytest.mark.django_db

# The most queries any page may run, however much data there is. The worst case is a
# task's page: the session with its user (one query), sidebar (3: projects, tags, My Day), the task, its sub-tasks'
# rows and the tags of both, its done occurrences and their count, its reminders, its
# comments with their authors, a page of its history, and the shared projects its rows
# may belong to (todos.assignment.team_for, cached like the sidebar). Search filtered by
# project and tag runs fewer: the project and tag it filters by (2), the ids of the
# matches and the page's rows, their tags and their sub-task progress. The filter form's
# choices come from the cached sidebar, the header's count of unread notifications from
# the user's row.
BOUND = 13

# One task of each kind a page can show: (days until due or None, completed, trashed, sub-task).
KINDS = [
    (-3, False, False, False),  # overdue
    (0, False, False, False),  # due today
    (5, False, False, False),  # upcoming
    (20, False, False, False),  # later than Upcoming shows
    (None, False, False, False),  # no date
    (0, True, False, False),  # completed
    (None, False, True, False),  # in the trash
    (1, False, False, True),  # open sub-task
    (None, True, False, True),  # completed sub-task
]


def fill(user, tasks: int, projects: int) -> dict:
    """Give the user `tasks` tasks cycling through KINDS, spread over the Inbox and projects.

    Each project's first task collects the project's sub-tasks, tags go two to a task, and
    one task in three is on today's My Day.
    Return the objects the pages with arguments are opened with.
    """
    today = timezone.localdate()
    now = timezone.now()
    lists = [services.ensure_inbox(user)]
    lists += [ProjectFactory(owner=user) for _ in range(projects - 1)]
    tags = [TagFactory(owner=user) for _ in range(max(1, tasks // 30))]
    parents = {}
    for n in range(tasks):
        # Each list in turn gets the next task, so every list cycles through every kind.
        project = lists[n % len(lists)]
        days, completed, trashed, subtask = KINDS[n // len(lists) % len(KINDS)]
        task = TaskFactory(
            project=project,
            parent=parents[project.pk] if subtask else None,
            due_date=None if days is None else today + timedelta(days=days),
            completed_at=now if completed else None,
            deleted_at=now if trashed else None,
            tags=[tags[n % len(tags)], tags[(n + 1) % len(tags)]],
        )
        parents.setdefault(project.pk, task)
        # Every kind of task, open or done, on today's plan too: one in three.
        if n % 3 == 0 and not trashed:
            myday.add(user, task, day=today)
    busiest = (
        Task.objects.for_user(user).annotate(n=Count("subtasks")).order_by("-n", "pk").first()
    )
    # The busiest task repeats, was done and has reminders and comments; notifications come
    # with the reminders.
    Task.objects.filter(pk=busiest.pk).update(due_date=today, recurrence="FREQ=DAILY")
    for n in range(max(1, tasks // 30)):
        Completion.objects.create(task=busiest, owner=user, completed_at=now, due_date=today)
        Reminder.objects.create(task=busiest, owner=user, at=now + timedelta(hours=n))
        Notification.objects.create(user=user, task=busiest, title=busiest.title, due_at=now)
        CommentFactory(task=busiest, author=user, body=f"See https://example.com/{n} @{user}")
    return {
        "project": lists[1],
        "tag": tags[0],
        "task": busiest,
        "trashed": Task.objects.trash_for(user).first(),
        "comment": busiest.comments.first(),
    }


@pytest.fixture
def few(user):
    """The smallest data that puts a row in every list: each kind once in the Inbox and a project."""
    objects = fill(user, 2 * len(KINDS), projects=2)
    assert Task.objects.filter(owner=user).count() == 18
    return objects


@pytest.fixture
def many(other_user):
    objects = fill(other_user, 300, projects=3)
    assert Task.objects.filter(owner=other_user).count() == 300
    return objects


def count_queries(client, url, params=None) -> int:
    """Count a page's queries with nothing cached, the most it ever runs."""
    clear_caches()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(queries)


# Every GET page in todos/urls.py: (URL name, object it takes, query string).
PAGES = [
    ("todos:my_day", None, {}),
    ("todos:today", None, {}),
    ("todos:upcoming", None, {}),
    ("todos:assigned", None, {}),
    ("todos:inbox", None, {}),
    ("todos:completed", None, {}),
    ("todos:trash", None, {}),
    ("todos:project_list", None, {}),
    ("todos:project_create", None, {}),
    ("todos:project_detail", "project", {}),
    ("todos:project_activity", "project", {}),
    ("todos:project_activity", "project", {"kind": "edited"}),
    ("todos:project_update", "project", {}),
    ("todos:project_delete", "project", {}),
    ("todos:project_members", "project", {}),
    ("todos:invitations", None, {}),
    ("todos:tag_detail", "tag", {}),
    ("todos:tag_list", None, {}),
    ("todos:tag_update", "tag", {}),
    ("todos:tag_delete", "tag", {}),
    ("todos:quick_add_preview", None, {"text": "Pay rent tomorrow 9am p1 #Home @bills"}),
    ("todos:upcoming", None, {"add": "today"}),
    ("todos:task_create", None, {}),
    ("todos:task_create", None, {"project": "project"}),
    ("todos:task_detail", "task", {}),
    ("todos:task_update", "task", {}),
    ("todos:task_assign", "task", {}),
    ("todos:task_purge", "trashed", {}),
    ("todos:comment_edit", "comment", {}),
    ("todos:comment_delete", "comment", {}),
    ("todos:search", None, {}),
    ("todos:search", None, {"q": "Task", "status": "all"}),
    ("todos:search", None, {"q": "Task", "status": "all", "page": "2"}),
    (
        "todos:search",
        None,
        {"project": "project", "tag": "tag", "priority": "4", "status": "open", "due": ""},
    ),
    ("todos:search", None, {"due": "week"}),
    ("todos:search", None, {"status": "completed"}),
    ("todos:notifications", None, {}),
]


def page_url(name, kind, params, objects):
    url = reverse(name, args=[objects[kind].pk] if kind else [])
    values = {
        **{k: getattr(o, "pk", o) for k, o in objects.items()},
        "today": timezone.localdate().isoformat(),
    }
    return url, {key: values.get(value, value) for key, value in params.items()}


def test_every_get_page_of_the_todos_app_is_measured(client_logged_in, user):
    objects = one_of_each(user)
    pages = {
        name
        for name, pattern in named_urls()
        # The feeds are measured in test_calendar_feed.py.
        if name.startswith("todos:")
        and name not in FEEDS
        and client_logged_in.get(url_of(name, pattern, objects)).status_code == 200
    }

    assert pages == {name for name, _, _ in PAGES}


@pytest.mark.parametrize(
    ("name", "kind", "params"),
    PAGES,
    ids=[f"{name}{'?' + '&'.join(params) if params else ''}" for name, _, params in PAGES],
)
def test_page_queries_do_not_grow_with_the_data(
    client, user, other_user, few, many, name, kind, params
):
    client.force_login(user)
    with_few = count_queries(client, *page_url(name, kind, params, few))
    client.force_login(other_user)
    with_many = count_queries(client, *page_url(name, kind, params, many))

    assert with_many == with_few
    assert with_many <= BOUND


def test_a_project_with_10000_open_tasks_renders_only_its_first_page(client_logged_in, user):
    small = ProjectFactory(owner=user)
    TaskFactory(project=small)
    project = ProjectFactory(owner=user)
    Task.objects.bulk_create(
        Task(owner=user, project=project, title=f"Task {n}", position=n) for n in range(10_000)
    )
    with_one = count_queries(client_logged_in, small.get_absolute_url())

    clear_caches()
    with CaptureQueriesContext(connection) as queries:
        response = client_logged_in.get(project.get_absolute_url())

    html = response.content.decode()
    assert html.count('class="task-row') == 50
    # Counting stops at 1,000 rows: the pager offers Next without naming a total.
    assert '<span class="page-link">Page 1</span>' in html
    assert "?page=2" in html
    assert len(queries) == with_one
