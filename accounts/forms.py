from datetime import datetime, timedelta

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.base_user import BaseUserManager

from accounts import emails
from accounts.models import AccessToken, User
from accounts.validators import available_timezones, timezone_from_text
from reminders import schedule


def normalize_email(address: str) -> str:
    """Return an address as stored: trimmed, with its domain in lower case."""
    return BaseUserManager.normalize_email(address.strip())


class SignUpForm(auth_forms.UserCreationForm):
    email = forms.EmailField(
        label="Email address",
        help_text="We send a link there to confirm it. Never shown to anyone.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Filled in by the browser's own zone when JavaScript runs; UTC otherwise.
    timezone = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta(auth_forms.UserCreationForm.Meta):
        model = User
        fields = ("username",)

    def clean_email(self) -> str:
        # Whether the address already has an account is never said here: its owner
        # is told by mail instead (accounts.emails.send_email_confirmation).
        return normalize_email(self.cleaned_data["email"])

    def clean_timezone(self) -> str:
        zone = self.cleaned_data.get("timezone", "")
        return zone if zone in available_timezones() else "UTC"

    def save(self, commit=True):
        user = super().save(commit=False)
        user.timezone = self.cleaned_data["timezone"]
        user.pending_email = self.cleaned_data["email"]
        if commit:
            user.save()
        return user


class SignInForm(auth_forms.AuthenticationForm):
    remember_me = forms.BooleanField(
        label="Keep me signed in",
        required=False,
        help_text="Otherwise you are signed out when you close the browser.",
    )

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": (
            "The username or email and password you entered do not match an account. "
            "Passwords are case-sensitive, and an email address works once it is confirmed."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Username or email"


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Leave the whole reset to the worker, so every address gets the same quick answer."""

    def save(self, *, domain_override=None, use_https=False, request=None, **kwargs):
        # Looking the address up here would already take longer for one that
        # has an account; the worker looks it up and mails its owner.
        emails.send_password_reset.enqueue(
            email=self.cleaned_data["email"],
            domain=domain_override or request.get_host(),
            use_https=use_https,
        )


class CurrentPasswordMixin:
    """Check the current password the way sign-in does, so failures count towards a lockout."""

    error_messages = {"password_incorrect": "That is not your current password."}

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def check_current_password(self, password: str) -> str:
        # Through authenticate(), django-axes refuses a locked-out account and
        # counts this failure with those of the sign-in form.
        signed_in = authenticate(
            self.request, username=self.user.get_username(), password=password
        )
        if signed_in is None or signed_in.pk != self.user.pk:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return password


class PasswordChangeForm(CurrentPasswordMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        **CurrentPasswordMixin.error_messages,
    }

    def clean_old_password(self) -> str:
        return self.check_current_password(self.cleaned_data["old_password"])


class TimezoneField(forms.CharField):
    """A time zone typed as its IANA name or a city; cleaned to the IANA name."""

    def clean(self, value):
        text = super().clean(value)
        return timezone_from_text(text) if text else text


class SettingsForm(forms.ModelForm):
    email = forms.EmailField(
        label="Email address",
        help_text=(
            "For signing in and resetting your password; never shown to anyone. "
            "A new address is used once you open the link we send to it."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    timezone = TimezoneField(
        label="Time zone",
        max_length=64,
        help_text="Start typing a city, such as Paris or New York.",
        widget=forms.TextInput(
            attrs={"list": "timezone-list", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    field_order = (
        "display_name",
        "email",
        "timezone",
        "week_start",
        "today_assigned_only",
        "theme",
        "keyboard_shortcuts",
        "default_reminder",
        "remind_by_email",
        "remind_in_app",
        "remind_by_push",
        "digest_hour",
    )

    class Meta:
        model = User
        fields = (
            "display_name",
            "timezone",
            "week_start",
            "today_assigned_only",
            "theme",
            "keyboard_shortcuts",
            "default_reminder",
            "remind_by_email",
            "remind_in_app",
            "remind_by_push",
            "digest_hour",
        )
        widgets = {"display_name": forms.TextInput(attrs={"autocomplete": "nickname"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The address the person wants: the one waiting for confirmation, if any.
        self.fields["email"].initial = self.instance.pending_email or self.instance.email
        # A form without the theme (an older page) keeps the one chosen.
        self.fields["theme"].required = False
        self.address_to_confirm = ""
        # The empty choice says what it means rather than "---------".
        for name, empty in (("default_reminder", "None"), ("digest_hour", "Off")):
            field = self.fields[name]
            field.choices = [("", empty), *[c for c in field.choices if c[0] != ""]]

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])

    def clean_theme(self) -> str:
        return self.cleaned_data["theme"] or self.instance.theme

    def save(self, commit=True):
        user = super().save(commit=False)
        address = self.cleaned_data["email"]
        if address.casefold() == user.email.casefold():
            # The confirmed address, perhaps in another case: nothing to confirm,
            # and any change that was waiting is dropped.
            user.email, user.pending_email = address, ""
        elif address.casefold() != user.pending_email.casefold():
            user.pending_email = self.address_to_confirm = address
        if commit:
            user.save()
            if "default_reminder" in self.changed_data:
                schedule.apply_default(user)
        return user


class DeleteAccountForm(CurrentPasswordMixin, forms.Form):
    password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, request, **kwargs):
        self.user = user
        super().__init__(*args, request=request, **kwargs)

    def clean_password(self) -> str:
        return self.check_current_password(self.cleaned_data["password"])


class AccessTokenForm(forms.ModelForm):
    LIFETIMES = {"30": 30, "90": 90, "365": 365, "never": None}

    lifetime = forms.ChoiceField(
        label="Expires",
        choices=[
            ("30", "In 30 days"),
            ("90", "In 90 days"),
            ("365", "In a year"),
            ("never", "Never"),
        ],
        initial="90",
    )
    ends_with_password = forms.BooleanField(
        label="Stop working when I change my password",
        required=False,
        initial=True,
    )

    class Meta:
        model = AccessToken
        fields = ("name", "scope")
        widgets = {"scope": forms.RadioSelect}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.owner = owner

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if self.instance.owner.access_tokens.filter(name__iexact=name).exists():
            raise forms.ValidationError("You already have a token with this name.", code="taken")
        return name

    def validate_constraints(self, exclude=None):
        # The name is checked above, with the owner, which the form has no field for.
        pass

    def expires_at(self, now: datetime) -> datetime | None:
        days = self.LIFETIMES[self.cleaned_data["lifetime"]]
        return None if days is None else now + timedelta(days=days)
