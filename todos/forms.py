import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from todos import assignment, comments, recurrence
from todos.dates import DUE_RANGE_MESSAGE, in_due_range
from todos.models import Colour, Priority, Project, Tag, Task
from todos.quickadd import read_repeat
from todos.services import project_name_taken

STALE = (
    "This {} was changed elsewhere after you opened it. Its current values are shown "
    "below the form; your edits are kept in the form. Save again to replace them."
)


def new_key() -> str:
    return uuid.uuid4().hex


class SubmissionKeyField(forms.CharField):
    """A hidden value a form is rendered with, so sending it twice is seen as one submission."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=64, initial=new_key, **kwargs)


class QuickAddForm(forms.Form):
    text = forms.CharField(
        label="Add a task",
        max_length=2000,
        widget=forms.TextInput(
            attrs={
                "placeholder": "Pay rent tomorrow 9am p1 #Home @bills",
                "autocomplete": "off",
                "aria-describedby": "quick-add-help",
            }
        ),
    )
    key = SubmissionKeyField()


# The usual rules, one choice each; they repeat from the due date ("every week" on its weekday).
REPEAT_PRESETS = {
    "": ("Does not repeat", ""),
    "daily": ("Every day", "FREQ=DAILY"),
    "weekdays": ("Every weekday (Monday to Friday)", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    "weekly": ("Every week, on the due date's weekday", "FREQ=WEEKLY"),
    "monthly": ("Every month, on the due date's day", "FREQ=MONTHLY"),
    "yearly": ("Every year, on the due date", "FREQ=YEARLY"),
    "custom": ("Another rule, typed below", None),
}


class MemberField(forms.ModelChoiceField):
    """One member of a project (`offer` names it), or nobody: whom a task is given to."""

    default_error_messages = {"invalid_choice": "Pick a member of the project, or nobody."}

    def __init__(self, **kwargs):
        super().__init__(
            queryset=get_user_model().objects.none(),
            required=False,
            empty_label="Nobody",
            **kwargs,
        )

    def offer(self, of: Project | Task, people=None) -> None:
        """Offer the members of a project, or of a task's (`people`: assignment.members, if read)."""
        self.queryset = people if people is not None else assignment.members(of)

    def label_from_instance(self, obj) -> str:
        return obj.name


class TaskForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    key = SubmissionKeyField()
    assignee = MemberField(
        label="Assigned to",
        help_text="One member of the project; they are told when it is given to them.",
    )
    repeat = forms.ChoiceField(
        label="How often",
        required=False,
        choices=[(key, label) for key, (label, _) in REPEAT_PRESETS.items()],
    )
    repeat_text = forms.CharField(
        label="Rule",
        required=False,
        max_length=500,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "every 2 weeks on tuesday until dec 31"}
        ),
        help_text="Typed as in quick add (“every last friday”, “every! 3 days”), or an RRULE.",
    )
    repeat_mode = forms.ChoiceField(
        label="Next date counts from",
        choices=[
            (recurrence.Mode.SCHEDULE, "The due date (on schedule)"),
            (recurrence.Mode.COMPLETION, "The day it is done (after completion)"),
        ],
        initial=recurrence.Mode.SCHEDULE,
        required=False,
        widget=forms.RadioSelect,
    )
    # Fields of the form that are not the task's own.
    FORM_ONLY = ("tags", "version", "key", "repeat", "repeat_text", "repeat_mode")

    error_messages = {"stale": STALE.format("task")}

    class Meta:
        model = Task
        fields = (
            "title",
            "notes",
            "project",
            "assignee",
            "due_date",
            "due_time",
            "priority",
            "tags",
        )
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 5}),
            "due_date": forms.DateInput(
                attrs={"type": "date", "min": "1900-01-01", "max": "2200-12-31"},
                format="%Y-%m-%d",
            ),
            "due_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "tags": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "notes": "Plain text; links become clickable.",
            "due_time": "Optional; needs a due date.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.editable_by(user)
        # A task in an archived project stays editable without being moved out of it.
        self.fields["project"].queryset = projects.filter(
            Q(is_archived=False) | Q(pk=self.instance.project_id)
        )
        self.fields["project"].empty_label = None
        self.fields["tags"].queryset = Tag.objects.for_user(user)
        self.fields["priority"].choices = Priority.choices
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            del self.fields["key"]
        if self.instance.parent_id:
            # A sub-task lives in its parent's project.
            del self.fields["project"]
        self._offer_members()
        self.user = user
        # The rule's next five dates, shown beside it; read from the typed rule once cleaned.
        self.next_dates = []
        if self.instance.recurrence and self.instance.due_date:
            due = self.instance.due_date
            self.next_dates = [
                due,
                *recurrence.dates(self.instance.recurrence, start=due, after=due, count=4),
            ]
        if self.instance.recurrence:
            preset = next(
                (
                    key
                    for key, (_, rule) in REPEAT_PRESETS.items()
                    if rule == self.instance.recurrence
                ),
                "custom",
            )
            self.initial.setdefault("repeat", preset)
            if preset == "custom":
                self.initial.setdefault("repeat_text", self.instance.recurrence)
            self.initial.setdefault("repeat_mode", self.instance.recurrence_mode)

    def _assignable(self) -> Project | Task | None:
        """Return the project whose members the form offers: the one posted, else the task's
        own (the task stands for it), else the one the page started with."""
        if self.is_bound and "project" in self.fields:
            try:
                pk = int(self.data.get(self.add_prefix("project")))
            except (TypeError, ValueError):
                pk = None
            posted = self.fields["project"].queryset.filter(pk=pk).first() if pk else None
            if posted is not None:
                return posted
        if self.instance.project_id:
            return self.instance
        initial = self.initial.get("project")
        return initial if isinstance(initial, Project) else None

    def _offer_members(self) -> None:
        """Offer the project's members, only where there is someone to choose (it is shared)
        or an assignee to keep or clear."""
        project = self._assignable()
        people = assignment.members(project) if project is not None else None
        if people is None or (len(people) < 2 and self.instance.assignee_id is None):
            del self.fields["assignee"]
            return
        self.fields["assignee"].offer(project, people)

    def task_fields(self) -> dict:
        """Return the cleaned values that are the task's own, its repeat rule included."""
        return {k: v for k, v in self.cleaned_data.items() if k not in self.FORM_ONLY}

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("A task needs a title.", code="required")
        return title

    def clean_due_date(self):
        day = self.cleaned_data["due_date"]
        if day is not None and not in_due_range(day):
            raise forms.ValidationError(DUE_RANGE_MESSAGE, code="out_of_range")
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("due_time") and not cleaned.get("due_date"):
            self.add_error("due_date", "Pick a date for the due time, or clear the time.")
        self._clean_repeat(cleaned)
        return cleaned

    def _clean_repeat(self, cleaned: dict) -> None:
        """Read the repeat choice or the typed rule into `recurrence` and `recurrence_mode`."""
        choice = cleaned.get("repeat") or ""
        text = (cleaned.get("repeat_text") or "").strip()
        mode = cleaned.get("repeat_mode") or recurrence.Mode.SCHEDULE
        if choice == "" and text:
            choice = "custom"
        rule = REPEAT_PRESETS.get(choice, ("", ""))[1]
        if choice == "custom":
            if not text:
                self.add_error("repeat_text", "Type the rule, or pick one of the usual ones.")
                return
            repeat, error = read_repeat(
                text,
                now=timezone.now(),
                tz=timezone.get_current_timezone(),
                week_start=self.user.week_start,
            )
            if error:
                self.add_error("repeat_text", error)
                return
            rule = repeat.rule
            if repeat.after_completion:
                mode = recurrence.Mode.COMPLETION
        cleaned["recurrence"], cleaned["recurrence_mode"] = rule, mode
        if not rule:
            return
        today = timezone.localdate()
        # The task starts on the rule's first day from its due date (or from today), as
        # in quick add: "every tuesday" given a Wednesday starts the next Tuesday.
        due = recurrence.first_date(rule, on_or_after=cleaned.get("due_date") or today)
        if due != cleaned.get("due_date"):
            if due is None:
                self.add_error(
                    "repeat_text" if choice == "custom" else "repeat",
                    "This rule has no date to start on.",
                )
                return
            cleaned["due_date"] = due
        self.next_dates = [due, *recurrence.dates(rule, start=due, after=due, count=4)]


class AssignForm(forms.Form):
    """Whom a task is given to (nobody when empty), and the version the choice was made at."""

    assignee = MemberField(label="Assign to")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].offer(task)
        self.fields["assignee"].initial = task.assignee_id
        self.fields["version"].initial = task.version


class ProjectForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    error_messages = {"stale": STALE.format("project")}

    class Meta:
        model = Project
        fields = ("name", "colour")
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "colour": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("A project needs a name.", code="required")
        if project_name_taken(
            self.user, name, exclude=self.instance if self.instance.pk else None
        ):
            raise forms.ValidationError(
                "You already have a project called “%(name)s”.",
                code="duplicate",
                params={"name": name},
            )
        return name


