import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")
LOGIN = reverse("login")
LOGOUT = reverse("logout")
HOME = reverse("pages:home")
TODAY = reverse("todos:today")
STRONG = "plum-violin-harbour-42"


def signup_data(**overrides):
    return {
        "username": "grace",
        "email": "grace@example.com",
        "password1": STRONG,
        "password2": STRONG,
        **overrides,
    }


def signed_in_username(client) -> str | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk).username if pk else None


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_signup_creates_the_account_signs_in_and_welcomes(client):
    response = client.post(SIGNUP, signup_data(timezone="Europe/Paris"))

    assert response.status_code == 302
    assert response.url == TODAY
    user = User.objects.get(username="grace")
    assert user.timezone == "Europe/Paris"
    assert user.password.startswith("md5$")  # hashed, never stored as typed
    assert signed_in_username(client) == "grace"
    assert messages_of(response) == [
        "Welcome to Ticklist, grace! We sent a link to grace@example.com to confirm your address."
    ]


def test_signup_keeps_the_address_waiting_until_its_link_is_opened(client):
    client.post(SIGNUP, signup_data(email="Grace@Example.COM"))

    user = User.objects.get(username="grace")
    assert (user.email, user.pending_email) == ("", "Grace@example.com")
    (message,) = mail.outbox
    assert message.to == ["Grace@example.com"]
    assert message.subject == "Confirm your email address for Ticklist"
    assert "http://testserver/accounts/email/confirm/" in message.body


def test_signup_with_a_taken_address_looks_the_same_and_tells_its_owner(client, user):
    response = client.post(SIGNUP, signup_data(email="ADA@example.COM"))

    assert response.status_code == 302
    assert response.url == TODAY
    assert signed_in_username(client) == "grace"
    assert messages_of(response) == [
        "Welcome to Ticklist, grace! We sent a link to ADA@example.com to confirm your address."
    ]
    grace = User.objects.get(username="grace")
    assert (grace.email, grace.pending_email) == ("", "ADA@example.com")
    user.refresh_from_db()
    assert user.email == "ada@example.com"
    # No link to take the address over: its owner hears of the attempt instead.
    (message,) = mail.outbox
    assert message.to == ["ada@example.com"]
    assert message.subject == "Someone tried to use your address on Ticklist"
    assert "sign up for a new Ticklist account" in message.body
    assert "/accounts/email/confirm/" not in message.body


def test_signup_pages_for_a_free_and_a_taken_address_are_the_same(client, user):
    free = client.post(SIGNUP, signup_data(username="grace", email="grace@example.com"))
    today_after_free = client.get(free.url).content.decode()
    client.post(LOGOUT, follow=True)
    taken = client.post(SIGNUP, signup_data(username="linus", email="ada@example.com"))
    today_after_taken = client.get(taken.url).content.decode()

    assert (free.status_code, free.url) == (taken.status_code, taken.url)
    normalised = today_after_taken.replace("linus", "grace").replace("ada@", "grace@")
    assert strip_tokens(normalised) == strip_tokens(today_after_free)


def strip_tokens(html: str) -> str:
    """Blank out what differs on every response (CSRF tokens, CSP nonces) and between accounts (ids)."""
    html = re.sub(r"[\w-]{20,}", "TOKEN", html)
    return re.sub(r'value="\d+"', 'value="ID"', html)


@pytest.mark.parametrize("username", ["V@x.com", "ada@home", "@ada", "grace@"])
def test_signup_refuses_a_username_with_an_at_sign(client, username):
    response = client.post(SIGNUP, signup_data(username=username))

    assert response.status_code == 200
    (error,) = response.context["form"].errors["username"]
    assert "cannot contain “@”" in error
    assert f'value="{username}"' in response.content.decode()
    assert not User.objects.exists()


def test_signup_refuses_a_username_taken_in_another_case(client, user):
    response = client.post(SIGNUP, signup_data(username="ADA"))

    assert "username" in response.context["form"].errors
    assert User.objects.filter(username__iexact="ada").count() == 1


def test_signup_refuses_a_weak_password(client):
    response = client.post(SIGNUP, signup_data(password1="password", password2="password"))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["password2"])
    assert "too common" in errors
    assert not User.objects.filter(username="grace").exists()


def test_signup_fields_have_the_right_autocomplete(client):
    html = client.get(SIGNUP).content.decode()

    assert 'autocomplete="username"' in html
    assert 'autocomplete="email"' in html
    assert html.count('autocomplete="new-password"') == 2


@pytest.mark.parametrize("url", [SIGNUP, LOGIN])
def test_signed_in_people_are_sent_on_from_signup_and_login(client_logged_in, url):
    response = client_logged_in.get(url)

    assert response.status_code == 302
    assert response.url == TODAY


@pytest.mark.parametrize("name", ["ada", "ADA", "ada@example.com", "Ada@Example.COM"])
def test_sign_in_with_username_or_email_in_any_case(client, user, name):
    response = client.post(LOGIN, {"username": name, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == TODAY
    assert signed_in_username(client) == "ada"


def test_a_username_like_someones_email_cannot_take_over_their_sign_in(client, user):
    # An account from before usernames refused "@", named like ada's address.
    UserFactory(username="ADA@example.com", email="mallory@example.com", password="taken over")

    response = client.post(LOGIN, {"username": "ada@example.com", "password": PASSWORD})

    assert response.url == TODAY
    assert signed_in_username(client) == "ada"


def test_an_address_waiting_for_confirmation_does_not_sign_in(client):
    UserFactory(username="grace", email="", pending_email="grace@example.com")

    by_email = client.post(LOGIN, {"username": "grace@example.com", "password": PASSWORD})
    assert by_email.status_code == 200
    assert "works once it is confirmed" in by_email.content.decode()
    by_name = client.post(LOGIN, {"username": "grace", "password": PASSWORD})
    assert by_name.url == TODAY


def test_wrong_password_is_refused_and_keeps_the_username(client, user):
    response = client.post(LOGIN, {"username": "ada", "password": "not it"})

    assert response.status_code == 200
    assert signed_in_username(client) is None
    html = response.content.decode()
    assert "do not match an account" in html
    assert 'value="ada"' in html
    assert 'autocomplete="current-password"' in html


def test_inactive_account_cannot_sign_in(client, user):
    user.is_active = False
    user.save(update_fields=["is_active"])

    client.post(LOGIN, {"username": "ada", "password": PASSWORD})

    assert signed_in_username(client) is None


def test_without_remember_me_the_session_ends_with_the_browser(client, user):
    client.post(LOGIN, {"username": "ada", "password": PASSWORD})

    assert client.session.get_expire_at_browser_close() is True


def test_remember_me_keeps_the_session(client, user):
    client.post(LOGIN, {"username": "ada", "password": PASSWORD, "remember_me": "on"})

    assert client.session.get_expire_at_browser_close() is False


def test_sign_in_follows_a_local_next(client, user):
    response = client.post(LOGIN + "?next=/about/", {"username": "ada", "password": PASSWORD})

    assert response.url == "/about/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "https:/evil.example"]
)
def test_sign_in_ignores_an_external_next(client, user, next_url):
    response = client.post(LOGIN, {"username": "ada", "password": PASSWORD, "next": next_url})

    assert response.status_code == 302
    assert response.url == TODAY


def test_sign_out_needs_post(client_logged_in):
    assert client_logged_in.get(LOGOUT).status_code == 405
    assert signed_in_username(client_logged_in) == "ada"


def test_sign_out_ends_the_session(client_logged_in):
    response = client_logged_in.post(LOGOUT)

    assert response.url == HOME
    assert signed_in_username(client_logged_in) is None
    assert messages_of(response) == ["You have signed out."]


def test_home_sends_the_signed_in_to_today(client_logged_in):
    assert client_logged_in.get(HOME).url == TODAY


def test_navbar_shows_account_links_to_the_signed_in(client_logged_in):
    html = client_logged_in.get(reverse("pages:about")).content.decode()

    assert reverse("accounts:settings") in html
    assert f'action="{LOGOUT}"' in html
    assert SIGNUP not in html


def test_navbar_invites_visitors_to_sign_up(client):
    html = client.get(HOME).content.decode()

    assert SIGNUP in html
    assert LOGIN in html
    assert LOGOUT not in html
