"""The one-off messages cookie is named and flagged like the session cookie, set and deleted."""

import pytest
from django.urls import reverse

from django_project.tests.test_settings import PRODUCTION, read_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def secure_cookies(settings):
    """What SECURE_COOKIES turns on, as production has it."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.MESSAGE_COOKIE_NAME = "__Host-messages"


def set_cookie_header(response, name: str) -> str:
    return response.cookies[name].output(header="Set-Cookie:")


def test_production_names_the_messages_cookie_with_the_host_prefix():
    names = read_settings("[s.MESSAGE_STORAGE, s.MESSAGE_COOKIE_NAME]", **PRODUCTION)

    assert names == ["django_project.messages.FallbackStorage", "__Host-messages"]


def test_the_messages_cookie_is_set_and_deleted_secure_httponly_and_lax(
    client, user, secure_cookies
):
    client.force_login(user)  # under the session cookie's secure name
    signed_out = client.post(reverse("logout"))
    shown = client.get(signed_out.url)

    assert "You have signed out." in shown.content.decode()
    set_header = set_cookie_header(signed_out, "__Host-messages")
    deleted_header = set_cookie_header(shown, "__Host-messages")
    for header in (set_header, deleted_header):
        assert "; Secure" in header
        assert "; HttpOnly" in header
        assert "; SameSite=Lax" in header
        assert "; Path=/" in header
        assert "Domain=" not in header
    assert "Max-Age=0" in deleted_header
    assert "expires=Thu, 01 Jan 1970 00:00:00 GMT" in deleted_header
    assert "messages" not in signed_out.cookies
    assert "messages" not in shown.cookies


def test_without_secure_cookies_the_messages_cookie_keeps_its_plain_name(client_logged_in):
    signed_out = client_logged_in.post(reverse("logout"))

    assert "messages" in signed_out.cookies
    assert "; Secure" not in set_cookie_header(signed_out, "messages")