class ProjectNameForm(forms.Form):
    """The name of a project to create from a line's unknown #word."""

    name = forms.CharField(max_length=100)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Name the project to create.", code="required")
        return name


class TagForm(forms.Form):
    name = forms.CharField(label="Name", max_length=50)
    colour = forms.ChoiceField(choices=Colour.choices, widget=forms.RadioSelect)
    # Shown only once the name asked for is another tag's (see offer_merge).
    merge = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split()).lstrip("@")
        if not name:
            raise forms.ValidationError("A tag needs a name.", code="required")
        return name

    def offer_merge(self, tag: Tag, other: Tag) -> None:
        """Say the name is taken and offer to merge this tag into the one that has it."""
        merge = self.fields["merge"]
        merge.widget = forms.CheckboxInput()
        merge.help_text = (
            f"Every task tagged @{tag.name} gets @{other.name}, then @{tag.name} is deleted."
        )
        # The bound field read its label when the form was cleaned.
        self["merge"].label = f"Merge @{tag.name} into @{other.name}"
        self.add_error(
            "name",
            forms.ValidationError(
                "You already have a tag called “%(name)s”. Tick “Merge” below to combine them.",
                code="duplicate",
                params={"name": other.name},
            ),
        )


class MoveForm(forms.Form):
    """Check the project a task is moved to (the page lists the sidebar's projects itself)."""

    project = forms.ModelChoiceField(queryset=Project.objects.none(), label="Move to")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.editable_by(user).active()


class BulkForm(forms.Form):
    ACTIONS = [
        ("complete", "Complete"),
        ("reopen", "Reopen"),
        ("move", "Move to project"),
        ("delete", "Move to trash"),
    ]
    # What the tasks an action leaves alone already were, for the message.
    ALREADY = {
        "complete": "completed or in the trash",
        "reopen": "open or in the trash",
        "move": "in that project or in the trash",
        "delete": "in the trash",
    }
    # The person's tasks in the trash too: one trashed in another tab is left alone, not an error.
    tasks = forms.ModelMultipleChoiceField(queryset=Task.objects.none())
    action = forms.ChoiceField(choices=ACTIONS)
    project = forms.ModelChoiceField(queryset=Project.objects.none(), required=False)

    error_messages = {"no_project": "Pick the project to move the tasks to."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = Task.objects.owned_by(user)
        self.fields["project"].queryset = Project.objects.editable_by(user).active()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "move" and not cleaned.get("project"):
            self.add_error("project", self.error_messages["no_project"])
        return cleaned


class SearchForm(forms.Form):
    STATUS = [("open", "Open"), ("completed", "Completed"), ("all", "Any status")]
    DUE = [
        ("", "Any date"),
        ("overdue", "Overdue"),
        ("today", "Today"),
        ("week", "Next 7 days"),
        ("later", "After the next 14 days"),
        ("none", "No date"),
    ]

    q = forms.CharField(label="Search", required=False, max_length=200)
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(), required=False, empty_label="Any project"
    )
    tag = forms.ModelChoiceField(
        queryset=Tag.objects.none(), required=False, empty_label="Any tag"
    )
    priority = forms.TypedChoiceField(
        choices=[("", "Any priority"), *Priority.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    status = forms.ChoiceField(choices=STATUS, required=False)
    due = forms.ChoiceField(choices=DUE, required=False)

    def __init__(self, *args, user, projects, tags, **kwargs):
        """Offer `projects` and `tags` (the sidebar's, cached) to filter by; check against the database."""
        super().__init__(*args, **kwargs)
        for name, queryset, choices in [
            ("project", Project.objects.for_user(user), projects),
            ("tag", Tag.objects.for_user(user), tags),
        ]:
            field = self.fields[name]
            field.queryset = queryset
            field.choices = [("", field.empty_label), *((c.pk, c.name) for c in choices)]


class CommentForm(forms.Form):
    """A comment's text, read by the rules of todos.comments."""

    body = forms.CharField(
        label="Add a comment",
        # Kept as typed until todos.comments reads it, so an error shows it unchanged.
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": comments.MAX_LENGTH}),
        error_messages={"required": comments.EMPTY},
    )

    def __init__(self, *args, auto_id="comment-add-%s", **kwargs):
        # The task page has the form to add one; an edit form beside it needs ids of its own.
        super().__init__(*args, auto_id=auto_id, **kwargs)

    def clean_body(self):
        return comments.clean_body(self.cleaned_data["body"])
