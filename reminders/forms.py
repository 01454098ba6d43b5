"""The form that gives a task a reminder: a choice of the usual ones, or a date and time."""

from datetime import datetime

from django import forms
from django.utils import timezone

from reminders.schedule import MORNING

# The choices, and the Reminder fields each stands for.
PRESETS = {
    "0": ("At the due time", {"minutes_before": 0}),
    "10": ("10 minutes before", {"minutes_before": 10}),
    "30": ("30 minutes before", {"minutes_before": 30}),
    "60": ("1 hour before", {"minutes_before": 60}),
    "1d": ("1 day before at 09:00", {"days_before": 1, "at_time": MORNING}),
    "at": ("At a date and time…", {}),
}


class ReminderForm(forms.Form):
    when = forms.ChoiceField(
        label="Remind me", choices=[(key, label) for key, (label, _) in PRESETS.items()]
    )
    at = forms.DateTimeField(
        label="Date and time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text="In your time zone.",
    )

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task

    def clean(self):
        data = super().clean()
        when = data.get("when")
        if when == "at":
            if data.get("at") is None and "at" not in self.errors:
                self.add_error("at", "Pick the date and time to be reminded at.")
            return data
        if when is None or self.task is None:
            return data
        fields = PRESETS[when][1]
        if "minutes_before" in fields and self.task.due_time is None:
            self.add_error(
                "when",
                "This task has no due time, so there is nothing to count back from: "
                "give it a time, or pick “1 day before” or a date and time.",
            )
        if self.task.due_date is None:
            self.add_error(
                "when", "This task has no due date: pick a date and time to be reminded at."
            )
        return data

    def reminder_fields(self) -> dict:
        when = self.cleaned_data["when"]
        if when == "at":
            moment = self.cleaned_data["at"]
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return {"at": moment}
        return dict(PRESETS[when][1])


def local_input(moment: datetime) -> str:
    """Return a moment as a datetime-local input shows it, in the current zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")
