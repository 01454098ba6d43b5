"""Members of one shared project writing at once: no edit is silently lost, no write deadlocks.

A stale full form is refused (409) naming who changed the task, with what was typed
kept; toggles, skips, bulk actions and moves state their result, so a stale one changes
nothing. On PostgreSQL, members' threads writing the same project at once all finish:
the user rows whose data versions every write moves (todos.changes) are locked in one
order, and every acknowledged edit is in the database afterwards.
"""

import random
import re
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from todos import myday, services
from todos.models import Project, Role, Task
from todos.tests.factories import MembershipFactory, ProjectFactory, TagFactory, TaskFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite runs one writer at a time; row locks matter on PostgreSQL",
)

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/today/"}


@pytest.fixture
def household():
    """A project of Olga's that Sam and Bea edit, with one task of each kind they share."""
    olga = UserFactory(username="olga", display_name="Olga")
    sam = UserFactory(username="sam", display_name="Sam")
    bea = UserFactory(username="bea", display_name="Bea")
    project = ProjectFactory(owner=olga, name="Household")
    for person in (sam, bea):
        MembershipFactory(project=project, user=person, role=Role.EDITOR)
    other = ProjectFactory(owner=olga, name="Garden")
    MembershipFactory(project=other, user=sam, role=Role.EDITOR)
    task = TaskFactory(project=project, title="Buy milk", notes="Semi-skimmed")
    return {"olga": olga, "sam": sam, "bea": bea, "project": project, "other": other, "task": task}


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def edit_form(client, task) -> dict:
    """Return what the task's edit form submits as loaded now: its fields with their values."""
    html = client.get(reverse("todos:task_update", args=[task.pk])).content.decode()
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    return {
        "title": task.title,
        "notes": task.notes,
        "project": task.project_id,
        "priority": 4,
    } | {"version": version}


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_stale_form_is_refused_naming_the_member_who_changed_the_task(household, headers):
    task, url = household["task"], reverse("todos:task_update", args=[household["task"].pk])
    sam, bea = signed_in(household["sam"]), signed_in(household["bea"])
    sams_form = edit_form(sam, task)
    beas_form = edit_form(bea, task)
    assert bea.post(url, beas_form | {"title": "Buy oat milk"}).status_code == 302

    response = sam.post(url, sams_form | {"notes": "Two bottles"}, headers=headers)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Bea changed it meanwhile." in html
    assert "Two bottles" in html
    task.refresh_from_db()
    assert (task.title, task.notes) == ("Buy oat milk", "Semi-skimmed")


def test_saving_again_from_the_refused_form_replaces_the_other_edit_knowingly(household):
    task, url = household["task"], reverse("todos:task_update", args=[household["task"].pk])
    sam, bea = signed_in(household["sam"]), signed_in(household["bea"])
    sams_form = edit_form(sam, task)
    bea.post(url, edit_form(bea, task) | {"title": "Buy oat milk"})
    refused = sam.post(url, sams_form | {"title": "Buy milk and eggs"})
    version = refused.context["form"].data["version"]

    again = sam.post(url, sams_form | {"title": "Buy milk and eggs", "version": version})

    assert again.status_code == 302
    task.refresh_from_db()
    assert task.title == "Buy milk and eggs"


@pytest.mark.parametrize("action", ["toggle", "move", "bulk"])
def test_a_form_loaded_before_another_members_write_is_refused(household, action):
    task, url = household["task"], reverse("todos:task_update", args=[household["task"].pk])
    sam, olga = signed_in(household["sam"]), signed_in(household["olga"])
    olgas_form = edit_form(olga, task)
    if action == "toggle":
        sam.post(reverse("todos:task_toggle", args=[task.pk]), {"completed": "1"})
    elif action == "move":
        sam.post(reverse("todos:task_move", args=[task.pk]), {"project": household["other"].pk})
    else:
        sam.post(reverse("todos:task_bulk"), {"tasks": [task.pk], "action": "complete"})
    task.refresh_from_db()
    before = (task.project_id, task.completed_at, task.version)

    response = olga.post(url, olgas_form | {"title": "Buy milk today"})

    assert response.status_code == 409
    assert "Sam changed it meanwhile." in response.content.decode()
    task.refresh_from_db()
    assert (task.project_id, task.completed_at, task.version) == before
    assert task.title == "Buy milk"


