"""What a person does with their webhooks: add, change, test, rotate the secret, disable, enable."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction

from django_project import ssrf
from reminders.dispatch import notify
from reminders.models import Notification
from webhooks.delivery import allowed_schemes, allows_private, deliver
from webhooks.events import body_of, new_message_id
from webhooks.models import TEST_EVENT, Delivery, Webhook, new_secret

MAX_WEBHOOKS = 20


def check_url(url: str) -> str:
    """Return url if deliveries may go there; raise ValidationError saying why not."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValidationError("Enter a valid URL.", code="invalid") from None
    if parts.scheme not in allowed_schemes():
        raise ValidationError("The URL must start with https://.", code="scheme")
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise ValidationError("The URL must name a host, with no user name.", code="host")
    try:
        ssrf.resolve(parts.hostname, port, allow_private=allows_private())
    except ssrf.RefusedAddress as error:
        raise ValidationError(
            f"Deliveries cannot go there: {str(error)[:-1].lower()}, "
            "or is a private, loopback or reserved address.",
            code="address",
        ) from None
    return url


def create_webhook(*, owner, url: str, events: list[str]) -> Webhook:
    return Webhook.objects.create(owner=owner, url=url, events=sorted(events))


def update_webhook(webhook: Webhook, *, url: str, events: list[str]) -> Webhook:
    webhook.url, webhook.events = url, sorted(events)
    webhook.save(update_fields=["url", "events"])
    return webhook


def rotate_secret(webhook: Webhook) -> str:
    webhook.secret = new_secret()
    webhook.save(update_fields=["secret"])
    return webhook.secret


def disable(webhook: Webhook, *, reason: str) -> bool:
    """Stop deliveries to a webhook and tell its owner (once), in-app."""
    changed = Webhook.objects.filter(pk=webhook.pk, is_active=True).update(
        is_active=False, disabled_reason=reason
    )
    if changed:
        webhook.is_active, webhook.disabled_reason = False, reason
        notify(
            webhook.owner,
            Notification.Kind.WEBHOOK,
            title=f"Webhook to {webhook.url[:200]} disabled",
            body=f"{reason} Turn it back on from its page once the receiver works again.",
            path=webhook.get_absolute_url(),
        )
    return bool(changed)


def enable(webhook: Webhook) -> bool:
    changed = Webhook.objects.filter(pk=webhook.pk, is_active=False).update(
        is_active=True, failures=0, disabled_reason=""
    )
    webhook.is_active, webhook.failures, webhook.disabled_reason = True, 0, ""
    return bool(changed)


def send_test(webhook: Webhook) -> Delivery:
    """Queue a test event to the webhook; the worker sends it."""
    delivery = Delivery.objects.create(
        webhook=webhook,
        message_id=new_message_id(),
        event=TEST_EVENT,
        body=body_of(
            TEST_EVENT, {"webhook_id": webhook.pk, "message": "A test event from Ticklist."}
        ),
    )
    transaction.on_commit(lambda: deliver.enqueue(delivery.pk))
    return delivery
