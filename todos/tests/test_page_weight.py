"""A full page of every list weighs no more than it does now, and runs no more queries.

Issue 17 asks for at most 40 KB of HTML for a page of 50 rows (TARGET). The rows
are not there yet (each row's menu and icons are most of its bytes): every page has
a ceiling of its own, a little above what it weighs today, so a page that grows fails
here; lower a ceiling whenever a page gets lighter, down to TARGET.

The rows are what a busy person's lists hold: titles of everyday length, due dates,
priorities, two tags each, some sub-tasks, some repeating, some comments, and a shared
project whose editor sees a menu to assign each task to its members.
"""

from datetime import timedelta
from itertools import cycle

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from todos import services
from todos.models import Comment, MyDayEntry, Role, Task
from todos.tests.factories import MembershipFactory, ProjectFactory, TagFactory

pytestmark = pytest.mark.django_db

# What a page of 50 rows should weigh at most (bytes of the uncompressed body).
TARGET = 40 * 1024
ROWS = 50

TITLES = [
    "Call the plumber about the kitchen tap",
    "Renew the car insurance",
    "Book a dentist appointment for the kids",
    "Send the quarterly report to Maria",
    "Buy a birthday present for Grandma",
    "Pay the electricity bill",
    "Water the plants on the balcony",
    "Review the pull request for the login page",
    "Pick up the dry cleaning",
    "Plan the team offsite agenda",
]
# Days until due, in turn: today most often, then soon, overdue, or no date at all.
DUE = [0, 0, 1, 4, -2, 0, 9, None]


def fill(user) -> dict:
    """Give `user` an Inbox, a project and a shared project of another's, full of tasks.

    Every list holds more open tasks than a page shows and a few completed ones; a
    third of the tasks are on today's My Day, and most of the shared project's tasks
    are assigned to `user`, the rest to its other members. Return what the pages open.
    """
    today, now = timezone.localdate(), timezone.now()
    inbox = services.ensure_inbox(user)
    home = ProjectFactory(owner=user, name="Home")
    owner = UserFactory(username="olive", display_name="Olive Owens")
    household = ProjectFactory(owner=owner, name="Household chores")
    others = [UserFactory(username="sam", display_name="Sam Lee"), UserFactory(username="vic")]
    for person in (user, *others):
        MembershipFactory(project=household, user=person, role=Role.EDITOR)
    tags = [TagFactory(owner=user, name=name) for name in ("errand", "phone", "waiting")]
    assignees = cycle([user, user, user, others[0], None, owner])
    built = []
    for project, count in ((inbox, 60), (home, 60), (household, 110)):
        for n in range(count):
            days = DUE[n % len(DUE)]
            done = n % 12 == 11
            built.append(
                Task(
                    project=project,
                    owner=project.owner,
                    title=f"{TITLES[n % len(TITLES)]} ({n})",
                    position=n,
                    priority=n % 4 + 1,
                    due_date=None if days is None else today + timedelta(days=days),
                    recurrence="FREQ=WEEKLY" if n % 7 == 3 and days is not None else "",
                    completed_at=now if done else None,
                    assignee=next(assignees) if project == household else None,
                )
            )
    tasks = Task.objects.bulk_create(built)
    # Every fifth task has sub-tasks, some done; they are tasks of the same lists too.
    Task.objects.bulk_create(
        Task(
            project=parent.project,
            owner=parent.owner,
            parent=parent,
            title=f"Step {step} of {parent.title}",
            position=step,
            completed_at=now if step == 0 else None,
        )
        for parent in tasks[::5]
        for step in range(2)
    )
    links = Task.tags.through
    links.objects.bulk_create(
        links(task_id=task.pk, tag_id=tag.pk)
        for n, task in enumerate(tasks)
        for tag in {tags[n % 3], tags[(n + 1) % 3]}
    )
    commented = tasks[::4]
    Comment.objects.bulk_create(
        Comment(task=task, author=user, body="Done the first half.") for task in commented
    )
    Task.objects.filter(pk__in=[task.pk for task in commented]).update(comment_count=1)
    MyDayEntry.objects.bulk_create(
        MyDayEntry(owner=user, task=task, day=today) for task in tasks[::3]
    )
    return {"home": home, "household": household, "tag": tags[0]}


def pages(objects) -> dict[str, str]:
    return {
        "today": reverse("todos:today"),
        "upcoming": reverse("todos:upcoming"),
        "inbox": reverse("todos:inbox"),
        "project": reverse("todos:project_detail", args=[objects["home"].pk]),
        "tag": reverse("todos:tag_detail", args=[objects["tag"].pk]),
        "search": reverse("todos:search") + "?q=the",
        "my_day": reverse("todos:my_day"),
        "assigned": reverse("todos:assigned"),
        "shared_project": reverse("todos:project_detail", args=[objects["household"].pk]),
    }


# Per page: the most bytes it may weigh (KB), and the queries it runs on a visit after
# the first (the sidebar and team cached; see test_queries for what they are).
PAGES = {
    "today": (198, 6),
    "upcoming": (158, 5),
    "inbox": (182, 7),
    "project": (183, 7),
    "tag": (201, 7),
    "search": (178, 6),
    "my_day": (173, 6),
    "assigned": (202, 5),
    "shared_project": (256, 8),
}


@pytest.fixture
def full_lists(client, user):
    objects = fill(user)
    client.force_login(user)
    # Upcoming pages 100 tasks at a time: its page of 50 is its first 50 rows.
    today = timezone.localdate()
    upcoming = Task.objects.filter(
        completed_at=None, due_date__range=(today, today + timedelta(days=13))
    ).order_by("due_date", "pk")
    return objects, [task.pk for task in upcoming]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_of_50_rows_grows_neither_in_bytes_nor_in_queries(
    client, full_lists, page, django_assert_max_num_queries
):
    objects, upcoming = full_lists
    if page == "upcoming":
        # It pages 100 tasks at a time: leave it 50 within its 14 days.
        Task.objects.filter(pk__in=upcoming[ROWS:]).update(
            due_date=timezone.localdate() + timedelta(days=30)
        )
    ceiling, queries = PAGES[page]
    url = pages(objects)[page]
    client.get(url)  # the sidebar and the rows are drawn once, as on any visit but the first
    with django_assert_max_num_queries(queries):
        response = client.get(url)

    rows = response.content.decode().count('class="task-row')
    assert response.status_code == 200
    assert rows >= ROWS
    assert len(response.content) <= ceiling * 1024, f"{len(response.content)} bytes, {rows} rows"
