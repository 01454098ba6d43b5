"""What the API shows of each object, and the shapes it accepts; the web's forms judge the values."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reminders.forms import PRESETS
from reminders.models import Reminder
from todos.models import Colour, Comment, Priority, Project, Role, Tag, Task
from todos.recurrence import Mode

# The largest id the databases hold: a larger one is no object, not an overflow.
ID_MAX = 2**63 - 1


class Text(serializers.CharField):
    """A string and only a string: JSON says what a value is, so 0 is not "0"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TagSerializer(serializers.ModelSerializer):
    name = Text(max_length=50, allow_blank=True, trim_whitespace=False)

    class Meta:
        model = Tag
        fields = ["id", "name", "colour"]
        read_only_fields = ["id"]
        extra_kwargs = {
            "colour": {"required": False},
            "name": {"allow_blank": True, "trim_whitespace": False},
        }


class ProjectSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    role = serializers.SerializerMethodField(help_text="Yours in this project.")
    shared = serializers.SerializerMethodField(help_text="Whether anyone but its owner is in it.")
    url = serializers.SerializerMethodField(help_text="Its page in the web app.")

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "colour",
            "is_inbox",
            "is_archived",
            "is_favourite",
            "position",
            "owner",
            "role",
            "shared",
            "version",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=Role.choices))
    def get_role(self, project) -> str:
        if project.owner_id == self.context["request"].user.pk:
            return Role.OWNER
        return getattr(project, "my_role", None) or Role.VIEWER

    def get_shared(self, project) -> bool:
        return bool(getattr(project, "member_count", 0))

    def get_url(self, project) -> str:
        return self.context["request"].build_absolute_uri(project.get_absolute_url())


class ProjectWriteSerializer(serializers.Serializer):
    """The fields a project's owner changes; a PATCH sends only those it changes."""

    name = Text(max_length=100, allow_blank=True, trim_whitespace=False)
    colour = serializers.ChoiceField(choices=Colour.choices, required=False)
    is_archived = serializers.BooleanField(required=False)
    is_favourite = serializers.BooleanField(required=False)
    version = serializers.IntegerField(
        min_value=0,
        max_value=ID_MAX,
        required=False,
        help_text="The version you read (or send If-Match).",
    )


class MemberSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)


class ReminderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reminder
        fields = [
            "id",
            "kind",
            "at",
            "minutes_before",
            "days_before",
            "at_time",
            "remind_at",
            "fired_at",
        ]
        read_only_fields = fields


class ReminderWriteSerializer(serializers.Serializer):
    when = serializers.ChoiceField(
        choices=[(key, label) for key, (label, _) in PRESETS.items()],
        help_text="A usual choice, or `at` with `at`.",
    )
    at = serializers.DateTimeField(required=False, help_text="With `when: at`.")


class TaskSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id", read_only=True)
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    tags = serializers.SerializerMethodField(help_text="Your own tags on it.")
    assignee = serializers.SerializerMethodField(help_text="The member's username, or null.")
    completed = serializers.SerializerMethodField()
    recurrence_text = serializers.CharField(read_only=True, help_text="The rule in plain words.")
    reminders = serializers.SerializerMethodField(help_text="Your own reminders of it.")
    url = serializers.SerializerMethodField(help_text="Its page in the web app.")

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "notes",
            "project",
            "parent",
            "due_date",
            "due_time",
            "priority",
            "tags",
            "assignee",
            "recurrence",
            "recurrence_mode",
            "recurrence_text",
            "completed",
            "completed_at",
            "deleted_at",
            "position",
            "comment_count",
            "reminders",
            "version",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_tags(self, task) -> list[int]:
        return [tag.pk for tag in task.own_tags]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_assignee(self, task) -> str | None:
        return task.assignee.username if task.assignee_id else None

    def get_completed(self, task) -> bool:
        return task.completed_at is not None

    @extend_schema_field(ReminderSerializer(many=True))
    def get_reminders(self, task):
        return ReminderSerializer(task.own_reminders, many=True).data

    def get_url(self, task) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("todos:task_detail", args=[task.pk])
        )


class TaskWriteSerializer(serializers.Serializer):
    """A task's fields as the API takes them; a PATCH sends only those it changes."""

    # Blank text is the form's to refuse, in its own words.
    title = Text(max_length=500, allow_blank=True, trim_whitespace=False)
    notes = Text(max_length=10_000, allow_blank=True, required=False)
    project = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="Your Inbox when left out."
    )
    parent = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        help_text="Makes it a sub-task (on creation only).",
    )
    due_date = serializers.DateField(allow_null=True, required=False)
    due_time = serializers.TimeField(allow_null=True, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    tags = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        max_length=100,
        required=False,
    )
    assignee = Text(
        max_length=150, allow_null=True, required=False, help_text="A member's username."
    )
    recurrence = Text(
        max_length=500,
        allow_blank=True,
        required=False,
        help_text="An RRULE, or words as in quick add (“every 2 weeks on tuesday”); empty stops it.",
    )
    recurrence_mode = serializers.ChoiceField(choices=Mode.CHOICES, required=False)
    version = serializers.IntegerField(
        min_value=0,
        max_value=ID_MAX,
        required=False,
        help_text="The version you read (or send If-Match).",
    )


class CommentSerializer(serializers.ModelSerializer):
    body = Text(max_length=5000, allow_blank=True, trim_whitespace=False)
    task = serializers.IntegerField(source="task_id", read_only=True)
    author = serializers.SerializerMethodField(help_text="Username; null for a former member.")

    class Meta:
        model = Comment
        fields = ["id", "task", "author", "body", "created_at", "edited_at"]
        read_only_fields = ["id", "task", "author", "created_at", "edited_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_author(self, comment) -> str | None:
        return comment.author.username if comment.author_id else None


class QuickAddSerializer(serializers.Serializer):
    text = Text(
        max_length=2000, trim_whitespace=False, help_text="Pay rent tomorrow 9am p1 #Home @bills"
    )
    project = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        help_text="Where it goes when the line names no #project.",
    )
    parent = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, help_text="Adds a sub-task."
    )


class UnderstoodSerializer(serializers.Serializer):
    title = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    due_time = serializers.TimeField(allow_null=True)
    priority = serializers.IntegerField()
    project = serializers.CharField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())
    assignee = serializers.CharField(allow_null=True)
    recurrence = serializers.CharField(allow_null=True)


class QuickAddResultSerializer(serializers.Serializer):
    task = TaskSerializer()
    understood = UnderstoodSerializer()
    notices = serializers.ListField(child=serializers.CharField())


class ReorderSerializer(serializers.Serializer):
    tasks = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        max_length=5000,
        help_text="Task ids in their new order; ids that are not the project's are ignored.",
    )
    parent = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        allow_null=True,
        help_text="Orders this task's sub-tasks.",
    )


class TombstoneSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["task", "project", "comment"])
    id = serializers.IntegerField()
    deleted_at = serializers.DateTimeField()
    reason = serializers.ChoiceField(
        choices=["trashed", "deleted"], help_text="A trashed task can still be restored."
    )
