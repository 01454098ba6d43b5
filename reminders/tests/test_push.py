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
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from py_vapid import Vapid

from accounts.tests.factories import PASSWORD, UserFactory
from reminders import dispatch, push, schedule
from reminders.models import Delivery, Notification, PushSubscription
from todos.tests.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("reminders:push_subscribe")
UNSUBSCRIBE = reverse("reminders:push_unsubscribe")


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


# Subscribing and unsubscribing


def post_json(client, url, data, **extra):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(url, body, content_type="application/json", **extra)


def test_subscribing_keeps_this_browser_for_the_user(vapid, client_logged_in, user, browser):
    endpoint = "http://127.0.0.1:9/push/one"

    response = post_json(
        client_logged_in,
        SUBSCRIBE,
        {"endpoint": endpoint, "keys": browser.keys},
        HTTP_USER_AGENT="Firefox on Linux",
    )

    assert response.status_code == 201
    subscription = PushSubscription.objects.get(endpoint=endpoint)
    assert subscription.user == user
    assert (subscription.p256dh, subscription.auth) == (
        browser.keys["p256dh"],
        browser.keys["auth"],
    )
    assert subscription.user_agent == "Firefox on Linux"
    assert len(subscription.session_digest) == 64


def test_the_same_browser_subscribing_again_moves_to_the_new_account(
    vapid, client, user, other_user, browser
):
    endpoint = "http://127.0.0.1:9/push/one"
    client.force_login(user)
    post_json(client, SUBSCRIBE, {"endpoint": endpoint, "keys": browser.keys})
    client.force_login(other_user)

    response = post_json(client, SUBSCRIBE, {"endpoint": endpoint, "keys": browser.keys})

    assert response.status_code == 200
    assert PushSubscription.objects.get(endpoint=endpoint).user == other_user


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", "JSON object"),
        ("[1, 2]", "JSON object"),
        ({"endpoint": "http://127.0.0.1:9/p"}, "keys.p256dh"),
        ({"endpoint": "http://127.0.0.1:9/p", "keys": {"p256dh": 1, "auth": 2}}, "keys.p256dh"),
        ({"endpoint": "http://127.0.0.1:9/p", "keys": {"p256dh": "AAAA", "auth": "x"}}, "P-256"),
        ({"endpoint": ["x"], "keys": {"p256dh": "a", "auth": "b"}}, "missing"),
        ({"endpoint": "javascript:alert(1)", "keys": {"p256dh": "a", "auth": "b"}}, "https"),
    ],
)
def test_a_bad_subscription_is_a_clear_400(vapid, client_logged_in, body, message):
    response = post_json(client_logged_in, SUBSCRIBE, body)

    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_a_wrong_auth_secret_is_refused(vapid, client_logged_in, browser):
    keys = {**browser.keys, "auth": push.b64url(b"short")}

    response = post_json(
        client_logged_in, SUBSCRIBE, {"endpoint": "http://127.0.0.1:9/p", "keys": keys}
    )

    assert response.status_code == 400
    assert "16-byte" in response.json()["error"]


def test_a_private_endpoint_is_refused_by_default(vapid, client_logged_in, browser):
    vapid.PUSH_ALLOW_PRIVATE_ENDPOINTS = False

    response = post_json(
        client_logged_in, SUBSCRIBE, {"endpoint": "https://10.0.0.5/push", "keys": browser.keys}
    )

    assert response.status_code == 400
    assert "public internet" in response.json()["error"]


def test_subscribing_needs_the_servers_keys(settings, client_logged_in, browser):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""

    response = post_json(
        client_logged_in, SUBSCRIBE, {"endpoint": "https://1.1.1.1/p", "keys": browser.keys}
    )

    assert response.status_code == 409
    assert not PushSubscription.objects.exists()


def test_a_user_keeps_at_most_twenty_browsers(vapid, client_logged_in, user, browser):
    for number in range(22):
        endpoint = f"http://127.0.0.1:9/push/{number}"
        post_json(client_logged_in, SUBSCRIBE, {"endpoint": endpoint, "keys": browser.keys})

    kept = set(PushSubscription.objects.filter(user=user).values_list("endpoint", flat=True))
    assert len(kept) == 20
    assert "http://127.0.0.1:9/push/21" in kept
    assert "http://127.0.0.1:9/push/0" not in kept


def test_unsubscribing_forgets_the_browser(client_logged_in, subscription):
    response = post_json(client_logged_in, UNSUBSCRIBE, {"endpoint": subscription.endpoint})

    assert response.status_code == 200
    assert not PushSubscription.objects.filter(pk=subscription.pk).exists()


def test_another_users_browser_cannot_be_unsubscribed(client, other_user, subscription):
    client.force_login(other_user)

    response = post_json(client, UNSUBSCRIBE, {"endpoint": subscription.endpoint})

    assert response.status_code == 404
    assert PushSubscription.objects.filter(pk=subscription.pk).exists()


def test_unsubscribing_with_bad_json_is_a_400(client_logged_in):
    assert post_json(client_logged_in, UNSUBSCRIBE, "{").status_code == 400


@pytest.mark.parametrize("url", [SUBSCRIBE, UNSUBSCRIBE])
def test_a_form_post_is_a_400(vapid, client_logged_in, subscription, url):
    response = client_logged_in.post(url, {"endpoint": subscription.endpoint})

    assert response.status_code == 400
    assert PushSubscription.objects.filter(pk=subscription.pk).exists()