def test_a_stale_toggle_or_bulk_from_another_member_changes_nothing(household):
    task = household["task"]
    sam, bea = signed_in(household["sam"]), signed_in(household["bea"])
    sam.post(reverse("todos:task_toggle", args=[task.pk]), {"completed": "1"})
    task.refresh_from_db()
    done = (task.completed_at, task.version)

    # Bea's page still shows the task open: its buttons ask to complete it.
    toggled = bea.post(reverse("todos:task_toggle", args=[task.pk]), {"completed": "1"})
    bulk = bea.post(reverse("todos:task_bulk"), {"tasks": [task.pk], "action": "complete"})

    task.refresh_from_db()
    assert (task.completed_at, task.version) == done
    assert "“Buy milk” was already completed." in said(toggled)
    assert any("1 already completed or in the trash" in text for text in said(bulk))
    assert task.history.order_by("-history_date").first().history_user == household["sam"]


def test_a_stale_move_from_another_member_leaves_the_task_where_the_first_put_it(household):
    task = household["task"]
    sam, olga = signed_in(household["sam"]), signed_in(household["olga"])
    sam.post(reverse("todos:task_move", args=[task.pk]), {"project": household["other"].pk})

    response = olga.post(
        reverse("todos:task_move", args=[task.pk]), {"project": household["other"].pk}
    )

    assert response.status_code == 302
    assert "“Buy milk” is already in Garden." in said(response)
    task.refresh_from_db()
    assert task.project == household["other"]


def test_a_stale_skip_from_another_member_skips_no_second_occurrence(household):
    task = household["task"]
    day = timezone.localdate()
    Task.objects.filter(pk=task.pk).update(due_date=day, recurrence="FREQ=DAILY")
    skip = reverse("todos:task_skip", args=[task.pk])
    # Both pages show today's occurrence; their Skip buttons name it.
    sam, bea = signed_in(household["sam"]), signed_in(household["bea"])
    sam.post(skip, {"occurrence": day.isoformat()})

    response = bea.post(skip, {"occurrence": day.isoformat()})

    task.refresh_from_db()
    assert task.due_date == day + timedelta(days=1)
    assert "That occurrence of “Buy milk” was already skipped or completed." in said(response)


def test_a_viewer_cannot_skip_an_occurrence(household):
    task = household["task"]
    Task.objects.filter(pk=task.pk).update(due_date=timezone.localdate(), recurrence="FREQ=DAILY")
    viewer = UserFactory()
    MembershipFactory(project=household["project"], user=viewer, role=Role.VIEWER)

    response = signed_in(viewer).post(reverse("todos:task_skip", args=[task.pk]))

    assert response.status_code == 403
    task.refresh_from_db()
    assert task.due_date == timezone.localdate()


# On PostgreSQL, with real transactions in threads.


