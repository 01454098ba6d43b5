from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from todos import changes
from todos.dates import DUE_RANGE_MESSAGE, in_due_range
from todos.links import ProjectLinks, TagLinks, TaskLinks
from todos.querysets import BY_DAY, ProjectQuerySet, TagQuerySet, TaskQuerySet
from todos.recurrence import InvalidRule, Mode, describe, normalise

INBOX_NAME = "Inbox"


class Colour(models.TextChoices):
    """A fixed palette; each colour has a CSS class (.swatch-<value>) readable in both themes."""

    GREY = "grey", "Grey"
    BLUE = "blue", "Blue"
    TEAL = "teal", "Teal"
    GREEN = "green", "Green"
    YELLOW = "yellow", "Yellow"
    ORANGE = "orange", "Orange"
    RED = "red", "Red"
    PINK = "pink", "Pink"
    PURPLE = "purple", "Purple"


class Priority(models.IntegerChoices):
    P1 = 1, "Priority 1 (urgent)"
    P2 = 2, "Priority 2 (high)"
    P3 = 3, "Priority 3 (medium)"
    P4 = 4, "Priority 4 (none)"


def validate_due_date(value) -> None:
    if not in_due_range(value):
        raise ValidationError(DUE_RANGE_MESSAGE, code="out_of_range")


def validate_rule(value: str) -> None:
    """Refuse what is not an RRULE Ticklist can repeat a task by (todos.recurrence)."""
    if not value:
        return
    try:
        normalise(value)
    except InvalidRule as error:
        raise ValidationError(str(error), code="invalid_rule") from None


class Role(models.TextChoices):
    """What a person may do in a project: its owner everything, an editor the tasks, a viewer read."""

    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


class Owned(models.Model):
    """Something a person owns: saving or deleting it renews their caches (todos.changes)."""

    class Meta:
        abstract = True

    # The field naming the project whose members see this row too, if any.
    shared_field: str | None = None

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            changes.data_changed([self.owner_id], self._shared_through())
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            changes.data_changed([self.owner_id], self._shared_through())
            return super().delete(*args, **kwargs)

    def _shared_through(self) -> list[int] | None:
        project_id = getattr(self, self.shared_field) if self.shared_field else None
        return [project_id] if project_id else None


