"""The lists that must stay flat as data grows read their rows, in order, from an index."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from todos.models import Task
from todos.selectors import search_tasks

pytestmark = [
    pytest.mark.django_db,
    # PostgreSQL plans by table statistics, so a test table's plan says little there;
    # the benchmark's --explain shows its plans at 100,000 tasks.
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite plans without statistics"),
]


def test_today_and_upcoming_need_no_sort_at_any_size(user):
    today = timezone.localdate()
    tasks = Task.objects.for_user(user)

    for listed in [tasks.due_by(today), tasks.due_between(today, today + timedelta(days=13))]:
        steps = listed.as_rows()[:51].explain()
        assert "USING INDEX todos_task_open_due_idx" in steps
        assert "TEMP B-TREE" not in steps


def test_search_matches_titles_in_the_index_and_notes_only_where_there_are_some(user):
    steps = search_tasks(user, q="rent").values_list("pk", flat=True)[:1001].explain()

    assert "USING INDEX todos_task_open_due_idx" in steps
    assert "USING INDEX todos_task_with_notes_idx" in steps
