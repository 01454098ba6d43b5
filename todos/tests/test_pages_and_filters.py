"""Search filters, Upcoming's "later" link, the sidebar, and deleting under htmx."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from todos import services
from todos.models import Task, UndoRecord
from todos.tests.factories import ProjectFactory, TagFactory, TaskFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/today/"}


def shown_tasks(response) -> list[str]:
    """Return the titles of the task rows a page lists, in order."""
    return [
        unescape(title)
        for title in re.findall(
            r'<a class="task-title[^"]*"[^>]*>([^<]*)</a>', response.content.decode()
        )
    ]


def sidebar_links(response) -> list[str]:
    """Return the text of each sidebar link, as a screen reader reads it."""
    nav = re.search(
        r'<nav class="offcanvas-body" aria-label="Lists">.*?</nav>',
        response.content.decode(),
        re.S,
    ).group()
    return [
        " ".join(re.sub(r"<[^>]+>", " ", unescape(link)).split())
        for link in re.findall(r"<a [^>]*>(.*?)</a>", nav, re.S)
    ]


def link_to(response, text: str) -> str:
    """Return the address of the link whose text starts with `text`."""
    html = response.content.decode()
    return unescape(re.search(rf'<a [^>]*href="([^"]+)"[^>]*>\s*{re.escape(text)}', html)[1])


@pytest.fixture
def home(user):
    return ProjectFactory(owner=user, name="Home")


@pytest.fixture
def bills(user):
    return TagFactory(owner=user, name="bills")


@pytest.fixture
def tasks(user, home, bills):
    """A task for each filter to find, and two no filter may show."""
    inbox = services.ensure_inbox(user)
    today = timezone.localdate()
    now = timezone.now()
    TaskFactory(
        project=home,
        title="Overdue bill",
        due_date=today - timedelta(days=2),
        priority=1,
        tags=[bills],
    )
    TaskFactory(project=inbox, title="Due today", due_date=today, priority=2)
    TaskFactory(
        project=home, title="In six days", due_date=today + timedelta(days=6), tags=[bills]
    )
    TaskFactory(project=inbox, title="In a week", due_date=today + timedelta(days=7))
    TaskFactory(project=inbox, title="Two weeks out", due_date=today + timedelta(days=14))
    TaskFactory(project=home, title="Someday", tags=[TagFactory(owner=user, name="work")])
    TaskFactory(
        project=home,
        title="Done already",
        due_date=today,
        priority=1,
        completed_at=now,
        tags=[bills],
    )
    # Matches every filter but is in the trash, so no search shows it.
    TaskFactory(project=home, title="Trashed bill", due_date=today, priority=1, deleted_at=now)


OPEN = {"Overdue bill", "Due today", "In six days", "In a week", "Two weeks out", "Someday"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"tag": "bills"}, {"Overdue bill", "In six days"}),
        ({"due": "overdue"}, {"Overdue bill"}),
        ({"due": "today"}, {"Due today"}),
        ({"due": "week"}, {"Due today", "In six days"}),
        ({"due": "later"}, {"Two weeks out"}),
        ({"due": "none"}, {"Someday"}),
        ({"status": "open"}, OPEN),
        ({"status": "completed"}, {"Done already"}),
        ({"status": "all"}, OPEN | {"Done already"}),
        ({"priority": "1"}, {"Overdue bill"}),
        ({"project": "home"}, {"Overdue bill", "In six days", "Someday"}),
        (
            {"tag": "bills", "project": "home", "priority": "1", "status": "all"},
            {"Overdue bill", "Done already"},
        ),
        (
            {"tag": "bills", "project": "home", "priority": "1", "status": "all", "due": "today"},
            {"Done already"},
        ),
        ({"q": "bill", "status": "all"}, {"Overdue bill"}),
        ({"q": "bill", "due": "week"}, set()),
    ],
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else None
    ),
)
def test_search_filter_shows_only_the_matching_tasks(
    client_logged_in, home, bills, tasks, filters, expected
):
    objects = {"home": home.pk, "bills": bills.pk}
    params = {key: objects.get(value, value) for key, value in filters.items()}

    response = client_logged_in.get(reverse("todos:search"), params)

    assert response.status_code == 200
    assert set(shown_tasks(response)) == expected
    count = len(expected)
    assert f"{count} task{'' if count == 1 else 's'} found" in response.content.decode()


def test_search_keeps_the_chosen_filters_selected(client_logged_in, home, bills, tasks):
    response = client_logged_in.get(
        reverse("todos:search"),
        {"tag": bills.pk, "project": home.pk, "due": "week", "priority": 1, "status": "all"},
    )

    html = response.content.decode()
    for selected in ["bills", "Home", "Next 7 days", "Priority 1 (urgent)", "Any status"]:
        assert re.search(rf"<option [^>]*selected>{re.escape(selected)}</option>", html)


def test_search_finds_tasks_of_an_archived_project_it_offers_to_filter_by(client_logged_in, user):
    garden = ProjectFactory(owner=user, name="Garden", is_archived=True)
    TaskFactory(project=garden, title="Prune the roses")
    form = client_logged_in.get(reverse("todos:search"))
    assert f'<option value="{garden.pk}">Garden</option>' in form.content.decode()
    assert "Garden" not in sidebar_links(form)

    response = client_logged_in.get(reverse("todos:search"), {"project": garden.pk})

    assert shown_tasks(response) == ["Prune the roses"]
    assert f'<option value="{garden.pk}" selected>Garden</option>' in response.content.decode()


def test_search_refuses_another_users_tag(client_logged_in, other_user, tasks):
    theirs = TagFactory(owner=other_user, name="bills")
    TaskFactory(project=ProjectFactory(owner=other_user), title="Their bill", tags=[theirs])

    response = client_logged_in.get(reverse("todos:search"), {"tag": theirs.pk})

    assert response.status_code == 200
    assert shown_tasks(response) == []
    assert "Select a valid choice" in response.content.decode()


def test_search_pages_keep_the_words_and_filters(client_logged_in, home, bills):
    for n in range(55):
        TaskFactory(project=home, title=f"Pay bill {n:02d}", priority=1, tags=[bills])
    TaskFactory(project=home, title="Pay bill without the tag", priority=1)
    TaskFactory(project=home, title="Pay bill of low priority", priority=4, tags=[bills])
    wanted = {"q": ["pay bill"], "tag": [str(bills.pk)], "priority": ["1"]}

    first = client_logged_in.get(
        reverse("todos:search"), {"q": "pay bill", "tag": bills.pk, "priority": 1}
    )
    next_link = link_to(first, "Next")
    second = client_logged_in.get(reverse("todos:search") + next_link)
    previous_link = link_to(second, "Previous")

    assert "55 tasks found" in first.content.decode()
    assert parse_qs(urlsplit(next_link).query) == {**wanted, "page": ["2"]}
    assert parse_qs(urlsplit(previous_link).query) == {**wanted, "page": ["1"]}
    assert "Page 2 of 2" in second.content.decode()
    page_one, page_two = shown_tasks(first), shown_tasks(second)
    assert (len(page_one), len(page_two)) == (50, 5)
    assert set(page_one) | set(page_two) == {f"Pay bill {n:02d}" for n in range(55)}


def test_upcomings_later_link_shows_the_tasks_beyond_its_14_days(client_logged_in, user):
    inbox = services.ensure_inbox(user)
    today = timezone.localdate()
    TaskFactory(project=inbox, title="Last day shown", due_date=today + timedelta(days=13))
    TaskFactory(project=inbox, title="Just beyond", due_date=today + timedelta(days=14))
    TaskFactory(project=inbox, title="Next season", due_date=today + timedelta(days=90))
    TaskFactory(
        project=inbox,
        title="Done early",
        due_date=today + timedelta(days=30),
        completed_at=timezone.now(),
    )

    upcoming = client_logged_in.get(reverse("todos:upcoming"))
    later = client_logged_in.get(link_to(upcoming, "Later"))

    assert shown_tasks(upcoming) == ["Last day shown"]
    assert later.status_code == 200
    assert shown_tasks(later) == ["Just beyond", "Next season"]


def test_unarchiving_a_project_brings_it_back_to_the_sidebar(client_logged_in, user):
    services.ensure_inbox(user)
    project = ProjectFactory(owner=user, name="Garden", is_archived=True)
    before = client_logged_in.get(reverse("todos:project_list"))
    assert "Garden" not in sidebar_links(before)
    assert 'aria-label="Unarchive “Garden”"' in before.content.decode()

    response = client_logged_in.post(
        reverse("todos:project_archive", args=[project.pk]), {"archived": "0"}
    )

    project.refresh_from_db()
    assert not project.is_archived
    assert response.url == project.get_absolute_url()
    after = client_logged_in.get(reverse("todos:today"))
    assert "Garden" in sidebar_links(after)
    projects = client_logged_in.get(reverse("todos:project_list")).content.decode()
    assert 'aria-label="Archive “Garden”"' in projects
    assert "Archived" not in projects


def test_sidebar_counts_each_projects_open_tasks_only(client_logged_in, user, other_user):
    inbox = services.ensure_inbox(user)
    home = ProjectFactory(owner=user, name="Home")
    quiet = ProjectFactory(owner=user, name="Quiet")
    TaskFactory.create_batch(2, project=home)
    TaskFactory(project=home, completed_at=timezone.now())
    TaskFactory(project=home, deleted_at=timezone.now())
    TaskFactory(project=inbox)
    TaskFactory(project=quiet, completed_at=timezone.now())
    TaskFactory(project=quiet, deleted_at=timezone.now())
    theirs = ProjectFactory(owner=other_user, name="Home")
    TaskFactory.create_batch(5, project=theirs)
    TaskFactory.create_batch(3, project=services.ensure_inbox(other_user))

    links = sidebar_links(client_logged_in.get(reverse("todos:today")))

    assert "Inbox 1 open" in links
    assert "Home 2 open" in links
    assert "Quiet" in links
    assert not any(link.startswith("Home") and link != "Home 2 open" for link in links)


def test_deleting_under_htmx_removes_the_row_and_offers_undo(client_logged_in, user):
    task = TaskFactory(project=services.ensure_inbox(user), title="Pay rent")

    response = client_logged_in.post(reverse("todos:task_delete", args=[task.pk]), **HTMX)

    html = response.content.decode()
    task.refresh_from_db()
    assert response.status_code == 200
    assert task.is_deleted
    # The row's outerHTML is swapped for what is left once the out-of-band message is out:
    # nothing, so the row disappears.
    messages = re.search(
        r'<div id="messages"[^>]*data-hx-swap-oob="innerHTML"[^>]*>.*</div>', html, re.S
    )
    assert messages
    assert html.replace(messages.group(), "").strip() == ""
    assert f'id="task-{task.pk}"' not in html
    assert "Moved “Pay rent” to the trash." in html
    undo = re.search(r'<form method="post" action="([^"]+)".*?</form>', messages.group(), re.S)
    assert undo[1] == reverse("todos:undo", args=[UndoRecord.objects.get().pk])
    assert 'name="next" value="/today/"' in undo.group()
    assert ">Undo</button>" in undo.group()


def test_the_undo_offered_under_htmx_restores_the_task_and_returns_to_the_page(
    client_logged_in, user
):
    task = TaskFactory(project=services.ensure_inbox(user), title="Pay rent", due_date=None)
    client_logged_in.post(reverse("todos:task_delete", args=[task.pk]), **HTMX)

    response = client_logged_in.post(
        reverse("todos:undo", args=[UndoRecord.objects.get().pk]), {"next": "/today/"}
    )

    task.refresh_from_db()
    assert not task.is_deleted
    assert response.url == "/today/"
    assert Task.objects.trash_for(user).count() == 0


def test_the_htmx_delete_message_is_not_shown_again_on_the_next_page(client_logged_in, user):
    task = TaskFactory(project=services.ensure_inbox(user), title="Pay rent")
    client_logged_in.post(reverse("todos:task_delete", args=[task.pk]), **HTMX)

    page = client_logged_in.get(reverse("todos:today")).content.decode()

    assert "Moved “Pay rent” to the trash." not in page


def test_a_project_with_more_than_99_open_tasks_shows_99_plus(client_logged_in, user):
    busy = ProjectFactory(owner=user, name="Busy")
    Task.objects.bulk_create(
        Task(owner=user, project=busy, title=f"Task {n}", position=n) for n in range(120)
    )

    html = client_logged_in.get(reverse("todos:today")).content.decode()

    assert re.search(r"Busy</span><span[^>]*>99\+<span", html)


@pytest.mark.parametrize(
    ("done", "summary", "link"), [(3, "Completed (3)", False), (21, "Completed (20+)", True)]
)
def test_the_collapsed_completed_list_says_when_there_are_more(
    client_logged_in, user, done, summary, link
):
    home = ProjectFactory(owner=user, name="Home")
    Task.objects.bulk_create(
        Task(owner=user, project=home, title=f"Done {n}", position=n, completed_at=timezone.now())
        for n in range(done)
    )

    html = client_logged_in.get(home.get_absolute_url()).content.decode()

    assert f"<summary>{summary}</summary>" in html
    assert html.count("Reopen “Done") == min(done, 20)
    assert ("All completed tasks" in html) is link
