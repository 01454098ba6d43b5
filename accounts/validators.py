import zoneinfo
from functools import cache

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible


@deconstructible
class UsernameValidator(UnicodeUsernameValidator):
    """Allow letters, digits and ./+/-/_ only: no “@”, so no username passes for an email."""

    regex = r"^[\w.+-]+\Z"
    message = (
        "Enter a username of letters, digits and ./+/-/_ only. "
        "It cannot contain “@”: sign-in takes an email address too."
    )


@cache
def available_timezones() -> frozenset[str]:
    """Return the IANA zone names this machine knows."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    """Refuse anything that is not an IANA time zone name."""
    if value not in available_timezones():
        raise ValidationError(
            "“%(value)s” is not a known time zone; use a name like Europe/Paris.",
            code="invalid_timezone",
            params={"value": value},
        )
