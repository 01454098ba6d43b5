"""Order changes from many requests at once keep every task at its own position."""

import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from todos import services
from todos.models import Task
from todos.tests.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite runs one writer at a time; row locks matter on PostgreSQL",
)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_moves_never_share_a_position(user):
    project = ProjectFactory(owner=user)
    ids = [TaskFactory(project=project, position=n).pk for n in range(1, 7)]
    moves = [(random.choice(ids), random.choice((-1, 1))) for _ in range(120)]  # noqa: S311

    def move(pk_and_step):
        pk, step = pk_and_step
        try:
            services.move_step(Task.objects.get(pk=pk), step)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(move, moves))

    positions = list(Task.objects.filter(project=project).values_list("position", flat=True))
    assert sorted(positions) == list(range(1, 7))


@pytest.mark.django_db(transaction=True)
def test_simultaneous_moves_and_adds_into_one_project_never_share_a_position(user):
    target = ProjectFactory(owner=user, name="Target")
    sources = [ProjectFactory(owner=user) for _ in range(4)]
    tasks = [TaskFactory(project=sources[n % 4]) for n in range(40)]

    def act(n):
        try:
            task = Task.objects.get(pk=tasks[n].pk)
            if n % 3 == 0:
                services.bulk(user, [task], action="move", project=target, now=task.created_at)
            elif n % 3 == 1:
                services.move_to_project(task, target)
            else:
                services.create_task(owner=user, project=target, title=f"New {n}")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(act, range(40)))

    positions = list(Task.objects.filter(project=target).values_list("position", flat=True))
    assert len(positions) == 40
    assert len(set(positions)) == 40


@pytest.mark.django_db(transaction=True)
def test_a_form_sent_twice_at_once_adds_one_task(user):
    inbox = services.ensure_inbox(user)

    def add(_):
        try:
            return services.create_task(
                owner=user, project=inbox, title="Pay rent", idempotency_key="k" * 32
            ).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = set(pool.map(add, range(12)))

    assert len(ids) == 1
    assert Task.objects.filter(owner=user).count() == 1