@pytest.mark.parametrize("url", [SUBSCRIBE, UNSUBSCRIBE])
def test_a_visitor_is_sent_to_sign_in(client, url):
    response = post_json(client, url, {})

    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize("url", [SUBSCRIBE, UNSUBSCRIBE])
def test_get_is_not_allowed(client_logged_in, url):
    assert client_logged_in.get(url).status_code == 405


def test_subscribing_needs_the_csrf_token_in_its_header(vapid, user, browser):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("accounts:settings"))
    body = {"endpoint": "http://127.0.0.1:9/push/one", "keys": browser.keys}

    refused = post_json(client, SUBSCRIBE, body)
    accepted = post_json(
        client, SUBSCRIBE, body, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value
    )

    assert refused.status_code == 403
    assert accepted.status_code == 201


# Signing out and deleting the account


def signed_in_browser(user, keys, endpoint):
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    post_json(client, SUBSCRIBE, {"endpoint": endpoint, "keys": keys})
    return client


def test_signing_out_unsubscribes_that_browser_only(vapid, user, browser):
    laptop = signed_in_browser(user, browser.keys, "http://127.0.0.1:9/push/laptop")
    signed_in_browser(user, browser.keys, "http://127.0.0.1:9/push/phone")

    laptop.post(reverse("logout"))

    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        "http://127.0.0.1:9/push/phone"
    ]


def test_a_password_change_does_not_hide_the_browser_from_sign_out(vapid, user, browser):
    laptop = signed_in_browser(user, browser.keys, "http://127.0.0.1:9/push/laptop")
    new_password = "another horse battery staple"
    laptop.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    laptop.post(reverse("logout"))

    assert not PushSubscription.objects.exists()


def test_deleting_the_account_deletes_its_subscriptions(vapid, client_logged_in, user, other_user):
    mine = PushSubscription.objects.create(
        user=user, endpoint="https://1.1.1.1/a", p256dh="k", auth="a"
    )
    theirs = PushSubscription.objects.create(
        user=other_user, endpoint="https://1.1.1.1/b", p256dh="k", auth="a"
    )

    client_logged_in.post(reverse("accounts:delete"), {"password": PASSWORD})

    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert not PushSubscription.objects.filter(pk=mine.pk).exists()
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()


# The service worker and the settings section


def test_the_service_worker_is_served_from_the_root_to_anyone(client):
    response = client.get(reverse("reminders:service_worker"))

    assert reverse("reminders:service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "no-cache" in response["Cache-Control"]
    assert b'addEventListener("push"' in response.content
    assert b'addEventListener("notificationclick"' in response.content


def test_the_content_security_policy_lets_the_site_register_its_worker(client_logged_in):
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in client_logged_in.get(reverse("accounts:settings"))[
            "Content-Security-Policy"
        ].split(";")
    )

    # No worker-src: it falls back to script-src, which allows our own origin.
    assert "worker-src" not in policy
    assert "'self'" in policy["script-src"].split()


def test_settings_offer_browser_notifications_with_the_public_key(vapid, client_logged_in):
    html = client_logged_in.get(reverse("accounts:settings")).content.decode()

    assert "Browser notifications" in html
    assert f'data-public-key="{vapid.VAPID_PUBLIC_KEY}"' in html
    assert "Turn on in this browser" in html
    assert "need JavaScript" in html
    assert html.index("Browser notifications") < html.index("Delete account")
    assert "js/push.js" in html


def test_settings_say_when_the_server_has_no_push_keys(settings, client_logged_in):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""

    html = client_logged_in.get(reverse("accounts:settings")).content.decode()

    assert "has no push keys set" in html
    assert "data-push " not in html
    assert "js/push.js" not in html


def test_settings_know_whether_this_sign_in_is_subscribed(vapid, user, browser):
    laptop = signed_in_browser(user, browser.keys, "http://127.0.0.1:9/push/laptop")
    phone = Client()
    phone.force_login(user)

    assert "data-on-here" in laptop.get(reverse("accounts:settings")).content.decode()
    assert "data-on-here" not in phone.get(reverse("accounts:settings")).content.decode()


def test_admin_lists_subscriptions(client, subscription):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.get(reverse("admin:reminders_pushsubscription_changelist") + "?q=ada")

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [subscription]


# Through the reminder clock


def test_a_reminder_reaches_the_browser_with_its_action_links(
    vapid, service, browser, subscription, user, settings
):
    settings.SITE_URL = "https://todo.example.com"
    user.remind_by_email = False
    user.save()
    task = TaskFactory(project=ProjectFactory(owner=user), title="Call Mom")
    schedule.add(task, at=timezone.now())

    dispatch.tick()

    [arrived] = service.received
    payload = browser.read(arrived["body"])
    assert payload["title"] == "Call Mom"
    assert payload["url"] == f"https://todo.example.com/tasks/{task.pk}/"
    assert [a["action"] for a in payload["actions"]] == ["complete", "snooze"]
    assert payload["actions"][0]["url"].startswith("https://todo.example.com/reminders/act/")
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_a_browser_the_push_service_forgot_is_removed(vapid, service, subscription, user):
    service.statuses = [410]
    task = TaskFactory(project=ProjectFactory(owner=user), title="Call Mom")
    schedule.add(task, at=timezone.now())

    dispatch.tick()

    assert len(service.received) == 1
    assert not PushSubscription.objects.exists()
    # The email went its own way.
    assert Delivery.objects.get().channel == Delivery.Channel.EMAIL
