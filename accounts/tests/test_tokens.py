"""Personal access tokens: made on the Settings page, shown once, and ended at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import tokens
from accounts.models import AccessToken
from accounts.tests.factories import UserFactory

ME = "/api/v1/me/"


def api(secret: str | None = None) -> APIClient:
    client = APIClient()
    if secret:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_token_made_on_the_page_is_shown_once_and_works(client_logged_in, user):
    response = client_logged_in.post(
        reverse("accounts:tokens"),
        {"name": "Phone", "scope": "write", "lifetime": "30", "ends_with_password": "on"},
    )
    assert response.status_code == 302
    page = client_logged_in.get(response["Location"])
    secret = page.context["new_token"]["secret"]
    assert secret.startswith("tl_")
    assert secret in page.content.decode()

    token = AccessToken.objects.get(owner=user)
    assert (token.name, token.scope) == ("Phone", "write")
    assert secret not in (token.digest, token.prefix)
    assert token.digest == tokens.digest_of(secret)
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)

    again = client_logged_in.get(reverse("accounts:tokens")).content.decode()
    assert secret not in again
    assert "Phone" in again
    assert token.prefix in again
    assert api(secret).get(ME).json()["username"] == user.username


def test_a_name_used_twice_is_refused_beside_the_field(client_logged_in, user):
    tokens.create(owner=user, name="Phone")
    response = client_logged_in.post(
        reverse("accounts:tokens"), {"name": "phone", "scope": "read", "lifetime": "never"}
    )
    assert response.status_code == 200
    assert "You already have a token with this name." in response.content.decode()
    assert 'value="phone"' in response.content.decode()
    assert AccessToken.objects.filter(owner=user).count() == 1


def test_revoking_asks_first_and_ends_the_token_at_once(client_logged_in, user):
    token, secret = tokens.create(owner=user, name="Script")
    assert api(secret).get(ME).status_code == 200
    url = reverse("accounts:token_revoke", args=[token.pk])

    confirm = client_logged_in.get(url)
    assert "Revoke “Script”?" in confirm.content.decode()
    assert AccessToken.objects.filter(pk=token.pk).exists()

    assert client_logged_in.post(url).status_code == 302
    assert not AccessToken.objects.filter(pk=token.pk).exists()
    response = api(secret).get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response["Content-Type"] == "application/problem+json"


def test_another_persons_token_cannot_be_revoked(client_logged_in, other_user):
    token, secret = tokens.create(owner=other_user, name="Theirs")
    assert (
        client_logged_in.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    )
    assert api(secret).get(ME).status_code == 200


def test_a_new_password_ends_the_tokens_that_asked_for_it(user):
    _, ending_secret = tokens.create(owner=user, name="Ends")
    _, kept_secret = tokens.create(owner=user, name="Kept", ends_with_password=False)
    user.set_password("a whole new passphrase")
    user.save()
    assert api(ending_secret).get(ME).status_code == 401
    assert api(kept_secret).get(ME).status_code == 200


def test_expired_deactivated_and_deleted_accounts_tokens_do_not_work(user):
    _, expired = tokens.create(owner=user, name="Old", expires_at=timezone.now())
    assert api(expired).get(ME).status_code == 401

    other = UserFactory()
    _, secret = tokens.create(owner=other, name="Gone")
    other.is_active = False
    other.save()
    assert api(secret).get(ME).status_code == 401
    other.delete()
    assert not AccessToken.objects.filter(name="Gone").exists()


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer a b", "Bearer tl_nothing", "Bearer " + "x" * 5000, "Bearer tl_é"]
)
def test_a_malformed_or_unknown_token_is_a_401(db, header):
    response = APIClient().get(ME, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_a_read_token_reads_but_cannot_write(user):
    _, secret = tokens.create(owner=user, name="Reader", scope="read")
    assert api(secret).get(ME).status_code == 200
    response = api(secret).patch(ME, {"display_name": "Changed"}, format="json")
    assert response.status_code == 403
    assert "can only read" in response.json()["detail"]
    user.refresh_from_db()
    assert user.display_name != "Changed"


def test_last_use_is_written_at_most_once_a_minute(user, django_assert_max_num_queries):
    token, secret = tokens.create(owner=user, name="Busy")
    api(secret).get(ME)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with django_assert_max_num_queries(1):
        assert tokens.authenticate(secret) is not None
    token.refresh_from_db()
    assert token.last_used_at == first


def test_me_changes_settings_with_the_settings_pages_rules(user):
    _, secret = tokens.create(owner=user, name="Writer", scope="write")
    response = api(secret).patch(ME, {"timezone": "Paris", "display_name": "Ada"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["timezone"] == "Europe/Paris"
    user.refresh_from_db()
    assert (user.timezone, user.display_name) == ("Europe/Paris", "Ada")

    bad = api(secret).patch(ME, {"timezone": "Atlantis"}, format="json")
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert "timezone" in bad.json()["errors"]
    user.refresh_from_db()
    assert user.timezone == "Europe/Paris"


def test_the_session_works_for_the_api_with_csrf_enforced(user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(ME).status_code == 200
    response = client.patch(ME, {"display_name": "No token"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_anonymous_gets_401_not_a_sign_in_redirect(db):
    response = APIClient().get(ME)
    assert response.status_code == 401
