from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Q, Subquery
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from todos import comments, history
from todos.models import Comment, Invitation, Membership, Project, Tag, Task


class SafeDatesChangeList(ChangeList):
    """A changelist whose date hierarchy refuses years it cannot step past (9999) as bad input."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class VersionedForm(forms.ModelForm):
    """An admin form that refuses to save over a change made after it was opened."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    error_messages = {
        "stale": (
            "Someone changed this %(name)s after you opened this page. Open it again to see "
            "the current values, then make your change."
        )
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk and seen is not None:
            model = type(self.instance)
            current = model.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if current.first() != seen:
                raise forms.ValidationError(
                    self.error_messages["stale"],
                    code="stale",
                    params={"name": model._meta.verbose_name},
                )
        return cleaned


class HistoryAdmin(SimpleHistoryAdmin):
    """An admin whose History page says what each change did, as the app's pages do.

    The library's own columns stay beside it: who, when, and each edited field.
    """

    history_list_display = ["what_changed"]

    @admin.display(description="what changed")
    def what_changed(self, record) -> str:
        # Read for the whole page at once, in set_history_delta_changes.
        return ""

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        super().set_history_delta_changes(request, historical_records, **kwargs)
        records = list(historical_records)
        read = history.entries_of(self.model, [record.history_id for record in records])
        for record in records:
            record.what_changed = str(read.get(record.history_id, ""))

    # Saving an old version would skip the version check and the rules the services
    # keep (a task's owner, its sub-tasks): here history is to read, not to restore.
    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Old versions are shown here, not restored.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class VersionedAdmin(HistoryAdmin):
    form = VersionedForm

    def save_model(self, request, obj, form, change):
        if change:
            # A page the owner opened before this change must not save over it.
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db(fields=["version"])


class TaskInline(admin.TabularInline):
    model = Task
    fields = ("title", "due_date", "priority", "completed_at", "deleted_at")
    readonly_fields = ("completed_at", "deleted_at")
    extra = 0
    show_change_link = True
    # A project can hold thousands of tasks: show its 50 newest open ones.
    max_num = 0
    can_delete = False

    def get_queryset(self, request):
        open_tasks = (
            super()
            .get_queryset(request)
            .filter(completed_at__isnull=True, deleted_at__isnull=True)
        )
        newest = open_tasks.order_by("-created_at").values("pk")[:50]
        return open_tasks.filter(pk__in=Subquery(newest))


@admin.register(Project)
class ProjectAdmin(VersionedAdmin):
    list_display = ("name", "owner", "is_inbox", "is_archived", "task_count", "created_at")
    list_filter = ("is_archived", "is_inbox")
    # Meta.ordering does not apply to the grouped query the task count needs.
    ordering = ("owner__username", "-is_inbox", "position", "name")
    search_fields = ("name", "owner__username", "owner__email")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    inlines = [TaskInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_task_count=Count("tasks", filter=Q(tasks__deleted_at__isnull=True)))
        )

    @admin.display(description="tasks", ordering="_task_count")
    def task_count(self, project) -> int:
        return project._task_count


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "colour")
    search_fields = ("name", "owner__username")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)


class DeletedFilter(admin.SimpleListFilter):
    title = "in trash"
    parameter_name = "trash"

    def lookups(self, request, model_admin):
        return [("yes", "In the trash"), ("no", "Not in the trash")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


class CompletedFilter(admin.SimpleListFilter):
    title = "completed"
    parameter_name = "completed"

    def lookups(self, request, model_admin):
        return [("yes", "Completed"), ("no", "Open")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(completed_at__isnull=self.value() == "no")
        return queryset


@admin.register(Task)
class TaskAdmin(VersionedAdmin):
    list_display = (
        "title",
        "project",
        "owner",
        "due_date",
        "priority",
        "completed_at",
        "deleted_at",
    )
    list_filter = (CompletedFilter, "priority", "due_date", DeletedFilter)
    search_fields = ("title", "notes", "owner__username", "owner__email")
    list_select_related = ("project", "owner")
    date_hierarchy = "due_date"
    autocomplete_fields = ("project", "tags", "parent")
    readonly_fields = (
        "owner",
        "completed_at",
        "deleted_at",
        "created_at",
        "updated_at",
        "version",
        "idempotency_key",
    )
    show_full_result_count = False
    actions = ["mark_complete", "reopen", "restore_from_trash"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A form without it (an older page, a script) keeps the task's mode.
        form.base_fields["recurrence_mode"].required = False
        return form

    @admin.action(description="Mark selected tasks complete")
    def mark_complete(self, request, queryset):
        count = queryset.filter(completed_at__isnull=True).update(
            completed_at=timezone.now(), version=F("version") + 1
        )
        self.message_user(request, f"Completed {count} tasks.", messages.SUCCESS)

    @admin.action(description="Reopen selected tasks")
    def reopen(self, request, queryset):
        count = queryset.filter(completed_at__isnull=False).update(
            completed_at=None, version=F("version") + 1
        )
        self.message_user(request, f"Reopened {count} tasks.", messages.SUCCESS)

    @admin.action(description="Restore selected tasks from the trash")
    def restore_from_trash(self, request, queryset):
        count = queryset.filter(deleted_at__isnull=False).update(
            deleted_at=None, version=F("version") + 1
        )
        self.message_user(request, f"Restored {count} tasks.", messages.SUCCESS)

    def get_changelist(self, request, **kwargs):
        return SafeDatesChangeList

    def save_model(self, request, obj, form, change):
        # The owner always follows the project, so the task stays visible to its owner only.
        obj.owner = obj.project.owner
        super().save_model(request, obj, form, change)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments for staff to find and remove; what they say and where stays their authors'."""

    list_display = ("__str__", "author", "task", "created_at", "edited_at")
    list_select_related = ("author", "task")
    search_fields = ("body",)
    # Read-only, so the form draws no list of every task and user to choose from.
    readonly_fields = ("task", "author", "body", "created_at", "edited_at")
    show_full_result_count = False

    def has_add_permission(self, request):
        # Written on the task page, where the count and the mentions follow.
        return False

    def delete_model(self, request, obj):
        comments.remove(obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for comment in queryset:
            comments.remove(comment)


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ("project", "user", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("project__name", "user__username", "user__email")
    list_select_related = ("project", "user")
    raw_id_fields = ("project", "user")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("project", "user", "email", "role", "invited_by", "expires_at")
    list_filter = ("role",)
    search_fields = ("project__name", "user__username", "email")
    list_select_related = ("project", "user", "invited_by")
    raw_id_fields = ("project", "user", "invited_by")
