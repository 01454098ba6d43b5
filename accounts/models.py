from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession, BaseSessionManager
from django.db import models
from django.db.models.functions import Lower

from accounts.validators import UsernameValidator, validate_timezone


class Weekday(models.IntegerChoices):
    """Days a week may start on, numbered as Python's date.weekday()."""

    MONDAY = 0, "Monday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Theme(models.TextChoices):
    SYSTEM = "system", "Same as this device"
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"


class DefaultReminder(models.IntegerChoices):
    """Minutes before its due time that a task with one is reminded of, unless it has its own."""

    AT_THE_TIME = 0, "At the due time"
    TEN = 10, "10 minutes before"
    THIRTY = 30, "30 minutes before"
    SIXTY = 60, "1 hour before"


class User(AbstractUser):
    username_validator = UsernameValidator()

    username = models.CharField(
        "username",
        max_length=150,
        unique=True,
        help_text="Required. 150 characters or fewer. Letters, digits and ./+/-/_ only.",
        validators=[username_validator],
        error_messages={"unique": "A user with that username already exists."},
    )
    # The address people sign in and reset their password with is `email`, and
    # only once its owner has opened the link sent to it; until then it waits here.
    pending_email = models.EmailField(
        "email address waiting for confirmation",
        blank=True,
        help_text="Becomes the email address when its owner opens the link sent to it.",
    )
    display_name = models.CharField(
        "display name",
        max_length=150,
        blank=True,
        help_text="How Ticklist greets you; your username is used when empty.",
    )
    timezone = models.CharField(
        "time zone",
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="IANA name, such as Europe/Paris; dates are shown in this zone.",
    )
    week_start = models.PositiveSmallIntegerField(
        "first day of the week", choices=Weekday, default=Weekday.MONDAY
    )
    theme = models.CharField(
        "theme",
        max_length=10,
        choices=Theme,
        default=Theme.SYSTEM,
        help_text="Light or dark; by default the one your device asks for.",
    )
    keyboard_shortcuts = models.BooleanField(
        "single-key shortcuts",
        default=True,
        help_text="Keys such as q (quick add) and c (complete) act at once; press ? for the list.",
    )
    default_reminder = models.PositiveSmallIntegerField(
        "default reminder",
        choices=DefaultReminder,
        null=True,
        blank=True,
        help_text="Given to every task with a due time that has no reminder of its own.",
    )
    remind_by_email = models.BooleanField("by email", default=True)
    remind_in_app = models.BooleanField("in Ticklist (notifications page)", default=True)
    remind_by_push = models.BooleanField(
        "by browser notification",
        default=True,
        help_text="On the browsers where you turned notifications on.",
    )
    digest_hour = models.PositiveSmallIntegerField(
        "daily digest",
        null=True,
        blank=True,
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
        help_text="An email with what is overdue and due today, at this hour of your day.",
    )
    # The local day the last digest went out for, so each day has at most one.
    digest_sent_on = models.DateField(null=True, blank=True, editable=False)
    # How many in-app notifications wait unread: kept here, on the row every request
    # reads anyway, so the header's count costs no query.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)
    # How many projects others share with this person (todos.Membership). While it is
    # 0, the one door reads only the person's own rows, through the indexes that lead
    # with the owner; it never decides access alone (the door still reads memberships).
    shared_projects = models.PositiveIntegerField(default=0, editable=False)
    # Today lists the shared tasks assigned to this person or to nobody; this narrows
    # it to theirs.
    today_assigned_only = models.BooleanField(
        "only my shared tasks in Today",
        default=False,
        help_text="In shared projects, Today shows only the tasks assigned to you.",
    )
    # The secret in the calendar feed's address; a new one revokes the old address.
    calendar_token = models.CharField(max_length=64, blank=True, editable=False)
    # Bumped after each change a person makes (todos.middleware), so what is cached
    # from their lists is refreshed in every app process. Read with the user anyway.
    data_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # Sign-in takes a username or an email in any case, so each must
            # name one account whatever its case.
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message="That username is taken.",
            ),
            models.UniqueConstraint(
                fields=["calendar_token"],
                condition=~models.Q(calendar_token=""),
                name="accounts_user_calendar_token_unique",
            ),
            # Blank stays allowed for accounts made without one (createsuperuser).
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                condition=~models.Q(email=""),
                violation_error_message="An account with this email address already exists.",
            ),
        ]

    @property
    def name(self) -> str:
        """Return what to call this person in the interface."""
        return self.display_name or self.username


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


class AccessToken(models.Model):
    """A personal access token for the API; only a digest of the secret is kept."""

    owner = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField("name", max_length=100, help_text="Where you use it, such as “Phone”.")
    scope = models.CharField("access", max_length=5, choices=TokenScope, default=TokenScope.READ)
    # The first characters of the secret, shown so a person can tell their tokens apart.
    prefix = models.CharField(max_length=12, editable=False)
    # SHA-256 of the secret: it is 256 random bits, so a slow hash would add nothing.
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # Of the owner's password when the token was made: a new password ends the token
    # (as it ends sessions) unless the person chose to keep it.
    password_mark = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("expires", null=True, blank=True)
    last_used_at = models.DateTimeField("last used", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                name="accounts_accesstoken_name_unique",
                violation_error_message="You already have a token with this name.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class SessionManager(BaseSessionManager):
    """Sessions read with their account, in the same query."""

    def get_queryset(self):
        return super().get_queryset().select_related("user")


class Session(AbstractBaseSession):
    """A signed-in browser's session, with the account it belongs to beside its data.

    The account is a column, not only a value inside the signed data, so a request
    reads its session and its user in one query (accounts.sessions), and so the
    sessions of an account can be found, ended or counted without decoding them all.
    """

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )

    objects = SessionManager()

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore
