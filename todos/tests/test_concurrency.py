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
