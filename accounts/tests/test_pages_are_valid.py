import pytest
from django.urls import reverse

from accounts import emails
from tests.html import html_errors
from webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db

VISITOR_PAGES = ["accounts:signup", "login", "password_reset", "password_reset_done"]
MEMBER_PAGES = [
    "accounts:settings",
    "webhooks:list",
    "accounts:delete",
    "accounts:calendar_token_reset",
    "accounts:tokens",
    "password_change",
    "password_change_done",
]


def test_account_pages_are_valid_html(client, user, java):
    documents = {name: client.get(reverse(name)).content.decode() for name in VISITOR_PAGES}
    documents["login with errors"] = client.post(
        reverse("login"), {"username": "ada", "password": "x"}
    ).content.decode()
    documents["signup with errors"] = client.post(
        reverse("accounts:signup"), {"username": "ada@home", "email": "x"}
    ).content.decode()
    documents["reset link expired"] = client.get(
        reverse("password_reset_confirm", args=["bad", "link"])
    ).content.decode()
    client.force_login(user)
    documents |= {name: client.get(reverse(name)).content.decode() for name in MEMBER_PAGES}
    documents["settings with errors"] = client.post(
        reverse("accounts:settings"), {"timezone": "Mars/Base"}
    ).content.decode()
    documents["settings with several zones"] = client.post(
        reverse("accounts:settings"), {"email": "ada@example.com", "timezone": "pacific"}
    ).content.decode()
    user.pending_email = "ada@new.example"
    user.save(update_fields=["pending_email"])
    documents["settings waiting for a confirmation"] = client.get(
        reverse("accounts:settings")
    ).content.decode()
    token = emails.confirmation_token(user, "ada@new.example")
    documents["confirm email"] = client.get(
        reverse("accounts:confirm_email", args=[token])
    ).content.decode()
    documents["confirmation link expired"] = client.get(
        reverse("accounts:confirm_email", args=["bad"])
    ).content.decode()

    made = client.post(
        reverse("accounts:tokens"), {"name": "Phone", "scope": "read", "lifetime": "90"}
    )
    documents["tokens with a new one shown"] = client.get(made["Location"]).content.decode()
    documents["tokens with errors"] = client.post(
        reverse("accounts:tokens"), {"name": "phone", "scope": "nope"}
    ).content.decode()
    revoke = reverse("accounts:token_revoke", args=[user.access_tokens.get().pk])
    documents["revoke a token"] = client.get(revoke).content.decode()

    assert html_errors(java, documents) == []


def test_webhook_pages_are_valid_html(client_logged_in, user, java):
    webhook = Webhook.objects.create(
        owner=user, url="https://hooks.example.com/a", events=["task.created"]
    )
    off = Webhook.objects.create(
        owner=user,
        url="https://hooks.example.com/b",
        events=["task.deleted"],
        is_active=False,
        disabled_reason="It failed 5 times in a row.",
    )
    # One more than a page of deliveries, so the pages of them are drawn too.
    Delivery.objects.bulk_create(
        Delivery(
            webhook=webhook,
            message_id=f"msg_{n}",
            event="task.created",
            body="{}",
            status=Delivery.Status.FAILED if n % 2 else Delivery.Status.SUCCEEDED,
            response_status=500 if n % 2 else 200,
            response="<h1>Server error</h1>" if n % 2 else "ok",
            attempts=1,
        )
        for n in range(21)
    )
    documents = {
        "webhooks": client_logged_in.get(reverse("webhooks:list")).content.decode(),
        "webhooks with errors": client_logged_in.post(
            reverse("webhooks:list"), {"url": "ftp://hooks.example.com/"}
        ).content.decode(),
        "webhook with deliveries": client_logged_in.get(
            webhook.get_absolute_url()
        ).content.decode(),
        "webhook deliveries, page 2": client_logged_in.get(
            webhook.get_absolute_url() + "?page=2"
        ).content.decode(),
        "webhook turned off": client_logged_in.get(off.get_absolute_url()).content.decode(),
        "webhook with errors": client_logged_in.post(
            webhook.get_absolute_url(), {"url": "", "events": []}
        ).content.decode(),
        "delete a webhook": client_logged_in.get(
            reverse("webhooks:delete", args=[webhook.pk])
        ).content.decode(),
    }

    assert html_errors(java, documents) == []
