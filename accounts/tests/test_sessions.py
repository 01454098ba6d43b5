"""Sessions read with their user: one query signs a request in, nothing kept between requests."""

from importlib import import_module

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session as DjangoSession
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.middleware import get_user
from accounts.models import Session
from accounts.sessions import SessionStore
from accounts.tests.factories import PASSWORD, UserFactory

carry_over = import_module("accounts.migrations.0010_sessions_with_their_user").carry_sessions_over


def request_with(client):
    """Return a bare request carrying the session the test client signed in with."""
    request = RequestFactory().get("/")
    request.session = SessionStore(client.cookies["sessionid"].value)
    return request


def test_a_request_is_signed_in_with_a_single_query(client, user, django_assert_num_queries):
    client.force_login(user)
    request = request_with(client)

    with django_assert_num_queries(1) as captured:
        assert get_user(request) == user

    assert 'JOIN "accounts_user"' in captured.captured_queries[0]["sql"]


def test_the_session_row_names_its_account_once_signed_in(client, user):
    response = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})

    assert response.status_code == 302
    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    assert session.user == user


def test_a_deactivated_account_is_signed_out_on_its_next_request(client, user):
    client.force_login(user)
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)

    response = client.get(reverse("todos:today"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_password_changed_elsewhere_ends_the_session(client, user):
    client.force_login(user)
    elsewhere = get_user_model().objects.get(pk=user.pk)
    elsewhere.set_password("another long passphrase 7")
    elsewhere.save()
    request = request_with(client)

    assert not get_user(request).is_authenticated
    assert not Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()


def test_each_session_brings_its_own_account(client, user):
    other = UserFactory(username="grace")
    client.force_login(user)
    mine = request_with(client)
    second = Client()
    second.force_login(other)
    theirs = request_with(second)

    assert get_user(mine) == user
    assert get_user(theirs) == other


def test_a_row_naming_another_account_than_its_data_signs_in_the_data_s_account(client, user):
    other = UserFactory(username="grace")
    client.force_login(user)
    Session.objects.filter(session_key=client.cookies["sessionid"].value).update(user=other)

    assert get_user(request_with(client)) == user


def test_deleting_an_account_deletes_its_sessions(client, user):
    client.force_login(user)
    user.delete()

    assert not Session.objects.exists()
    assert client.get(reverse("todos:today")).status_code == 302


def test_an_expired_session_signs_nobody_in(client, user):
    client.force_login(user)
    Session.objects.update(expire_date="2000-01-01T00:00:00Z")

    assert not get_user(request_with(client)).is_authenticated


def test_the_upgrade_carries_live_sessions_over_with_their_account(client, user):
    from django.apps import apps

    old = DjangoSessionStore()
    old[SESSION_KEY] = str(user.pk)
    old.create()
    anonymous = DjangoSessionStore()
    anonymous["theme"] = "dark"
    anonymous.create()

    carry_over(apps, None)

    assert not DjangoSession.objects.exists()
    carried = {s.session_key: s.user_id for s in Session.objects.all()}
    assert carried == {old.session_key: user.pk, anonymous.session_key: None}
    assert SessionStore(old.session_key)[SESSION_KEY] == str(user.pk)