def in_thread(function):
    """Run `function` in a worker thread with a connection of its own, closed after."""

    def run(*args):
        try:
            return function(*args)
        finally:
            connections.close_all()

    return run


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_members_saving_the_same_task_at_once_keep_exactly_one_edit(household):
    task = household["task"]
    people = [household["olga"], household["sam"], household["bea"]] * 4

    @in_thread
    def save(n):
        try:
            services.update_task(
                Task.objects.get(pk=task.pk),
                expected_version=1,
                tags=[],
                by=people[n],
                notes=f"edit {n}",
            )
        except services.StaleEditError:
            return None
        return n

    with ThreadPoolExecutor(max_workers=6) as pool:
        saved = [n for n in pool.map(save, range(len(people))) if n is not None]

    assert len(saved) == 1
    task.refresh_from_db()
    assert (task.notes, task.version) == (f"edit {saved[0]}", 2)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_members_writing_shared_projects_at_once_never_deadlock_or_lose_a_write(household):
    """Four people, two threads each, edit, toggle, add, reorder, move and plan at once.

    The projects have different members (Olga's Household all four, her Garden Sam too,
    Sam's own Olga and Bea), tasks move between them, and bulk actions take a person's
    own task with shared ones: the writes cross every set of people a write renews.
    """
    olga, sam, bea = household["olga"], household["sam"], household["bea"]
    dan = UserFactory(username="dan")
    people = [olga, sam, bea, dan]
    home, garden = household["project"], household["other"]
    sams = ProjectFactory(owner=sam, name="Sams")
    MembershipFactory(project=home, user=dan, role=Role.EDITOR)
    for person in (olga, bea):
        MembershipFactory(project=sams, user=person, role=Role.EDITOR)
    projects = [home, garden, sams]
    shared = [TaskFactory(project=projects[n % 3], title=f"Shared {n}").pk for n in range(12)]
    for person in people:
        person.refresh_from_db()
    tags = {person.pk: TagFactory(owner=person, name="mine") for person in people}
    acknowledged: dict[int, list[str]] = defaultdict(list)
    added: list[str] = []
    failures: list[str] = []

    def edit(person, task, marker):
        """Append to the notes as the form does: read, then save at the version read."""
        for _ in range(50):
            task = Task.objects.get(pk=task.pk)
            try:
                services.update_task(
                    task,
                    expected_version=task.version,
                    tags=[tags[person.pk]],
                    by=person,
                    notes=task.notes + marker,
                )
            except services.StaleEditError:
                continue
            acknowledged[task.pk].append(marker)
            return
        failures.append(f"{marker} never saved")

    @in_thread
    def work(n):
        rng = random.Random(n)  # noqa: S311  (repeatable choices, not secrets)
        person = people[n % len(people)]
        now = timezone.now()
        inbox = services.ensure_inbox(person)
        for step in range(25):
            theirs = list(
                Project.objects.editable_by(person).filter(pk__in=[p.pk for p in projects])
            )
            visible = list(Task.objects.editable_by(person).filter(pk__in=shared))
            if not visible:  # the others moved every task this person edits out of reach
                continue
            task = rng.choice(visible)
            kind = rng.choice(["edit", "toggle", "add", "reorder", "step", "bulk", "move", "plan"])
            try:
                if kind == "edit":
                    edit(person, task, f"<{n}.{step}>")
                elif kind == "toggle":
                    services.set_completed(task, rng.random() < 0.5, now=now, by=person)
                elif kind == "add":
                    title = f"added {n}.{step}"
                    text = f'"{title}" #{rng.choice(theirs).name} @new{n}x{step}'
                    outcome = services.quick_add(user=person, text=text, now=now)
                    assert outcome.task is not None, outcome.errors
                    added.append(title)
                elif kind == "reorder":
                    ids = list(
                        Task.objects.filter(project=task.project).values_list("pk", flat=True)
                    )
                    rng.shuffle(ids)
                    services.reorder(task.project, ids)
                elif kind == "step":
                    services.move_step(task, rng.choice((-1, 1)))
                elif kind == "bulk":
                    own = services.create_task(owner=person, project=inbox, title="own")
                    chosen = [own.pk, *(t.pk for t in rng.sample(visible, min(3, len(visible))))]
                    services.bulk(
                        person,
                        Task.objects.filter(pk__in=chosen),
                        action=rng.choice(["complete", "reopen"]),
                        now=now,
                    )
                elif kind == "move":
                    services.move_to_project(task, rng.choice(theirs))
                else:
                    myday.add(person, task, day=timezone.localdate())
            except Exception as error:  # every failure is the finding
                failures.append(f"{kind} by {person.username}: {error!r}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(8)))

    assert failures == []
    for task in Task.objects.filter(pk__in=acknowledged):
        missing = [m for m in acknowledged[task.pk] if m not in task.notes]
        assert missing == [], task
    titles = set(Task.objects.filter(title__startswith="added ").values_list("title", flat=True))
    assert titles == set(added)
    for project in projects:
        positions = list(
            Task.objects.filter(project=project, parent=None).values_list("position", flat=True)
        )
        assert len(positions) == len(set(positions)), project
