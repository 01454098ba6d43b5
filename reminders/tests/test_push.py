"""Browser push against a real, local push service that decrypts what it receives."""

import json
import os
import socket
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from py_vapid import Vapid

from reminders import push
from reminders.models import Notification, PushSubscription
from todos.tests.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db


class PushService:
    """A push service on a free loopback port: it keeps what arrives and answers `statuses`."""

    def __init__(self):
        self.received: list[dict] = []
        self.statuses: list[int] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                service.received.append(
                    {"path": self.path, "headers": self.headers, "body": self.rfile.read(length)}
                )
                self.send_response(service.statuses.pop(0) if service.statuses else 201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Browser:
    """What a browser keeps of its subscription: a P-256 key pair and a 16-byte auth secret."""

    def __init__(self):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.keys = {"p256dh": push.b64url(point), "auth": push.b64url(self.auth_secret)}

    def read(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )
        return json.loads(plain)


@pytest.fixture
def vapid(settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = push.generate_keys()
    settings.VAPID_SUBJECT = "mailto:ops@example.com"
    settings.PUSH_ALLOW_PRIVATE_ENDPOINTS = True
    return settings


@pytest.fixture
def service():
    running = PushService()
    yield running
    running.stop()


@pytest.fixture
def browser():
    return Browser()


@pytest.fixture
def subscription(user, service, browser):
    return PushSubscription.objects.create(
        user=user, endpoint=f"{service.url}/push/abc", **browser.keys
    )


@pytest.fixture
def notification(user):
    task = TaskFactory(project=ProjectFactory(owner=user), title="Pay rent")
    return Notification.objects.create(
        user=user,
        task=task,
        title="Pay rent",
        body="Due today at 09:00",
        due_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
    )


ACTIONS = {
    "complete": "https://todo.example.com/r/complete-token/",
    "snooze": "https://todo.example.com/r/snooze-token/",
}


# Sending


def test_the_browser_decrypts_what_is_due_with_its_link_and_actions(
    vapid, service, browser, subscription, notification
):
    payload = push.payload_for(notification, ACTIONS, base_url="https://todo.example.com/")

    push.send(subscription, payload)

    [request] = service.received
    assert request["path"] == "/push/abc"
    assert browser.read(request["body"]) == {
        "title": "Pay rent",
        "body": "Due today at 09:00",
        "url": f"https://todo.example.com/tasks/{notification.task_id}/",
        "tag": f"task-{notification.task_id}",
        "timestamp": 1772442000000,
        "actions": [
            {"action": "complete", "title": "Complete", "url": ACTIONS["complete"]},
            {"action": "snooze", "title": "Snooze", "url": ACTIONS["snooze"]},
        ],
    }
    assert request["headers"]["Content-Encoding"] == "aes128gcm"
    assert request["headers"]["TTL"] == "3600"


def test_the_message_is_signed_with_the_servers_vapid_key(vapid, service, subscription):
    push.send(subscription, {"title": "Hello"}, ttl=60)

    [request] = service.received
    scheme, _, fields = request["headers"]["Authorization"].partition(" ")
    claims = dict(field.strip().split("=", 1) for field in fields.split(","))
    assert scheme == "vapid"
    assert claims["k"] == vapid.VAPID_PUBLIC_KEY
    header, body, signature = claims["t"].split(".")
    signer = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), push.b64url_decode(claims["k"])
    )
    raw = push.b64url_decode(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    signer.verify(der, f"{header}.{body}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    body = json.loads(push.b64url_decode(body))
    assert body["aud"] == service.url
    assert body["sub"] == "mailto:ops@example.com"
    assert request["headers"]["TTL"] == "60"


def test_a_message_without_a_task_links_to_the_start_page(user):
    notification = Notification.objects.create(
        user=user, title="Your day", due_at=datetime(2026, 3, 2, 7, tzinfo=UTC)
    )

    payload = push.payload_for(notification, {})

    assert payload["url"] == "/"
    assert payload["actions"] == []


def test_long_titles_are_shortened_to_fit_a_push_message(notification):
    notification.title = "x" * 600

    assert len(push.payload_for(notification, ACTIONS)["title"]) == push.MAX_TITLE


def test_an_unknown_action_is_a_programming_error(notification):
    with pytest.raises(ValueError, match="archive"):
        push.payload_for(notification, {"archive": "https://todo.example.com/"})


@pytest.mark.parametrize("status", [404, 410])
def test_a_dead_subscription_is_reported_gone(vapid, service, subscription, status):
    service.statuses = [status]

    with pytest.raises(push.SubscriptionGone):
        push.send(subscription, {"title": "Hello"})


def test_a_push_service_error_is_a_failure_to_retry(vapid, service, subscription):
    service.statuses = [503]

    with pytest.raises(push.PushFailed, match="503"):
        push.send(subscription, {"title": "Hello"})


def test_a_redirect_is_not_followed(vapid, service, subscription):
    service.statuses = [307]

    with pytest.raises(push.PushFailed, match="307"):
        push.send(subscription, {"title": "Hello"})

    assert len(service.received) == 1


def test_a_push_service_that_is_down_is_a_failure_to_retry(vapid, user, browser):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    subscription = PushSubscription(
        user=user, endpoint=f"http://127.0.0.1:{port}/x", **browser.keys
    )

    with pytest.raises(push.PushFailed, match="Could not reach"):
        push.send(subscription, {"title": "Hello"})


def test_without_keys_nothing_is_sent(settings, service, subscription):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    settings.PUSH_ALLOW_PRIVATE_ENDPOINTS = True

    assert not push.is_configured()
    with pytest.raises(push.PushFailed, match="not configured"):
        push.send(subscription, {"title": "Hello"})
    assert service.received == []


def test_sending_checks_the_endpoint_again(vapid, service, subscription):
    vapid.PUSH_ALLOW_PRIVATE_ENDPOINTS = False

    with pytest.raises(push.PushFailed, match="https"):
        push.send(subscription, {"title": "Hello"})
    assert service.received == []


def test_vapid_keys_prints_a_working_pair_for_env(capsys):
    from django.core.management import call_command

    call_command("vapid_keys")

    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    vapid = Vapid.from_string(lines["VAPID_PRIVATE_KEY"])
    public = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert push.b64url(public) == lines["VAPID_PUBLIC_KEY"]


# Which endpoints the server will POST to


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/push",
        "https://127.0.0.1/push",
        "https://10.1.2.3/push",
        "https://192.168.0.10/push",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/push",
        "https://[::ffff:10.0.0.1]/push",
        "https://0.0.0.0/push",
        "https://user:pw@1.1.1.1/push",
        "ftp://1.1.1.1/push",
        "https://1.1.1.1/" + "x" * 2000,
        "https://[::1/push",
        "",
    ],
)
def test_endpoints_on_private_networks_are_refused(settings, url):
    settings.PUSH_ALLOW_PRIVATE_ENDPOINTS = False

    with pytest.raises(push.InvalidEndpoint):
        push.validate_endpoint(url)


def test_a_public_https_endpoint_is_accepted(settings):
    settings.PUSH_ALLOW_PRIVATE_ENDPOINTS = False

    assert push.validate_endpoint("https://1.1.1.1/push/abc") == "https://1.1.1.1/push/abc"


def test_private_endpoints_are_allowed_when_the_setting_says_so(settings):
    settings.PUSH_ALLOW_PRIVATE_ENDPOINTS = True

    assert push.validate_endpoint("http://127.0.0.1:9/push")
