"""Optimistic concurrency: every write names the version it read, so no edit is lost."""

import re

from rest_framework import exceptions, status

from todos import history

ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "Someone changed this since you read it: read it again and re-apply your edit."
    )
    default_code = "stale"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Say which version you are changing: send `If-Match` with the ETag you read, "
        "or a `version` field."
    )
    default_code = "version_required"


def etag(obj) -> str:
    return f'"{obj.version}"'


def expected(request, *, required: bool = True) -> int | None:
    """Return the version a write says it read: `If-Match`, else the body's `version`."""
    header = request.headers.get("If-Match")
    if header is not None:
        match = ETAG.match(header)
        if match is None:
            raise exceptions.ValidationError(
                {"If-Match": ['Send the ETag you read, such as "3".']}
            )
        return int(match[1])
    version = request.data.get("version") if isinstance(request.data, dict) else None
    if version is None:
        if required:
            raise PreconditionRequired
        return None
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise exceptions.ValidationError({"version": ["A whole number: the version you read."]})
    return version


def refuse_stale(obj, viewer) -> PreconditionFailed:
    """Return the 412 for a stale write, saying who changed it meanwhile where we know."""
    who = history.changed_meanwhile(obj, viewer)
    detail = PreconditionFailed.default_detail
    return PreconditionFailed(f"{who}. {detail}" if who else detail)
