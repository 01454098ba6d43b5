"""Long lists are counted only as far as the page needs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from todos.models import Task
from todos.pagination import BoundedPaginator, ListPage
from todos.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(user):
    project = ProjectFactory(owner=user)
    Task.objects.bulk_create(
        Task(owner=user, project=project, title=f"Task {n}", position=n) for n in range(130)
    )
    return Task.objects.filter(project=project).order_by("position")


def test_a_short_list_has_an_exact_total(tasks):
    paginator = BoundedPaginator(tasks, 50, floor=200)

    assert (paginator.count, paginator.is_exact, paginator.num_pages) == (130, True, 3)
    assert paginator.total_label == "130"


def test_a_long_list_is_counted_only_to_the_bound(tasks):
    paginator = BoundedPaginator(tasks, 10, floor=100)

    with CaptureQueriesContext(connection) as queries:
        count = paginator.count

    assert count == 101
    assert "LIMIT 101" in queries[0]["sql"].upper()
    assert (paginator.is_exact, paginator.total_label) == (False, "100+")
    assert paginator.get_page(10).has_next()


def test_a_late_page_counts_just_past_itself(tasks):
    paginator = BoundedPaginator(tasks, 10, number=12, floor=50)

    page = paginator.get_page(12)

    assert [t.title for t in page][:1] == ["Task 110"]
    assert page.has_next()
    # Counting to the end of the next page reached the end of the list: the total is exact.
    assert (paginator.is_exact, paginator.num_pages) == (True, 13)
    assert not paginator.get_page(13).has_next()


def test_a_list_page_fetches_one_row_more_and_never_counts(tasks):
    with CaptureQueriesContext(connection) as queries:
        page = ListPage(tasks, 50, 2)
        titles = [t.title for t in page]

    assert len(queries) == 1
    assert "COUNT" not in queries[0]["sql"].upper()
    assert (titles[0], len(titles)) == ("Task 50", 50)
    assert (page.has_previous(), page.has_next()) == (True, True)


def test_the_last_list_page_has_no_next(tasks):
    page = ListPage(tasks, 50, 3)

    assert (len(page), page.has_next(), page.previous_page_number()) == (30, False, 2)


def test_a_list_page_past_the_end_is_the_first(tasks):
    page = ListPage(tasks, 50, 99)

    assert (page.number, [t.title for t in page][:1]) == (1, ["Task 0"])
