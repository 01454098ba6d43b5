from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower

from accounts.validators import validate_timezone


class User(AbstractUser):
    timezone = models.CharField(
        "time zone",
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="IANA name, such as Europe/Paris; dates are shown in this zone.",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # Sign-in by email needs one account per address, whatever its case;
            # blank stays allowed for accounts made without one (createsuperuser).
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                condition=~models.Q(email=""),
                violation_error_message="An account with this email address already exists.",
            ),
        ]
