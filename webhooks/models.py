"""A person's webhooks (a URL, the events it wants, its secret) and the deliveries made to it."""

import base64
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)


class Event(models.TextChoices):
    TASK_CREATED = "task.created", "A task is created"
    TASK_UPDATED = "task.updated", "A task is changed"
    TASK_COMPLETED = "task.completed", "A task is completed"
    TASK_DELETED = "task.deleted", "A task is deleted"
    COMMENT_ADDED = "comment.added", "A comment is added"


# Sent by the "Send test event" button only; no one subscribes to it.
TEST_EVENT = "webhook.test"


def new_secret() -> str:
    """Return a new signing secret, Standard Webhooks style: whsec_ and 24 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


class Webhook(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField("URL", max_length=2000)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=80, default=new_secret)
    is_active = models.BooleanField(default=True)
    # Failed deliveries in a row (each after its retries); a success starts again from 0.
    failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # Which active webhooks a change concerns: by owner, the active ones.
            models.Index(
                fields=["owner"], condition=models.Q(is_active=True), name="webhooks_active_idx"
            )
        ]

    def __str__(self) -> str:
        return self.url

    def get_absolute_url(self) -> str:
        return reverse("webhooks:detail", kwargs={"pk": self.pk})

    @property
    def event_labels(self) -> list[str]:
        return [Event(event).label for event in self.events if event in Event.values]


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Sending"
        SUCCEEDED = "succeeded", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    # The webhook-id header: the same on every try, so a receiver can drop a repeat.
    message_id = models.CharField(max_length=40, unique=True)
    event = models.CharField(max_length=40)
    # The change it tells of ("task:<history id>"), so that a change is delivered once.
    source = models.CharField(max_length=40, blank=True)
    # The exact bytes sent and signed.
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # The start of the receiver's answer, or why there was none.
    response = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [
            # The webhook's page lists its deliveries newest first.
            models.Index(
                fields=["webhook", "-created_at", "-id"], name="webhooks_delivery_list_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "source"],
                condition=~models.Q(source=""),
                name="webhooks_delivery_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.message_id}"
