import re
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW = "tangerine-orbit-lantern-77"
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/reset/[^/\s]+/[^/\s]+/)")


def request_reset(client, email: str):
    return client.post(reverse("password_reset"), {"email": email})


def emailed_link() -> str:
    (message,) = mail.outbox
    return RESET_LINK.search(message.body).group(1)


def test_password_change_needs_the_current_password(client_logged_in, user):
    response = client_logged_in.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_sets_the_new_password_and_keeps_this_session(client_logged_in, user):
    response = client_logged_in.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )

    assert response.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client_logged_in.get(reverse("accounts:settings")).status_code == 200


def test_password_change_signs_out_other_sessions(client, user):
    elsewhere = Client()
    elsewhere.force_login(user)
    client.force_login(user)

    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )

    response = elsewhere.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_password_change_form_fields_have_the_right_autocomplete(client_logged_in):
    html = client_logged_in.get(reverse("password_change")).content.decode()

    assert 'autocomplete="current-password"' in html
    assert html.count('autocomplete="new-password"') == 2


def test_password_reset_loop_through_the_emailed_link(client, user):
    response = request_reset(client, "ADA@example.com")
    assert response.url == reverse("password_reset_done")
    assert mail.outbox[0].to == ["ada@example.com"]
    assert mail.outbox[0].subject == "Reset your Ticklist password"

    # The link redirects once to a URL that no longer carries the token.
    form_page = client.get(emailed_link(), follow=True)
    assert form_page.context["validlink"] is True
    set_password = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
    )

    assert set_password.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW)
    signed_in = client.post(reverse("login"), {"username": "ada", "password": NEW})
    assert signed_in.url == reverse("todos:today")


def test_a_used_reset_link_gets_a_clear_page(client, user):
    request_reset(client, "ada@example.com")
    link = emailed_link()
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})

    again = client.get(link, follow=True)

    assert again.context["validlink"] is False
    assert "This link no longer works" in again.content.decode()


def test_an_expired_reset_link_gets_a_clear_page(client, user, settings, monkeypatch):
    request_reset(client, "ada@example.com")
    later = PasswordResetTokenGenerator()._now() + timedelta(
        seconds=settings.PASSWORD_RESET_TIMEOUT + 60
    )
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)

    response = client.get(emailed_link(), follow=True)

    assert response.context["validlink"] is False
    assert "Send a new link" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_form_does_not_reveal_whether_an_address_has_an_account(client, user):
    known = request_reset(client, "ada@example.com")
    unknown = request_reset(client, "nobody@example.com")

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mail.outbox) == 1


def test_reset_requests_for_known_and_unknown_addresses_queue_the_same_work(
    client, user, tasks_in_database
):
    known = request_reset(client, "ada@example.com")
    unknown = request_reset(client, "nobody@example.com")

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    # Each request only queues one task, the same for both; the worker looks
    # the address up and writes the mail, so nothing was sent from the request.
    queued = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [(t.task_path, t.status) for t in queued] == [
        ("accounts.emails.send_password_reset", "READY"),
        ("accounts.emails.send_password_reset", "READY"),
    ]
    assert [t.args_kwargs["kwargs"]["email"] for t in queued] == [
        "ada@example.com",
        "nobody@example.com",
    ]
    assert mail.outbox == []


def test_an_address_waiting_for_confirmation_gets_no_reset_link(client):
    UserFactory(username="grace", email="", pending_email="grace@example.com")

    response = request_reset(client, "grace@example.com")

    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []
