"""Reminders in the admin: what is due, what was said, and how each delivery went.

The rows are written by the worker and kept in step with their tasks by
`reminders.schedule`, so staff look and may delete, never edit: an edited
`remind_at` or delivery state would skip the guards that send each reminder once.
Lists never count the whole table (`show_full_result_count`): these tables grow
with every reminder sent.
"""

from django.contrib import admin

from reminders.models import Delivery, Notification, PushSubscription, Reminder


class ReadOnly(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(ReadOnly):
    list_display = ["task", "owner", "kind", "remind_at", "fired_at"]
    list_filter = ["kind", ("fired_at", admin.EmptyFieldListFilter)]
    list_select_related = ["task", "owner"]
    search_fields = ["task__title", "owner__username"]
    ordering = ["-remind_at"]


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ["title", "user", "kind", "due_at", "created_at", "read_at"]
    list_filter = ["kind", "in_app"]
    list_select_related = ["user"]
    search_fields = ["title", "user__username"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = [
        "notification",
        "channel",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["state", "channel"]
    list_select_related = ["notification"]
    ordering = ["-next_attempt_at"]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "user_agent", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["session_digest", "created_at"]
