import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError


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
