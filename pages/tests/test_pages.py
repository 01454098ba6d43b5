import re
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import permission_denied, server_error

from django_project.tests.test_security import FEEDS, PUBLIC, named_urls, url_of
from reminders import links, schedule
from reminders.models import Notification
from tests.html import html_errors
from todos import services
from todos.tests.factories import (
    CommentFactory,
    ProjectFactory,
    TagFactory,
    TaskFactory,
    integration_objects,
    sharing_objects,
)

pytestmark = pytest.mark.django_db

PAGES = [
    ("pages:home", "Your to-do list, on your own server · Ticklist", "Get things off your mind"),
    ("pages:about", "About · Ticklist", "About Ticklist"),
]


def headings(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s+", " ", h).strip()
        for h in re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    ]


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


@pytest.mark.parametrize(("name", "expected_title", "expected_h1"), PAGES)
def test_page_renders_with_its_title_and_one_heading(client, name, expected_title, expected_h1):
    response = client.get(reverse(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert title(html) == expected_title
    assert headings(html) == [expected_h1]
    assert 'href="#main"' in html


def test_home_invites_visitors_and_explains_quick_add(client):
    response = client.get(reverse("pages:home"))

    assert "Pay rent tomorrow 9am p1 #Home @bills" in response.content.decode()


@pytest.fixture
def objects(user):
    """Some of everything a page can show, named so no two pages share a title by chance."""
    inbox = services.ensure_inbox(user)
    project = ProjectFactory(owner=user, name="Home")
    tag = TagFactory(owner=user, name="bills")
    today = timezone.localdate()
    task = TaskFactory(project=project, title="Pay rent", due_date=today, priority=1, tags=[tag])
    TaskFactory(project=project, parent=task, title="Find the bank details")
    TaskFactory(project=inbox, title="Late", due_date=today - timedelta(days=2))
    TaskFactory(project=inbox, title="Soon", due_date=today + timedelta(days=3))
    TaskFactory(project=project, title="Done", completed_at=timezone.now(), tags=[tag])
    ProjectFactory(owner=user, name="Old plans", is_archived=True)
    trashed = TaskFactory(project=project, title="Gone", deleted_at=timezone.now())
    undo = services.trash(TaskFactory(project=inbox, title="Oops"), now=timezone.now()).undo
    reminder = schedule.add(task, at=timezone.now())
    notification = Notification.objects.create(
        user=user, task=task, reminder=reminder, title=task.title, due_at=timezone.now()
    )
    return {
        "project": project,
        "tag": tag,
        "task": task,
        "trashed": trashed,
        "undo": undo,
        "reminder": reminder,
        "action_token": links.token_for(notification, "10m"),
        "comment": CommentFactory(task=task, author=user, body="Ask the bank first"),
        **sharing_objects(user),
        **integration_objects(user),
    }


def html_pages(client, objects) -> tuple[dict[str, str], dict[str, str]]:
    """GET every named URL; return the HTML of those that answer 200, and what the rest did."""
    pages, others = {}, {}
    for name, pattern in dict(named_urls()).items():
        response = client.get(url_of(name, pattern, objects))
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[name] = response.content.decode()
        elif response.status_code == 302:
            others[name] = f"redirect to {response.url}"
        else:
            others[name] = f"{response.status_code} {response['Content-Type']}"
    return pages, others


def assert_one_heading_and_an_own_title(pages: dict[str, str]) -> None:
    titles = {}
    for name, html in pages.items():
        assert len(headings(html)) == 1, f"{name} has h1s {headings(html)}"
        assert title(html).endswith(" · Ticklist"), name
        titles[name] = title(html).removesuffix(" · Ticklist").strip()
        assert titles[name] not in {"", "Ticklist"}, f"{name} has no title of its own"
    shared = {t for t in titles.values() if list(titles.values()).count(t) > 1}
    assert shared == set(), {n: t for n, t in titles.items() if t in shared}


def test_every_page_for_a_signed_in_user_has_one_heading_and_its_own_title(
    client_logged_in, objects
):
    pages, others = html_pages(client_logged_in, objects)

    assert_one_heading_and_an_own_title(pages)
    # Nothing fell out of the walk by failing: the rest are POST-only, JSON, calendars,
    # or pages for visitors that send a signed-in user to Today.
    assert {
        name: outcome
        for name, outcome in others.items()
        if not outcome.startswith("405")
        and outcome != "redirect to /today/"
        and name not in {"pages:healthz", "reminders:service_worker", "api:schema", "api:me"}
        # Without ?to= naming a member, handing over goes back to the members page.
        and not (name == "todos:project_hand_over" and "/members/" in outcome)
        and not (name in FEEDS and outcome.startswith("200 text/calendar"))
    } == {}
    assert {"todos:today", "todos:task_detail", "todos:task_purge", "accounts:settings"} <= set(
        pages
    )


def test_every_public_page_for_a_visitor_has_one_heading_and_its_own_title(client, objects):
    pages, others = html_pages(client, objects)

    assert_one_heading_and_an_own_title(pages)
    assert set(pages) == PUBLIC - {
        "pages:healthz",
        "accounts:theme",
        "reminders:service_worker",
        "api:schema",
        *FEEDS,
    }
    assert {
        name: outcome.split()[0]
        for name, outcome in others.items()
        if not outcome.startswith("redirect to /accounts/login/?next=")
    } == {
        "pages:healthz": "200",
        "accounts:theme": "405",
        "reminders:service_worker": "200",
        "api:schema": "200",
        "api:me": "401",
    } | dict.fromkeys(FEEDS, "200")


def test_unknown_address_is_a_404_in_the_site_shell(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert title(html) == "Page not found · Ticklist"
    assert headings(html) == ["Page not found"]
    assert 'aria-label="Main"' in html


def test_server_error_page_renders_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert title(html) == "Server error · Ticklist"
    assert headings(html) == ["Something went wrong"]


def test_permission_denied_page_uses_the_shell():
    response = permission_denied(RequestFactory().get("/"), exception=None)

    assert response.status_code == 403
    assert headings(response.content.decode()) == ["Access denied"]


def test_public_pages_are_valid_html(client, java):
    documents = {name: client.get(reverse(name)).content.decode() for name, _, _ in PAGES}
    documents["404"] = client.get("/no-such-page/").content.decode()
    documents["403"] = permission_denied(
        RequestFactory().get("/"), exception=None
    ).content.decode()
    documents["500"] = server_error(RequestFactory().get("/")).content.decode()

    assert html_errors(java, documents) == []


def test_healthz_answers_ok_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("pages:healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    def refuse_connection():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse_connection)

    response = client.get(reverse("pages:healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable", "cache": "ok"}


def test_healthz_refuses_post(client):
    assert client.post(reverse("pages:healthz")).status_code == 405


def main_nav(html: str) -> str:
    return re.search(r'<header class="topbar">.*?</header>', html, re.S).group()


def test_the_menu_marks_the_page_you_are_on(client_logged_in):
    marked = {
        reverse("todos:today"): [],  # the sidebar marks the lists
        reverse("accounts:settings"): [reverse("accounts:settings")],
        reverse("pages:about"): [reverse("pages:about")],
    }

    for _ in range(2):  # the second round is served from the cache
        for url, expected in marked.items():
            nav = main_nav(client_logged_in.get(url).content.decode())
            assert re.findall(r'href="([^"]+)"(?: [^>]*)? aria-current="page"', nav) == expected


def test_the_sign_out_token_is_never_served_from_the_cache(client_logged_in):
    def token() -> str:
        nav = main_nav(client_logged_in.get(reverse("todos:today")).content.decode())
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', nav)[1]

    # Each response masks the token anew; a cached menu would repeat the first one.
    assert token() != token()


def test_the_menu_shows_a_new_display_name_at_once_and_only_to_its_owner(
    client_logged_in, client, other_user
):
    assert "ada" in main_nav(client_logged_in.get(reverse("todos:today")).content.decode())

    client_logged_in.post(
        reverse("accounts:settings"),
        {"display_name": "Ada L.", "email": "ada@example.com", "timezone": "UTC", "week_start": 0},
    )

    assert "Ada L." in main_nav(client_logged_in.get(reverse("todos:today")).content.decode())
    client.force_login(other_user)
    assert "Ada L." not in main_nav(client.get(reverse("todos:today")).content.decode())
