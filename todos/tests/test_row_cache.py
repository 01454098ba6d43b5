"""Task rows are rendered once and reused until something they show changes."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from todos import services
from todos.memo import Memo
from todos.models import Task
from todos.rows import drawn as rendered_rows
from todos.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

TODAY = reverse("todos:today")


@pytest.fixture
def home(user):
    return ProjectFactory(owner=user, name="Home", colour="green")


@pytest.fixture
def rent(user, home):
    return services.create_task(
        owner=user, project=home, title="Pay rent", due_date=timezone.localdate()
    )


def cached_rows() -> int:
    return len(rendered_rows)


def page(client, url=TODAY) -> str:
    return client.get(url).content.decode()


def row_of(html: str, task) -> str:
    return re.search(rf'<li id="task-{task.pk}".*?</li>', html, re.DOTALL).group(0)


def test_rows_of_a_page_are_kept_for_the_next_view(client_logged_in, rent):
    first = page(client_logged_in)

    assert cached_rows() == 1
    assert row_of(page(client_logged_in), rent) == row_of(first, rent)
    # The row holds only the task's own data: no token, no nonce.
    assert "csrf" not in row_of(first, rent)
    assert "nonce" not in row_of(first, rent)


def test_an_edit_shows_at_once(client_logged_in, home, rent):
    page(client_logged_in)

    client_logged_in.post(
        reverse("todos:task_update", args=[rent.pk]),
        {
            "title": "Pay the rent",
            "project": home.pk,
            "priority": 1,
            "version": rent.version,
            "due_date": rent.due_date.isoformat(),
        },
    )

    html = page(client_logged_in)
    assert "Pay the rent" in html
    assert "P1" in html


def test_renaming_the_project_shows_in_its_tasks_rows(client_logged_in, home, rent):
    assert "Home</a>" in page(client_logged_in)

    client_logged_in.post(
        reverse("todos:project_update", args=[home.pk]),
        {"name": "House", "colour": "red", "version": home.version},
    )

    html = page(client_logged_in)
    assert "House</a>" in html
    assert "swatch-red" in html


def test_sub_task_progress_follows_its_sub_tasks(client_logged_in, user, rent):
    first = services.create_task(owner=user, project=rent.project, title="Find IBAN", parent=rent)
    services.create_task(owner=user, project=rent.project, title="Transfer", parent=rent)
    assert "0/2" in page(client_logged_in)

    services.set_completed(first, True, now=timezone.now())

    assert "1/2" in page(client_logged_in)


def test_one_task_has_the_row_each_page_needs(client_logged_in, home, rent):
    today = page(client_logged_in)
    project = page(client_logged_in, home.get_absolute_url())

    assert f'id="move-up-{rent.pk}"' not in today
    assert f'id="move-up-{rent.pk}"' in project
    assert Task.objects.get(pk=rent.pk).project.name in today
    assert cached_rows() == 2


def test_the_least_recently_shown_rows_make_room_first():
    rows = Memo(2)
    rows.set_many({"a": "<li>a</li>", "b": "<li>b</li>"})
    rows.get_many(["a"])  # shown again: now the most recent

    rows.set_many({"c": "<li>c</li>"})

    assert rows.get_many(["a", "b", "c"]) == {"a": "<li>a</li>", "c": "<li>c</li>"}
