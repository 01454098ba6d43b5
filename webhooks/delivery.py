"""Send one delivery, signed Standard Webhooks style, from the background worker.

The host is looked up once and checked (django_project.ssrf); the connection goes
to that very address, so a second answer of a name server cannot lead elsewhere.
Redirects are not followed. Connection errors, timeouts, 5xx and 429 are tried
again later; after FAILURE_LIMIT failed deliveries in a row the webhook stops.
"""

import base64
import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import certifi
import urllib3
from django.conf import settings
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from django_project import ssrf
from webhooks.models import SECRET_PREFIX, Delivery, Webhook

logger = logging.getLogger("ticklist.webhooks")

# Seconds to wait before each new try of a delivery, from a blip to an outage of hours.
RETRY_DELAYS = (10, 60, 300, 1800, 3 * 3600, 8 * 3600)
# Failed deliveries in a row (each after all its tries) that disable a webhook.
FAILURE_LIMIT = 5
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 10
KEPT_RESPONSE = 1000


@dataclass
class Answer:
    status: int | None = None
    text: str = ""
    # Whether a later try may work (no answer, 5xx, 429).
    retry: bool = False

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """Return the webhook-signature header: v1, then the base64 HMAC-SHA256 of id.timestamp.body."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def allows_private() -> bool:
    return settings.WEBHOOKS_ALLOW_PRIVATE


def allowed_schemes() -> set[str]:
    return {"https", "http"} if settings.DEBUG or allows_private() else {"https"}


def post(url: str, headers: dict[str, str], body: str) -> Answer:
    """POST body to url, connecting only to an address the SSRF check passed."""
    parts = urlsplit(url)
    if parts.scheme not in allowed_schemes() or not parts.hostname:
        return Answer(text="The URL is not an https:// address.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = ssrf.resolve(parts.hostname, port, allow_private=allows_private())[0]
    except ssrf.RefusedAddress as error:
        return Answer(text=str(error), retry="found" in str(error))
    except ValueError:
        return Answer(text="The URL is not valid.")
    timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    host = parts.netloc.rpartition("@")[2]
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        with pool:
            response = pool.urlopen(
                "POST",
                path,
                body=body.encode(),
                headers={**headers, "Host": host},
                redirect=False,
                preload_content=False,
            )
            text = response.read(KEPT_RESPONSE).decode("utf-8", "replace")
            response.release_conn()
    except urllib3.exceptions.HTTPError as error:
        return Answer(text=f"No answer: {type(error).__name__}.", retry=True)
    except OSError as error:
        return Answer(text=f"No answer: {type(error).__name__}.", retry=True)
    status = response.status
    return Answer(status=status, text=text, retry=status >= 500 or status == 429)


def headers_for(delivery: Delivery, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Ticklist-Webhooks",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            delivery.webhook.secret, delivery.message_id, timestamp, delivery.body
        ),
    }


@task()
def deliver(delivery_id: int, attempt: int = 1) -> str:
    """Try a delivery once; queue another try after a failure that may pass."""
    delivery = Delivery.objects.select_related("webhook__owner").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return "gone"
    webhook = delivery.webhook
    now = timezone.now()
    if not webhook.is_active:
        answer = Answer(text="Not sent: the webhook is disabled.")
    else:
        answer = post(webhook.url, headers_for(delivery, int(now.timestamp())), delivery.body)
    delivery.attempts = attempt
    delivery.last_attempt_at = now
    delivery.response_status = answer.status
    delivery.response = answer.text[:KEPT_RESPONSE]
    again = answer.retry and webhook.is_active and attempt <= len(RETRY_DELAYS)
    if answer.ok:
        delivery.status = Delivery.Status.SUCCEEDED
    elif not again:
        delivery.status = Delivery.Status.FAILED
    delivery.save(
        update_fields=["attempts", "last_attempt_at", "response_status", "response", "status"]
    )
    if answer.ok:
        Webhook.objects.filter(pk=webhook.pk, failures__gt=0).update(failures=0)
    elif again:
        later = deliver
        if deliver.get_backend().supports_defer:
            later = deliver.using(run_after=now + timedelta(seconds=RETRY_DELAYS[attempt - 1]))
        logger.warning(
            "webhook delivery failed, trying again later",
            extra={"delivery": delivery.pk, "attempt": attempt, "error": answer.text[:200]},
        )
        later.enqueue(delivery.pk, attempt=attempt + 1)
    elif webhook.is_active:
        failed(webhook)
    return delivery.status


def failed(webhook: Webhook) -> None:
    """Count a failed delivery; disable the webhook, telling its owner, at the limit."""
    from webhooks.services import disable

    Webhook.objects.filter(pk=webhook.pk).update(failures=F("failures") + 1)
    webhook.refresh_from_db(fields=["failures"])
    if webhook.failures >= FAILURE_LIMIT:
        disable(webhook, reason=f"{webhook.failures} deliveries in a row failed.")
