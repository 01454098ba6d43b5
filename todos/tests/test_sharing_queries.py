"""A member's pages run as many queries however many members and shared tasks a project has.

Each page is counted for an editor of small shared projects (one member, ten tasks),
of one crowded project (50 members, 2,000 tasks) and of 20 shared projects owned by
others: the three counts must be equal and within test_queries' BOUND.
"""

from datetime import timedelta
from itertools import cycle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from reminders.models import Notification, Reminder
from todos import feed, history
from todos.changes import clear_caches
from todos.models import Comment, Completion, MyDayEntry, Role, Task
from todos.tests.factories import MembershipFactory, ProjectFactory, TagFactory, TaskFactory
from todos.tests.test_queries import BOUND, KINDS
from todos.views.common import PAGE_SIZE
from todos.views.lists import COMPLETED_PREVIEW

pytestmark = pytest.mark.django_db


def share(member, *, projects: int, members: int, tasks: int) -> dict:
    """Make `member` an editor of `projects` projects of other people, `members` people each.

    The tasks cycle through test_queries' KINDS over the projects, are assigned in turn to
    nobody, the member and the others, and carry the member's tags and their owner's. The
    first task of each project collects its sub-tasks; the first project's is the busiest:
    comments, history, reminders and completions. Return what the pages are opened with.
    """
    today, now = timezone.localdate(), timezone.now()
    owners = UserFactory.create_batch(projects)
    others = UserFactory.create_batch(members - 1)
    shared = [ProjectFactory(owner=owner) for owner in owners]
    for project in shared:
        MembershipFactory(project=project, user=member, role=Role.EDITOR)
        for n, other in enumerate(others):
            MembershipFactory(project=project, user=other, role=(Role.EDITOR, Role.VIEWER)[n % 2])
    people = cycle([None, member, *others])
    built = []
    for n in range(tasks):
        project = shared[n % projects]
        days, completed, trashed, subtask = KINDS[n // projects % len(KINDS)]
        built.append(
            (
                subtask,
                TaskFactory.build(
                    project=project,
                    title=f"Task {n}",
                    position=n,
                    due_date=None if days is None else today + timedelta(days=days),
                    # Sub-tasks done a moment earlier, so the first page of Completed
                    # holds top-level tasks too, whose progress it reads.
                    completed_at=now - timedelta(minutes=subtask) if completed else None,
                    deleted_at=now if trashed else None,
                    assignee=next(people),
                ),
            )
        )
    # Parents first, for their ids; bulk_create records a history row for each task.
    parents = Task.objects.bulk_create(task for subtask, task in built if not subtask)
    first = {}
    for task in parents:
        first.setdefault(task.project_id, task)
    children = [task for subtask, task in built if subtask]
    for task in children:
        task.parent = first[task.project_id]
    everything = parents + Task.objects.bulk_create(children)

    mine = TagFactory.create_batch(max(1, tasks // 30), owner=member)
    theirs = {owner.pk: TagFactory(owner=owner) for owner in owners}
    links = Task.tags.through
    links.objects.bulk_create(
        links(task_id=task.pk, tag_id=tag.pk)
        for n, task in enumerate(everything)
        for tag in {mine[n % len(mine)], mine[(n + 1) % len(mine)], theirs[task.owner_id]}
    )
    MyDayEntry.objects.bulk_create(
        MyDayEntry(owner=member, task=task, day=today)
        for task in everything[::3]
        if task.deleted_at is None
    )

    busiest = first[shared[0].pk]
    Task.objects.filter(pk=busiest.pk).update(due_date=today, recurrence="FREQ=DAILY")
    writers = cycle([member, owners[0], *others])
    extra = max(1, tasks // 30)
    Comment.objects.bulk_create(
        Comment(task=busiest, author=next(writers), body=f"Comment {n}") for n in range(extra)
    )
    Task.objects.filter(pk=busiest.pk).update(comment_count=extra)
    for _ in range(extra):
        history.record_changed(Task, [busiest.pk])
    for n in range(extra):
        Completion.objects.create(
            task=busiest, owner=busiest.owner, completed_by=next(writers), completed_at=now
        )
        for person in (member, owners[0]):
            Reminder.objects.create(task=busiest, owner=person, at=now + timedelta(hours=n))
    Notification.objects.create(user=member, task=busiest, title=busiest.title, due_at=now)
    # The memberships counted themselves on the member's row.
    member.refresh_from_db()
    return {
        "project": shared[0],
        "tag": mine[0],
        "task": busiest,
        "token": feed.token_for(member),
    }


def member_of(**sizes) -> tuple:
    """Return a new person, made an editor of shared projects of these sizes (`share`)."""
    member = UserFactory()
    return member, share(member, **sizes)


@pytest.fixture
def small():
    """Ten tasks in one project shared with the member alone."""
    return member_of(projects=1, members=1, tasks=10)


# Every page a member reads: (URL name, its arguments, query string). Pages other parts
# of issue 15 add are counted once they exist.
PAGES = [
    ("todos:today", (), {}),
    ("todos:upcoming", (), {}),
    ("todos:inbox", (), {}),
    ("todos:my_day", (), {}),
    ("todos:completed", (), {}),
    ("todos:trash", (), {}),
    ("todos:project_list", (), {}),
    ("todos:project_detail", ("project",), {}),
    ("todos:tag_detail", ("tag",), {}),
    ("todos:task_detail", ("task",), {}),
    ("todos:task_update", ("task",), {}),
    ("todos:task_create", (), {"project": "project"}),
    ("todos:search", (), {"q": "Task", "status": "all"}),
    ("todos:search", (), {"project": "project", "tag": "tag", "status": "open"}),
    ("todos:notifications", (), {}),
    ("todos:calendar_feed", ("token",), {}),
    ("todos:project_calendar_feed", ("token", "project"), {}),
    ("todos:assigned", (), {}),
    ("todos:project_members", ("project",), {}),
    ("todos:project_activity", ("project",), {}),
    ("todos:invitations", (), {}),
]


def counts(client, member, objects) -> dict[str, int]:
    """Count each page's queries for the member, with nothing cached: the most it runs."""
    client.force_login(member)
    found = {}
    for name, args, params in PAGES:
        try:
            url = reverse(name, args=[getattr(objects[a], "pk", objects[a]) for a in args])
        except NoReverseMatch:
            continue
        query = {key: getattr(objects.get(v), "pk", v) for key, v in params.items()}
        clear_caches()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        assert response.status_code == 200, url
        found[f"{name}?{'&'.join(params)}" if params else name] = len(queries)
    return found


def test_pages_run_as_many_queries_with_50_members_and_2000_tasks_as_with_one_and_10(
    client, small
):
    member, objects = member_of(projects=1, members=50, tasks=2_000)
    assert objects["project"].memberships.count() == 50
    assert Task.objects.owned_by(member).count() == 2_000

    few = counts(client, *small)
    many = counts(client, member, objects)

    assert many == few
    assert max(many.values()) <= BOUND
    # One page of open tasks and the recently completed preview, of 2,000.
    html = client.get(objects["project"].get_absolute_url()).content.decode()
    assert html.count('class="task-row') == PAGE_SIZE + COMPLETED_PREVIEW


def test_a_member_of_20_shared_projects_runs_as_many_queries_as_a_member_of_one(client, small):
    member, objects = member_of(projects=20, members=3, tasks=2_000)
    assert member.shared_projects == 20

    one = counts(client, *small)
    twenty = counts(client, member, objects)

    assert twenty == one
    assert max(twenty.values()) <= BOUND
