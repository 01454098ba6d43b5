"""Lists: cursor pages, filters and sorting; syncing by `updated_since` and tombstones;
and query counts that do not grow with the data."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.tests.conftest import client_for
from todos.changes import clear_caches
from todos.models import Role, Task
from todos.tests.factories import (
    CommentFactory,
    MembershipFactory,
    ProjectFactory,
    TagFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

TASKS = "/api/v1/tasks/"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [task["title"] for task in response.json()["results"]]


def test_cursor_pages_neither_repeat_nor_skip_a_task_added_meanwhile(api, user):
    project = ProjectFactory(owner=user)
    for n in range(5):
        TaskFactory(project=project, title=f"t{n}")

    first = api.get(TASKS, {"page_size": 2})
    TaskFactory(project=project, title="new")
    seen = titles(first)
    following = first.json()["next"]
    while following:
        page = api.get(following)
        seen += titles(page)
        following = page.json()["next"]

    assert seen == ["t0", "t1", "t2", "t3", "t4", "new"]


def test_filters_narrow_the_list(api, user):
    home, work = ProjectFactory(owner=user), ProjectFactory(owner=user)
    bills = TagFactory(owner=user, name="bills")
    today = timezone.localdate()
    TaskFactory(project=home, title="rent", due_date=today, tags=[bills])
    TaskFactory(project=home, title="later", due_date=today + timedelta(days=10))
    TaskFactory(project=work, title="report", completed_at=timezone.now())
    TaskFactory(project=work, title="someday")

    assert titles(api.get(TASKS, {"project": home.pk})) == ["rent", "later"]
    assert titles(api.get(TASKS, {"tag": bills.pk})) == ["rent"]
    assert titles(api.get(TASKS, {"completed": "true"})) == ["report"]
    assert titles(api.get(TASKS, {"due_before": today.isoformat()})) == ["rent"]
    assert titles(api.get(TASKS, {"due_after": (today + timedelta(days=1)).isoformat()})) == [
        "later"
    ]
    assert titles(api.get(TASKS, {"sort": "due", "completed": "false"})) == [
        "rent",
        "later",
        "someday",
    ]
    assert titles(api.get(TASKS, {"sort": "-id"}))[0] == "someday"


def test_assigned_to_me_or_nobody(user):
    project = ProjectFactory(owner=user)
    member = MembershipFactory(project=project, role=Role.EDITOR).user
    TaskFactory(project=project, title="mine", assignee=user)
    TaskFactory(project=project, title="theirs", assignee=member)
    TaskFactory(project=project, title="anyone")
    api = client_for(member)

    assert titles(api.get(TASKS, {"assigned": "me"})) == ["theirs"]
    assert titles(api.get(TASKS, {"assigned": "nobody"})) == ["anyone"]
    assert titles(api.get(TASKS, {"assigned": user.username})) == ["mine"]


@pytest.mark.parametrize(
    "query",
    [
        {"due_before": "someday"},
        {"sort": "colour"},
        {"completed": "perhaps"},
        {"project": "-1"},
        {"cursor": "not-a-cursor"},
        {"updated_since": "yesterday"},
        {"page_size": "many"},
    ],
)
def test_a_bad_parameter_is_a_400_problem(api, query):
    response = api.get(TASKS, query)

    if "page_size" in query:  # DRF falls back to the usual size
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"]


def test_a_client_syncs_what_changed_and_what_went_since_a_moment(api, user):
    project = ProjectFactory(owner=user)
    kept, edited = TaskFactory(project=project), TaskFactory(project=project, title="Old")
    trashed, purged = TaskFactory(project=project), TaskFactory(project=project)
    comment = CommentFactory(task=kept, author=user)
    tag = TagFactory(owner=user)
    gone = ProjectFactory(owner=user, name="Gone")
    Task.objects.filter(pk__in=[kept.pk, edited.pk]).update(
        updated_at=timezone.now() - timedelta(hours=1)
    )
    since = timezone.now()

    api.patch(f"{TASKS}{edited.pk}/", {"title": "New", "version": edited.version}, format="json")
    api.delete(f"{TASKS}{trashed.pk}/")
    api.delete(f"{TASKS}{purged.pk}/")
    api.delete(f"/api/v1/trash/{purged.pk}/")
    api.delete(f"/api/v1/comments/{comment.pk}/")
    api.delete(f"/api/v1/tags/{tag.pk}/")
    api.delete(f"/api/v1/projects/{gone.pk}/")
    changed = api.get(TASKS, {"updated_since": since.isoformat()})
    tombstones = api.get("/api/v1/tombstones/", {"since": since.isoformat()}).json()

    assert titles(changed) == ["New"]
    assert {(t["type"], t["id"], t["reason"]) for t in tombstones} == {
        ("task", trashed.pk, "trashed"),
        ("task", purged.pk, "deleted"),
        ("comment", comment.pk, "deleted"),
        ("tag", tag.pk, "deleted"),
        ("project", gone.pk, "deleted"),
    }


def test_a_stranger_learns_nothing_from_tombstones(api, user, other_user):
    theirs = TaskFactory(project=ProjectFactory(owner=other_user))
    since = timezone.now()
    client_for(other_user).delete(f"{TASKS}{theirs.pk}/")

    assert api.get("/api/v1/tombstones/", {"since": since.isoformat()}).json() == []


def fill(project, count: int) -> None:
    tag = TagFactory(owner=project.owner)
    tasks = Task.objects.bulk_create(
        Task(
            owner=project.owner,
            project=project,
            title=f"Task {n}",
            position=n,
            due_date=date(2027, 1, 1) + timedelta(days=n % 300),
        )
        for n in range(count)
    )
    Task.tags.through.objects.bulk_create(
        Task.tags.through(task_id=task.pk, tag_id=tag.pk) for task in tasks[:200]
    )
    CommentFactory(task=tasks[0], author=project.owner)


def queries_of(api, url, query=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, query or {})
    assert response.status_code == 200, response.content
    return len(queries)


LISTS = [
    (TASKS, {}),
    (TASKS, {"sort": "due", "completed": "false"}),
    ("/api/v1/projects/", {}),
    ("/api/v1/tags/", {}),
    ("/api/v1/trash/", {}),
    ("/api/v1/tombstones/", {"since": "2000-01-01T00:00:00Z"}),
]


def test_query_counts_stay_flat_from_10_to_10000_tasks(user, other_user):
    project = ProjectFactory(owner=user)
    shared = ProjectFactory(owner=other_user)
    MembershipFactory(project=shared, user=user, role=Role.EDITOR)
    fill(project, 10)
    api = client_for(user)
    api.get(TASKS)  # the token's first use is written down once; later ones are not
    task = Task.objects.filter(project=project).first()
    details = [f"{TASKS}{task.pk}/", f"{TASKS}{task.pk}/comments/"]
    at_ten = [queries_of(api, url, query) for url, query in LISTS + [(d, {}) for d in details]]

    fill(project, 9_990)
    fill(shared, 100)
    at_ten_thousand = [
        queries_of(api, url, query) for url, query in LISTS + [(d, {}) for d in details]
    ]

    assert at_ten_thousand == at_ten
    assert max(at_ten) <= 8


def test_a_busy_token_gets_a_429_with_retry_after_while_another_still_works(user, monkeypatch):

    from api.throttling import PerTokenThrottle, PerUserThrottle

    clear_caches()
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    monkeypatch.setattr(PerUserThrottle, "THROTTLE_RATES", {"user": "6/minute"})
    busy, other = client_for(user), client_for(user)

    answers = [busy.get(TASKS) for _ in range(4)]
    others = [other.get(TASKS).status_code for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert int(refused["Retry-After"]) > 0
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["status"] == 429
    # The person's own limit counts every request of theirs, the refused one too: 4 + 2 of 6.
    assert others == [200, 200, 429]


@pytest.mark.parametrize("sort", ["due", "-due", "priority", "-updated", "created", "position"])
def test_every_sort_pages_through_every_task_once(api, user, sort):
    project = ProjectFactory(owner=user)
    for n in range(7):
        TaskFactory(
            project=project,
            title=f"t{n}",
            priority=1 + n % 4,
            due_date=None if n % 3 == 0 else date(2027, 1, 1 + n % 2),
        )

    seen, following = [], TASKS + f"?sort={sort}&page_size=2"
    while following:
        page = api.get(following)
        seen += titles(page)
        following = page.json()["next"]

    assert sorted(seen) == [f"t{n}" for n in range(7)]


def test_a_hand_made_cursor_is_a_400_not_a_500(api):
    # Well-formed cursors holding positions no list gives: a word, and a huge number.
    word = api.get(TASKS, {"cursor": "cD1hYmM="})  # p=abc
    huge = api.get(TASKS, {"cursor": "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ=="})

    assert word.status_code == 400
    assert "cursor" in word.json()["errors"]
    # SQLite cannot hold the number (a 400); PostgreSQL compares it and finds nothing after it.
    assert huge.status_code == 400 or huge.json()["results"] == []


def test_ids_beyond_the_databases_integers_are_refused_not_overflowed(api, user):
    project = ProjectFactory(owner=user)
    huge = 10**30

    listed = api.get(TASKS, {"project": huge})
    reordered = api.post(
        f"/api/v1/projects/{project.pk}/reorder/", {"tasks": [huge]}, format="json"
    )
    detail = api.get(f"{TASKS}{huge}/")

    assert (listed.status_code, reordered.status_code, detail.status_code) == (400, 400, 404)
