"""The lists that must stay flat as data grows read their rows, in order, from an index."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from todos.models import Task
from todos.selectors import search_tasks
from todos.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

# How each database says it sorted rows itself instead of reading them in order.
SORTED = {"sqlite": "TEMP B-TREE", "postgresql": "Sort"}


def plan(queryset) -> str:
    """Return the plan the database picks for a query, whatever the size of the tables.

    PostgreSQL weighs table statistics, and reads a test's few rows straight from
    the table; with that ruled out it shows which index it would use at scale. The
    statistics are read afresh: autovacuum may have analysed the rows that tests run
    before this one wrote (a fuzzer's thousands of odd tasks), and its plan with them.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE todos_task")
            cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def test_today_and_upcoming_need_no_sort_at_any_size(user):
    today = timezone.localdate()
    tasks = Task.objects.for_user(user)

    for listed in [tasks.due_by(today), tasks.due_between(today, today + timedelta(days=13))]:
        steps = plan(listed.as_rows()[:51])
        assert "todos_task_open_due_idx" in steps
        assert SORTED[connection.vendor] not in steps


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="PostgreSQL reads a person's tasks by owner and filters titles and notes once "
    "it has statistics of real rows; a trigram index replaces this search (issue 17)",
)
def test_search_matches_titles_in_the_index_and_notes_only_where_there_are_some(user):
    # A person with the usual few tasks with notes among many.
    project = ProjectFactory(owner=user)
    Task.objects.bulk_create(
        Task(
            owner=user,
            project=project,
            title=f"Task {n}",
            position=n,
            notes="Ask the bank" if n % 50 == 0 else "",
        )
        for n in range(3000)
    )
    steps = plan(search_tasks(user, q="rent").values_list("pk", flat=True)[:1001])

    assert "todos_task_open_due_idx" in steps
    assert "todos_task_with_notes_idx" in steps
