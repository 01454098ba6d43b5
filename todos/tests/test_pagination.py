"""Long lists are counted only as far as the page needs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from todos.models import Task
from todos.pagination import CountedPage, ListPage
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
    page = CountedPage(tasks, 50, bound=200)

    assert (page.count, page.is_exact, page.num_pages) == (130, True, 3)
    assert page.total_label == "130"
    assert ([t.title for t in page][:1], len(page), page.has_next()) == (["Task 0"], 50, True)


def test_a_long_list_is_read_once_and_only_to_the_bound(tasks):
    with CaptureQueriesContext(connection) as queries:
        page = CountedPage(tasks, 10, bound=100)

    # The ids up to the bound, in order, then the page's rows by id: no separate count.
    assert len(queries) == 2
    assert "COUNT(" not in " ".join(q["sql"].upper() for q in queries)
    assert "LIMIT 101" in queries[0]["sql"].upper()
    assert (page.count, page.is_exact, page.total_label) == (101, False, "100+")
    assert [t.title for t in page] == [f"Task {n}" for n in range(10)]
    assert CountedPage(tasks, 10, 10, bound=100).has_next()


def test_a_late_page_reads_just_past_itself(tasks):
    page = CountedPage(tasks, 10, 12, bound=50)

    assert [t.title for t in page][:1] == ["Task 110"]
    assert page.has_next()
    # Reading to the end of the next page reached the end of the list: the total is exact.
    assert (page.is_exact, page.num_pages) == (True, 13)
    assert not CountedPage(tasks, 10, 13, bound=50).has_next()


def test_a_counted_page_past_the_end_is_the_last(tasks):
    page = CountedPage(tasks, 50, 99)

    assert (page.number, [t.title for t in page][:1], page.has_next()) == (3, ["Task 100"], False)


def test_an_empty_list_has_one_empty_page(user):
    page = CountedPage(Task.objects.for_user(user), 50)

    assert (page.count, page.number, len(page), page.has_other_pages()) == (0, 1, 0, False)


def test_a_list_page_fetches_one_row_more_and_never_counts(tasks):
    with CaptureQueriesContext(connection) as queries:
        page = ListPage(tasks, 50, 2)
        titles = [t.title for t in page]

    assert len(queries) == 1
    assert "COUNT(" not in queries[0]["sql"].upper()
    assert (titles[0], len(titles)) == ("Task 50", 50)
    assert (page.has_previous(), page.has_next()) == (True, True)


def test_the_last_list_page_has_no_next(tasks):
    page = ListPage(tasks, 50, 3)

    assert (len(page), page.has_next(), page.previous_page_number()) == (30, False, 2)


def test_a_list_page_past_the_end_is_the_first(tasks):
    page = ListPage(tasks, 50, 99)

    assert (page.number, [t.title for t in page][:1]) == (1, ["Task 0"])
