"""Reminders, the notifications they become, and their delivery on each channel.

A reminder fires once (`fired_at`): firing it makes one Notification, in the same
transaction that marks it fired, so two workers can never both fire it. The
notification is then delivered on each channel the person chose, one Delivery
row per channel (and per browser for push), each retried on its own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from todos.models import Task


class Reminder(models.Model):
    """When to remind someone of a task: at a moment, or some time before it is due."""

    class Kind(models.TextChoices):
        AT = "at", "At a date and time"
        BEFORE = "before", "Before the due time"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    # Denormalised from the task: the person reminded.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.AT)
    # Kind.AT: the moment itself.
    at = models.DateTimeField(null=True, blank=True)
    # Kind.BEFORE: minutes before the due time, or days before the due date at a
    # time of day ("1 day before at 9am", which works for a task without a time).
    minutes_before = models.PositiveIntegerField(null=True, blank=True)
    days_before = models.PositiveSmallIntegerField(null=True, blank=True)
    at_time = models.TimeField(null=True, blank=True)
    # Given by the person's default-reminder setting rather than added by hand.
    is_default = models.BooleanField(default=False, editable=False)
    # When it goes off, in UTC: computed from the above and the task's due date;
    # empty while it cannot be (a reminder before a due time the task lacks).
    remind_at = models.DateTimeField(null=True, blank=True, editable=False)
    fired_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["remind_at", "pk"]
        indexes = [
            # The worker's question every few seconds: what is due and not yet fired.
            models.Index(
                fields=["remind_at"],
                condition=Q(fired_at__isnull=True, remind_at__isnull=False),
                name="reminders_pending_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="at", at__isnull=False)
                    | Q(kind="before", minutes_before__isnull=False)
                    | Q(kind="before", days_before__isnull=False, at_time__isnull=False)
                ),
                name="reminders_reminder_says_when",
            )
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.task}"


class Notification(models.Model):
    """Something Ticklist told a person: shown on the notifications page, sent on channels."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Reminder"
        DIGEST = "digest", "Daily digest"
        AWAY = "away", "While you were away"
        ASSIGNED = "assigned", "Assigned to you"
        MENTION = "mention", "Mentioned you"
        INVITATION = "invitation", "Invitation"
        WEBHOOK = "webhook", "Webhook turned off"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.REMINDER)
    task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    reminder = models.ForeignKey(
        Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    title = models.CharField(max_length=600)
    body = models.TextField(blank=True)
    # Where it leads inside Ticklist when it has no task (an invitation: the list of them).
    path = models.CharField(max_length=300, blank=True)
    # The moment it was meant for; later than that by more than a minute, it says so.
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Shown on the notifications page (the in-app channel) or only sent elsewhere.
    in_app = models.BooleanField(default=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["user", "-created_at"],
                condition=Q(in_app=True),
                name="reminders_notif_page_idx",
            ),
            models.Index(
                fields=["user"],
                condition=Q(in_app=True, read_at__isnull=True),
                name="reminders_notif_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def late_by(self):
        return self.created_at - self.due_at


class Delivery(models.Model):
    """One notification on one channel: pending until sent, retried with backoff on failure."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        PUSH = "push", "Browser push"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up"

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel)
    subscription = models.ForeignKey(
        "PushSubscription", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # Held by the worker sending it until then; a crash lets it go when this passes.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["next_attempt_at", "pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="reminders_delivery_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.notification}"


class PushSubscription(models.Model):
    """One browser's Web Push subscription, made when its owner turned notifications on there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=2000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    # The session that subscribed (hashed): signing out there unsubscribes the browser.
    session_digest = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.user_agent or self.endpoint[:60]


class UsedLink(models.Model):
    """An action link from a message that was used: each works once."""

    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.digest


class Lease(models.Model):
    """A named lock with an expiry, held by one worker at a time (the reminder clock's tick)."""

    name = models.CharField(max_length=50, unique=True)
    held_until = models.DateTimeField()
    holder = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.name
