"""A row the server returns for htmx is exactly the row the page shows in that list."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from todos import services
from todos.tests.factories import ProjectFactory, TagFactory, TaskFactory

pytestmark = pytest.mark.django_db


def row_of(html: str, pk: int) -> str | None:
    found = re.search(rf'<li id="task-{pk}".*?</li>', html, re.S)
    return found.group() if found else None


@pytest.fixture
def lists(user):
    """One task in each kind of list, and the page that lists it: (url, task)."""
    today = timezone.localdate()
    inbox = services.ensure_inbox(user)
    home = ProjectFactory(owner=user, name="Home", colour="green")
    bills = TagFactory(owner=user, name="bills")
    parent = TaskFactory(project=home, title="Move house")
    TaskFactory(project=home, title="Pack books", parent=parent)
    return {
        "today": (reverse("todos:today"), TaskFactory(project=home, due_date=today)),
        "overdue": (
            reverse("todos:today"),
            TaskFactory(project=home, due_date=today - timedelta(days=3)),
        ),
        "upcoming": (
            reverse("todos:upcoming"),
            TaskFactory(project=inbox, due_date=today + timedelta(days=2), priority=1),
        ),
        "inbox": (reverse("todos:inbox"), TaskFactory(project=inbox, tags=[bills])),
        "project": (home.get_absolute_url(), parent),
        "tag": (bills.get_absolute_url(), TaskFactory(project=home, tags=[bills])),
        "completed": (
            reverse("todos:completed"),
            TaskFactory(project=home, completed_at=timezone.now()),
        ),
        "search": (
            reverse("todos:search") + "?q=Findme&status=all",
            TaskFactory(project=home, title="Findme"),
        ),
        "sub-tasks": (
            parent.get_absolute_url(),
            TaskFactory(project=home, parent=parent, title="Label boxes"),
        ),
    }


def toggle(client, page: str, task, completed: bool) -> str:
    response = client.post(
        reverse("todos:task_toggle", args=[task.pk]),
        {"completed": "1" if completed else "0"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{page}",
    )
    assert response.status_code == 200
    return row_of(response.content.decode(), task.pk)


@pytest.mark.parametrize(
    "kind",
    [
        "today",
        "overdue",
        "upcoming",
        "inbox",
        "project",
        "tag",
        "completed",
        "search",
        "sub-tasks",
    ],
)
def test_a_toggled_row_is_the_row_its_page_shows(client_logged_in, lists, kind):
    page, task = lists[kind]
    before = row_of(client_logged_in.get(page).content.decode(), task.pk)
    assert before, f"{kind}: the task is not on its page"

    changed = toggle(client_logged_in, page, task, completed=not task.is_completed)
    shown = row_of(client_logged_in.get(page).content.decode(), task.pk)
    back = toggle(client_logged_in, page, task, completed=task.is_completed)

    if shown is not None:  # a list of open (or done) tasks drops it on reload
        assert changed == shown
    assert back == before


# Each page's quick-add box: what its hidden fields say, and a line that joins its list.
QUICK_ADD_LINES = {
    "today": {"view": "today", "text": "Call mum"},
    "upcoming": {"view": "upcoming", "text": "Dentist in 2 days"},
    "inbox": {"project": "inbox", "text": "Read a book"},
    "project": {"project": "home", "text": "Buy paint p2"},
    "tag": {"tag": "bills", "text": "Pay water"},
    "sub-tasks": {"parent": "parent", "text": "Label boxes"},
}


@pytest.mark.parametrize("kind", QUICK_ADD_LINES)
def test_a_quick_added_row_is_the_row_its_page_shows(client_logged_in, user, kind):
    objects = {
        "inbox": services.ensure_inbox(user),
        "home": ProjectFactory(owner=user, name="Home"),
        "bills": TagFactory(owner=user, name="bills"),
    }
    objects["parent"] = TaskFactory(project=objects["home"], title="Move house")
    pages = {
        "today": reverse("todos:today"),
        "upcoming": reverse("todos:upcoming"),
        "inbox": reverse("todos:inbox"),
        "project": objects["home"].get_absolute_url(),
        "tag": objects["bills"].get_absolute_url(),
        "sub-tasks": objects["parent"].get_absolute_url(),
    }
    fields = {
        name: objects[value].pk if value in objects else value
        for name, value in QUICK_ADD_LINES[kind].items()
    }

    response = client_logged_in.post(
        reverse("todos:quick_add"),
        fields,
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{pages[kind]}",
    )

    html = response.content.decode()
    added = re.search(r'<ul data-hx-swap-oob="beforeend:[^"]+">(.*?)</ul>', html, re.S)
    assert added, f"{kind}: the new row was not sent to the list"
    pk = int(re.search(r'<li id="task-(\d+)"', added.group(1)).group(1))
    page = client_logged_in.get(pages[kind]).content.decode()
    assert row_of(added.group(1), pk) == row_of(page, pk)


def test_the_sidebar_counts_come_back_with_an_htmx_write(client_logged_in, user):
    home = ProjectFactory(owner=user, name="Home")
    tasks = TaskFactory.create_batch(3, project=home)
    client_logged_in.get(home.get_absolute_url())  # the sidebar is cached with 3 open

    html = client_logged_in.post(
        reverse("todos:task_toggle", args=[tasks[0].pk]),
        {"completed": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{home.get_absolute_url()}",
    ).content.decode()

    sidebar = re.search(r'<div id="sidebar-lists" data-hx-swap-oob="true">.*', html, re.S).group()
    assert re.search(r"Home</span><span[^>]*>2<", sidebar)
    # It still marks the page the person is on, not the action's URL.
    assert f'is-current" aria-current="page" href="{home.get_absolute_url()}"' in sidebar


def test_the_added_confirmation_shows_when_the_task_joins_the_list_in_view(client_logged_in):
    html = client_logged_in.post(
        reverse("todos:quick_add"),
        {"text": "Call mum today", "view": "today"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/today/",
    ).content.decode()

    status = re.search(r'<div class="quick-add-status" role="status">(.*?)</div>', html, re.S)
    assert "Added" in status.group(1)
    assert "visually-hidden" not in status.group()
