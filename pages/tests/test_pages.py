import re

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import permission_denied, server_error

from tests.html import html_errors

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
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    def refuse_connection():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse_connection)

    response = client.get(reverse("pages:healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "error"}


def test_healthz_refuses_post(client):
    assert client.post(reverse("pages:healthz")).status_code == 405
