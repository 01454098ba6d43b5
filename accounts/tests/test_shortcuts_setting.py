"""The single-key shortcuts setting reaches the page, where shortcuts.js reads it."""

import re

import pytest
from django.urls import reverse

from accounts.models import Weekday

pytestmark = pytest.mark.django_db

SETTINGS = reverse("accounts:settings")
TODAY = reverse("todos:today")


def body_tag(response) -> str:
    return re.search(r"<body[^>]*>", response.content.decode()).group()


def settings_data(**overrides):
    return {
        "display_name": "Ada",
        "email": "ada@example.com",
        "timezone": "Europe/London",
        "week_start": Weekday.MONDAY,
        **overrides,
    }


def test_shortcuts_are_on_by_default_with_their_list_on_every_page(client_logged_in):
    response = client_logged_in.get(TODAY)
    assert "data-shortcuts" not in body_tag(response)
    assert 'id="shortcuts"' in response.content.decode()
    assert 'aria-labelledby="shortcuts-title"' in response.content.decode()


def test_turning_shortcuts_off_in_settings_marks_every_page(client_logged_in, user):
    # A checkbox left unticked is not sent at all.
    response = client_logged_in.post(SETTINGS, settings_data())
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.keyboard_shortcuts is False
    for url in (TODAY, SETTINGS):
        page = client_logged_in.get(url)
        assert 'data-shortcuts="off"' in body_tag(page)
        # The list stays reachable from the account menu, and says how to turn them on.
        assert "Single-key shortcuts are off." in page.content.decode()


def test_turning_shortcuts_on_again_drops_the_mark(client_logged_in, user):
    client_logged_in.post(SETTINGS, settings_data())
    client_logged_in.post(SETTINGS, settings_data(keyboard_shortcuts="on"))
    user.refresh_from_db()
    assert user.keyboard_shortcuts is True
    assert "data-shortcuts" not in body_tag(client_logged_in.get(TODAY))


def test_visitors_get_no_shortcuts(client):
    response = client.get(reverse("pages:about"))
    assert "data-shortcuts" not in body_tag(response)
    assert 'id="shortcuts"' not in response.content.decode()
    assert "shortcuts.js" not in response.content.decode()
