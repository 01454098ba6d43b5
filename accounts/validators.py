import unicodedata
import zoneinfo
from collections import defaultdict
from functools import cache
from pathlib import Path

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


def _comparable(text: str) -> str:
    """Return text as people type it: any case, spaces for underscores, accents optional."""
    text = unicodedata.normalize("NFKD", text.replace("_", " ").replace("-", " "))
    text = "".join(c for c in text if not unicodedata.combining(c) and c not in ".'\u2019")
    return " ".join(text.casefold().split())


@cache
def _canonical_zones() -> frozenset[str]:
    """Return the zones the time zone database lists as current, not as old aliases."""
    for folder in zoneinfo.TZPATH:
        table = Path(folder) / "zone1970.tab"
        if table.is_file():
            rows = table.read_text(encoding="utf-8").splitlines()
            return frozenset(row.split("\t")[2] for row in rows if row and not row.startswith("#"))
    # Without the table every zone counts, and aliases are offered side by side.
    return available_timezones()


@cache
def _zones_by_text() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """Index the zones by their whole name and by their city, the part after the last “/”."""
    by_name, by_city = {}, defaultdict(set)
    for zone in available_timezones():
        by_name[_comparable(zone)] = zone
        by_city[_comparable(zone.rsplit("/", 1)[-1])].add(zone)
    return by_name, {city: frozenset(zones) for city, zones in by_city.items()}


def timezone_from_text(text: str) -> str:
    """Return the IANA zone that text names, as a zone name or a city in any case."""
    typed = _comparable(text)
    by_name, by_city = _zones_by_text()
    if typed in by_name:
        return by_name[typed]
    matches = by_city.get(typed, frozenset())
    # Most cities also appear under an old alias (America/Buenos_Aires beside
    # America/Argentina/Buenos_Aires); the current name wins.
    current = matches & _canonical_zones()
    if len(current) == 1 or len(matches) == 1:
        return min(current or matches)
    if matches:
        raise ValidationError(
            "“%(value)s” matches several time zones: %(zones)s. Type the one you mean.",
            code="ambiguous_timezone",
            params={"value": text, "zones": ", ".join(sorted(current or matches))},
        )
    raise ValidationError(
        "“%(value)s” is not a known time zone: type a city, such as Paris, "
        "or a name like Europe/Paris.",
        code="invalid_timezone",
        params={"value": text},
    )
