"""The theme: chosen in Settings or the menus, drawn by the server, without JavaScript."""

import pytest
from django.urls import reverse

from accounts.models import Theme, User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

THEME = reverse("accounts:theme")
TODAY = reverse("todos:today")


def html_tag(response) -> str:
    return response.content.decode().split("<head>", 1)[0]


def test_a_person_on_the_system_theme_gets_no_theme_attribute_so_the_device_decides(
    client_logged_in,
):
    page = html_tag(client_logged_in.get(TODAY))

    assert "<html" in page
    assert "data-bs-theme" not in page


@pytest.mark.parametrize("choice", [Theme.LIGHT, Theme.DARK])
def test_a_chosen_theme_is_drawn_by_the_server(client, choice):
    user = UserFactory(theme=choice)
    client.force_login(user)

    assert f'data-bs-theme="{choice}"' in html_tag(client.get(TODAY))


def test_choosing_dark_from_the_menu_saves_it_and_returns_to_the_page(client_logged_in, user):
    response = client_logged_in.post(THEME, {"theme": "dark", "next": "/upcoming/?x=1"})

    assert response.status_code == 303
    assert response["Location"] == "/upcoming/?x=1"
    assert User.objects.get(pk=user.pk).theme == Theme.DARK
    assert 'data-bs-theme="dark"' in html_tag(client_logged_in.get(TODAY))
    menu = client_logged_in.get(TODAY).content.decode()
    assert 'value="dark" class="theme-choice" aria-pressed="true"' in menu


def test_under_htmx_the_choice_is_saved_and_nothing_is_swapped(client_logged_in, user):
    response = client_logged_in.post(THEME, {"theme": "light"}, headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert User.objects.get(pk=user.pk).theme == Theme.LIGHT


def test_a_visitor_s_choice_is_kept_in_a_cookie(client):
    response = client.post(THEME, {"theme": "dark", "next": "/about/"})

    assert response.status_code == 303
    assert response.cookies["theme"].value == "dark"
    assert response.cookies["theme"]["httponly"]
    assert 'data-bs-theme="dark"' in html_tag(client.get(reverse("pages:about")))
    assert 'data-bs-theme="dark"' in html_tag(client.get(reverse("login")))


def test_the_account_s_theme_wins_over_a_cookie_left_from_a_visit(client):
    client.cookies["theme"] = "dark"
    client.force_login(UserFactory(theme=Theme.LIGHT))

    assert 'data-bs-theme="light"' in html_tag(client.get(TODAY))


@pytest.mark.parametrize("value", ["", "purple", "dark\x00", "x" * 5000])
def test_a_theme_that_does_not_exist_changes_nothing_and_says_so(client_logged_in, user, value):
    response = client_logged_in.post(THEME, {"theme": value}, follow=True)

    assert response.status_code == 200
    assert "Choose a theme" in response.content.decode()
    assert User.objects.get(pk=user.pk).theme == Theme.SYSTEM
    assert "theme" not in response.client.cookies


def test_a_forged_cookie_is_ignored(client):
    client.cookies["theme"] = '"><script>'

    assert "data-bs-theme" not in html_tag(client.get(reverse("pages:about")))


def test_an_offsite_next_goes_home_instead(client):
    response = client.post(THEME, {"theme": "light", "next": "https://evil.example/"})

    assert response["Location"] == reverse("pages:home")


def test_the_page_can_only_be_posted_to(client_logged_in):
    assert client_logged_in.get(THEME).status_code == 405


def test_pages_are_sent_compressed_to_browsers_that_ask(client_logged_in):
    response = client_logged_in.get(TODAY, headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
