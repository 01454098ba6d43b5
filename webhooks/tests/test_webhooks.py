import base64
import hashlib
import hmac
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import wait_until
from reminders.models import Notification
from todos import services
from todos.models import Task
from todos.tests.factories import CommentFactory, MembershipFactory, ProjectFactory, TaskFactory
from webhooks import delivery as sending
from webhooks.models import Delivery, Event, Webhook
from webhooks.services import check_url, send_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_waiting(monkeypatch):
    """Try again at once: the immediate backend runs the next try inside the test."""
    monkeypatch.setattr(sending, "RETRY_DELAYS", (0, 0, 0))


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send a test event as the button does, once its transaction commits."""

    def sending_test(webhook):
        with django_capture_on_commit_callbacks(execute=True):
            send_test(webhook)

    return sending_test


def hook(owner, url, events=Event.values):
    return Webhook.objects.create(owner=owner, url=url, events=list(events))


def verify(secret: str, request: dict) -> bool:
    """Check a delivery's signature as a receiver would, from the Standard Webhooks recipe."""
    headers = {name.lower(): value for name, value in request["headers"].items()}
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.{request['body']}"
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, signed.encode(), hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(f"v1,{expected}", part)
        for part in headers["webhook-signature"].split()
    )


def test_a_created_task_is_delivered_signed(user, receiver, django_capture_on_commit_callbacks):
    webhook = hook(user, receiver.url)
    project = ProjectFactory(owner=user)
    with django_capture_on_commit_callbacks(execute=True):
        task = services.create_task(owner=user, project=project, title="Pay rent")
    assert receiver.events() == ["task.created"]
    request = receiver.requests[0]
    assert verify(webhook.secret, request)
    body = json.loads(request["body"])
    assert body["data"]["id"] == task.pk
    assert body["data"]["title"] == "Pay rent"
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 1, 200)


def test_a_tampered_body_does_not_verify(user, receiver, send):
    webhook = hook(user, receiver.url)
    send(webhook)
    request = receiver.requests[0]
    assert verify(webhook.secret, request)
    assert json.loads(request["body"])["type"] == "webhook.test"
    assert not verify(webhook.secret, {**request, "body": request["body"] + " "})


def test_updates_completion_and_deletion_are_told_apart(
    user, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        task = TaskFactory(project=ProjectFactory(owner=user))
    hook(user, receiver.url)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_task(task, expected_version=task.version, title="Renamed", tags=[])
    task.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.set_completed(task, True, now=now)
    task.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.trash(task, now=now)
    with django_capture_on_commit_callbacks(execute=True):
        services.purge(Task.objects.owned_by(user).get(pk=task.pk))
    # The purge of a task already in the trash tells nothing new.
    assert receiver.events() == ["task.updated", "task.completed", "task.deleted"]


def test_purging_a_live_task_is_a_deletion(user, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task = TaskFactory(project=ProjectFactory(owner=user))
    hook(user, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        task.delete()
    assert receiver.events() == ["task.deleted"]


def test_a_bulk_change_sends_one_delivery_per_task(
    user, receiver, django_capture_on_commit_callbacks
):
    hook(user, receiver.url, [Event.TASK_UPDATED])
    project = ProjectFactory(owner=user)
    tasks = TaskFactory.create_batch(3, project=project)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Task.objects.filter(project=project).update(priority=1)
        Task.objects.filter(project=project).update(title="Same")
    assert len(receiver.requests) == 6
    assert {json.loads(r["body"])["data"]["id"] for r in receiver.requests} == {
        t.pk for t in tasks
    }
    assert len(callbacks) == 6  # one per record; only the first queues the work


def test_only_subscribed_events_are_sent(user, receiver, django_capture_on_commit_callbacks):
    hook(user, receiver.url, [Event.COMMENT_ADDED])
    task = TaskFactory(project=ProjectFactory(owner=user))
    with django_capture_on_commit_callbacks(execute=True):
        services.update_task(task, expected_version=task.version, title="Renamed", tags=[])
        CommentFactory(task=task, author=user, body="Done soon")
    assert receiver.events() == ["comment.added"]
    assert json.loads(receiver.requests[0]["body"])["data"]["body"] == "Done soon"


def test_members_hear_shared_tasks_and_strangers_nothing(
    user, other_user, receiver, django_capture_on_commit_callbacks
):
    from accounts.tests.factories import UserFactory

    member = UserFactory(username="sam")
    project = ProjectFactory(owner=user)
    MembershipFactory(project=project, user=member, role="viewer")
    member.refresh_from_db()
    hook(member, receiver.url + "?who=member")
    hook(other_user, receiver.url + "?who=stranger")
    with django_capture_on_commit_callbacks(execute=True):
        services.create_task(owner=user, project=project, title="Shared")
        services.create_task(owner=user, project=ProjectFactory(owner=user), title="Private")
    assert [(r["path"], json.loads(r["body"])["data"]["title"]) for r in receiver.requests] == [
        ("/hook?who=member", "Shared")
    ]


def test_a_rolled_back_change_sends_nothing(user, receiver, django_capture_on_commit_callbacks):
    from django.db import transaction

    hook(user, receiver.url)
    project = ProjectFactory(owner=user)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.create_task(owner=user, project=project, title="Never")
                raise RuntimeError
        except RuntimeError:
            pass
    assert receiver.requests == []


def test_a_500_is_tried_again(user, receiver, no_waiting, send):
    webhook = hook(user, receiver.url)
    receiver.answers = [500, 503]
    send(webhook)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 3, 200)
    assert len(receiver.requests) == 3
    assert len({r["headers"]["webhook-id"] for r in receiver.requests}) == 1


def test_a_stopped_receiver_is_tried_again(user, receiver, no_waiting, send):
    webhook = hook(user, receiver.url)
    receiver.stop()
    send(webhook)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.attempts == len(sending.RETRY_DELAYS) + 1
    assert "No answer" in delivery.response


def test_a_4xx_is_not_tried_again(user, receiver, no_waiting, send):
    webhook = hook(user, receiver.url)
    receiver.answers = [410]
    send(webhook)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response) == ("failed", 1, "broken")


def test_repeated_failures_disable_the_webhook_with_a_notice(user, receiver, no_waiting, send):
    webhook = hook(user, receiver.url)
    receiver.answers = [400] * sending.FAILURE_LIMIT
    for _ in range(sending.FAILURE_LIMIT):
        send(webhook)
    webhook.refresh_from_db()
    assert not webhook.is_active
    assert "in a row failed" in webhook.disabled_reason
    assert Notification.objects.filter(user=user, kind="webhook").count() == 1


def test_a_disabled_webhook_can_be_enabled_again(client_logged_in, user, receiver):
    webhook = hook(user, receiver.url)
    Webhook.objects.filter(pk=webhook.pk).update(is_active=False, failures=5, disabled_reason="x")
    page = client_logged_in.get(webhook.get_absolute_url())
    assert "This webhook is off" in page.content.decode()
    response = client_logged_in.post(reverse("webhooks:enable", kwargs={"pk": webhook.pk}))
    assert response.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.is_active, webhook.failures) == (True, 0)