class Project(ProjectLinks, Owned):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="projects"
    )
    name = models.CharField(max_length=100)
    colour = models.CharField(max_length=10, choices=Colour, default=Colour.GREY)
    position = models.PositiveIntegerField(default=0)
    is_inbox = models.BooleanField(default=False, editable=False)
    is_archived = models.BooleanField("archived", default=False)
    # Pinned at the top of the sidebar.
    is_favourite = models.BooleanField("favourite", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every edit, so an edit made from a stale page can be detected.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Its members see it too: a change renews their caches (todos.changes).
    shared_field = "pk"

    class Meta:
        ordering = ["-is_inbox", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                F("owner"),
                Lower("name"),
                name="todos_project_name_ci_unique",
                violation_error_message="You already have a project with this name.",
            ),
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(is_inbox=True),
                name="todos_project_one_inbox_per_owner",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="todos_project_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Tag(TagLinks, Owned):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(max_length=50)
    colour = models.CharField(max_length=10, choices=Colour, default=Colour.GREY)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(
                F("owner"),
                Lower("name"),
                name="todos_tag_name_ci_unique",
                violation_error_message="You already have a tag with this name.",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="todos_tag_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Task(TaskLinks, Owned):
    # Denormalised from the project so every list filters on one indexed column.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tasks", editable=False
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subtasks",
        verbose_name="parent task",
    )
    title = models.CharField(max_length=500)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(10_000)])
    # A due date is a calendar day and a due time a wall-clock time in the owner's
    # own zone, as in Todoist: "9am" stays 9am wherever its owner is.
    due_date = models.DateField("due date", null=True, blank=True, validators=[validate_due_date])
    due_time = models.TimeField("due time", null=True, blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority, default=Priority.P4)
    position = models.PositiveIntegerField(default=0, editable=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="tasks")
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every edit, so an edit made from a stale page can be detected.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Sent with the form that created the task: a second submission of the same
    # form finds this task instead of adding it again.
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)
    # An RFC 5545 RRULE value ("FREQ=WEEKLY;BYDAY=TU"), empty for a one-off task
    # (todos.recurrence). Completing an occurrence moves the task to the next one.
    recurrence = models.CharField(
        "repeats", max_length=500, blank=True, validators=[validate_rule]
    )
    recurrence_mode = models.CharField(
        "repeats from", max_length=10, choices=Mode.CHOICES, default=Mode.SCHEDULE
    )
    # One member of a shared project who is to do it; empty for anyone (or no one).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tasks",
    )
    # Kept by todos.comments so a row shows its count without counting.
    comment_count = models.PositiveIntegerField(default=0, editable=False)

    objects = TaskQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "idempotency_key", "comment_count"])
    shared_field = "project_id"

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=4), name="todos_task_priority_range"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="todos_task_title_not_empty"),
            models.CheckConstraint(
                condition=Q(due_time__isnull=True) | Q(due_date__isnull=False),
                name="todos_task_time_needs_date",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="todos_task_not_its_own_parent"
            ),
            models.UniqueConstraint(
                fields=["owner", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="todos_task_one_per_idempotency_key",
            ),
            # A rule repeats from a due date.
            models.CheckConstraint(
                condition=Q(recurrence="") | Q(due_date__isnull=False),
                name="todos_task_repeat_needs_date",
            ),
        ]
        indexes = [
            # Today and Upcoming: a user's open tasks in the order they list them. Search
            # (open tasks) reads their titles here too, instead of from every row.
            models.Index(
                F("owner"),
                *(F(field) if isinstance(field, str) else field for field in BY_DAY),
                F("title"),
                condition=Q(completed_at__isnull=True, deleted_at__isnull=True),
                name="todos_task_open_due_idx",
            ),
            # Inbox and project pages: a project's open tasks in manual order.
            models.Index(
                fields=["project", "position"],
                condition=Q(completed_at__isnull=True, deleted_at__isnull=True),
                name="todos_task_open_position_idx",
            ),
            # Completed page and the collapsed "completed" lists: newest first.
            models.Index(
                fields=["owner", "-completed_at"],
                condition=Q(completed_at__isnull=False, deleted_at__isnull=True),
                name="todos_task_completed_idx",
            ),
            # Project pages: the project's recently completed tasks, collapsed below.
            models.Index(
                fields=["project", "-completed_at"],
                condition=Q(completed_at__isnull=False, deleted_at__isnull=True),
                name="todos_task_project_done_idx",
            ),
            # Search: the few tasks with notes, the only ones whose notes are read.
            models.Index(
                fields=["owner"],
                condition=Q(deleted_at__isnull=True) & ~Q(notes=""),
                name="todos_task_with_notes_idx",
            ),
            # Trash page and purge_trash: deleted tasks by deletion time.
            models.Index(
                fields=["owner", "-deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="todos_task_trash_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        """Keep sub-tasks one level deep and in their parent's project (the admin edits freely)."""
        super().clean()
        if self.parent_id is None:
            return
        if self.parent_id == self.pk:
            raise ValidationError({"parent": "A task cannot be its own sub-task."})
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": "Sub-tasks go one level deep: pick a task that is not a sub-task."}
            )
        if self.project_id is not None and self.parent.project_id != self.project_id:
            raise ValidationError(
                {"parent": "A sub-task lives in its parent's project: pick a task from it."}
            )
        if self.pk and self.subtasks.exists():
            raise ValidationError({"parent": "This task has sub-tasks, so it cannot be one."})

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude=exclude)
        if self.recurrence and self.due_date is None:
            raise ValidationError(
                {"due_date": "A repeating task needs a due date to repeat from."}
            )
        if self.recurrence:
            self.recurrence = normalise(self.recurrence)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def repeats(self) -> bool:
        return bool(self.recurrence)

    @property
    def recurrence_text(self) -> str:
        """Return the rule in plain words ("Every 2 weeks on Tuesday"), empty for a one-off."""
        return describe(self.recurrence, self.recurrence_mode) if self.recurrence else ""


class Completion(Owned):
    """One occurrence of a repeating task, done: when, by whom, and which due date it was for."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="completions")
    # Denormalised from the task, like Task.owner, so the Completed page reads one index.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="completions",
    )
    completed_at = models.DateTimeField()
    due_date = models.DateField("was due on", null=True, blank=True)

    class Meta:
        ordering = ["-completed_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-completed_at"], name="todos_completion_owner_idx"),
            models.Index(fields=["task", "-completed_at"], name="todos_completion_task_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task} done on {self.completed_at:%Y-%m-%d}"


class MyDayEntry(Owned):
    """A task a person put on their plan for one day; the list is the entries for their today."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="my_day_entries"
    )
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="my_day_entries")
    day = models.DateField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "day", "task"], name="todos_my_day_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} on {self.day}"


