"""The lists that must stay flat as data grows read their rows, in order, from an index."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from todos import search
from todos.models import Task
from todos.selectors import search_tasks
from todos.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

# How each database says it sorted rows itself instead of reading them in order.
SORTED = {"sqlite": "TEMP B-TREE", "postgresql": "Sort"}
# How each says it sorted all of them, not only the ties of an order it read.
FULL_SORT = {
    "sqlite": lambda line: "TEMP B-TREE FOR ORDER BY" in line,
    "postgresql": lambda line: "Sort" in line and "Incremental Sort" not in line,
}


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


# As many tasks as a busy account has: fewer, and PostgreSQL reads them all instead.
TASKS = 10_000


def fill_an_account(user, other_user):
    """Give two people the many plain tasks of a real account, a few about rent, notes on some."""
    for owner in (user, other_user):
        project = ProjectFactory(owner=owner)
        Task.objects.bulk_create(
            Task(
                owner=owner,
                project=project,
                title="Pay the rent" if n % 1000 == 0 else f"Task {n}",
                position=n,
                due_date=timezone.localdate() + timedelta(days=n % 40) if n % 3 else None,
                notes="Ask the bank" if n % 50 == 0 else "",
            )
            for n in range(TASKS)
        )


def test_search_finds_its_words_through_the_trigram_index(user, other_user):
    fill_an_account(user, other_user)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Rows just written wait in a GIN index's pending list, which the planner
            # counts against it, until autovacuum merges them: merge them as it would.
            for index in ["todos_task_title_trgm_idx", "todos_task_notes_trgm_idx"]:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
    found = search_tasks(user, q="rent").order_by().values_list(*search.KEY)[:1001]

    steps = plan(found)

    if connection.vendor == "postgresql":
        assert "todos_task_title_trgm_idx" in steps
        assert "todos_task_notes_trgm_idx" in steps
    else:
        assert "SCAN todos_task_fts VIRTUAL TABLE INDEX" in steps
        # The tasks are looked up by the ids the FTS table found, not walked.
        assert "rowid=?" in steps
        assert "SCAN todos_task " not in steps


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="PostgreSQL weighs it: at 10,000 tasks it sorts the person's rows, as cheap; "
    "at 100,000 it reads todos_task_open_due_idx in order (the search timing script shows it)",
)
def test_a_page_of_many_matches_is_read_in_order_along_the_index(user, other_user):
    fill_an_account(user, other_user)
    # What search.in_order reads, a stretch of the order at a time, matching row by row.
    matched = search_tasks(user, q="the", indexed=False)

    for part, order in search.STRETCHES[:2]:
        stretch = matched.filter(part).order_by(*order).values_list("pk", flat=True)
        steps = plan(stretch[:51])
        assert "todos_task_open_due_idx" in steps
        # Only ties (same day, priority and place) are sorted, never every task.
        assert not [line for line in steps.splitlines() if FULL_SORT[connection.vendor](line)]
