from django import forms

from webhooks.models import Event, Webhook
from webhooks.services import MAX_WEBHOOKS, check_url


class WebhookForm(forms.ModelForm):
    error_messages = {
        "no_events": "Choose at least one event.",
        "too_many": f"You can have at most {MAX_WEBHOOKS} webhooks.",
    }

    url = forms.URLField(
        label="URL",
        max_length=2000,
        assume_scheme="https",
        help_text="Where Ticklist POSTs each event, signed with the webhook's secret.",
    )
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Webhook
        fields = ["url", "events"]

    def __init__(self, *args, owner, **kwargs):
        self.owner = owner
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("events", Event.values)

    def clean_url(self):
        return check_url(self.cleaned_data["url"])

    def clean_events(self):
        events = self.cleaned_data["events"]
        if not events:
            raise forms.ValidationError(self.error_messages["no_events"], code="no_events")
        return sorted(events)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and self.owner.webhooks.count() >= MAX_WEBHOOKS:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many")
        return cleaned