class UndoRecord(models.Model):
    """What a change did to some tasks, so it can be taken back once.

    `changes` holds, for every task it touched, the fields as they were before
    and the version the change left: undo restores only tasks still at that
    version, so it never reverses what someone did to them since.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="undo_records"
    )
    # What to tell the person once it is undone ("“Pay rent” is back where it was.").
    label = models.CharField(max_length=600)
    changes = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # Expiring a person's old records when they make a new one.
            models.Index(fields=["owner", "created_at"], name="todos_undo_owner_created_idx")
        ]

    def __str__(self) -> str:
        return self.label


# The roles a member can have; the owner's is the project's `owner`.
MEMBER_ROLES = [(Role.EDITOR.value, Role.EDITOR.label), (Role.VIEWER.value, Role.VIEWER.label)]


class Membership(models.Model):
    """A person a project is shared with, and their role; its owner is `Project.owner`."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=MEMBER_ROLES, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="todos_membership_once"),
            models.CheckConstraint(
                condition=Q(role__in=["editor", "viewer"]), name="todos_membership_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.project} ({self.role})"


class Invitation(models.Model):
    """An offer to join a project, waiting for the invited person to accept or decline.

    `user` is the account invited; an address without an account waits in `email`
    until someone confirms it as theirs (todos.sharing).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=10, choices=MEMBER_ROLES, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="todos_invitation_has_someone"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["editor", "viewer"]), name="todos_invitation_role"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "expires_at"], name="todos_invitation_user_idx"),
            models.Index(Lower("email"), name="todos_invitation_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.email} to {self.project}"


class Comment(models.Model):
    """What a member wrote on a task: plain text, links made clickable when shown."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    # Empty once its author deleted their account: shown as "a former member".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="comments"
    )
    body = models.TextField(validators=[MaxLengthValidator(5000)])
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The members it told of their mention (casefolded usernames), in any version of it:
    # each is told once, and the page marks these mentions without reading the members.
    mentioned = models.JSONField(default=list, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["mentioned"])

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["task", "created_at"], name="todos_comment_task_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="todos_comment_not_empty")
        ]

    def __str__(self) -> str:
        return self.body[:50]


class Tombstone(models.Model):
    """A project or tag that is gone, kept so an API client syncing from a moment learns of it.

    Tasks and comments leave their own deletion in their history; a project's history
    goes with it, and tags keep none.
    """

    class Kind(models.TextChoices):
        PROJECT = "project"
        TAG = "tag"

    # Each person who could see it: a shared project's members too.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind)
    object_id = models.PositiveBigIntegerField()
    deleted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "deleted_at"], name="todos_tombstone_user_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