def test_a_success_resets_the_failure_count(user, receiver, send):
    webhook = hook(user, receiver.url)
    Webhook.objects.filter(pk=webhook.pk).update(failures=3)
    send(webhook)
    webhook.refresh_from_db()
    assert webhook.failures == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://localhost/hook",
        "https://192.168.0.1/",
        "https://[::ffff:127.0.0.1]/",
        "https://0.0.0.0/",
    ],
)
def test_private_addresses_are_refused_without_the_setting(settings, url):
    from django.core.exceptions import ValidationError

    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError):
        check_url(url)
    # At delivery too, whatever was saved before: nothing is connected to.
    answer = sending.post(url, {}, "{}")
    assert answer.status is None
    assert not answer.retry


def test_delivery_connects_to_the_checked_address_only(settings, receiver, monkeypatch):
    """A name that answers a public address at the check and then loopback cannot get through."""
    from django_project import ssrf

    settings.WEBHOOKS_ALLOW_PRIVATE = False
    seen = []

    def resolve(host, port, *, allow_private):
        seen.append(host)
        raise ssrf.RefusedAddress("The host is not on the public internet.")

    monkeypatch.setattr(ssrf, "resolve", resolve)
    answer = sending.post(f"https://rebind.example:{receiver.port}/hook", {}, "{}")
    assert seen == ["rebind.example"]
    assert answer.status is None
    assert receiver.requests == []


def test_plain_http_needs_debug_or_the_setting(settings):
    from django.core.exceptions import ValidationError

    settings.WEBHOOKS_ALLOW_PRIVATE = False
    settings.DEBUG = False
    with pytest.raises(ValidationError, match="https://"):
        check_url("http://example.com/hook")


def test_push_uses_the_same_address_check(settings):
    from reminders import push

    settings.PUSH_ALLOW_PRIVATE_ENDPOINTS = False
    with pytest.raises(push.InvalidEndpoint, match="not on the public internet"):
        push.validate_endpoint("https://169.254.169.254/push")


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_a_change(user, receiver, worker):
    worker.env["WEBHOOKS_ALLOW_PRIVATE"] = "true"
    webhook = hook(user, receiver.url)
    services.create_task(owner=user, project=ProjectFactory(owner=user), title="From the worker")
    worker.start()
    assert wait_until(lambda: len(receiver.requests) == 1, timeout=60), worker.output()
    assert verify(webhook.secret, receiver.requests[0])
    assert wait_until(lambda: Delivery.objects.filter(status="succeeded").exists(), timeout=30), (
        worker.output()
    )
