"""Errors as RFC 9457 problem details (application/problem+json)."""

from http import HTTPStatus

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_TYPE = "application/problem+json"


def handle(exc, context) -> Response | None:
    """Say what went wrong as a problem document, field errors under `errors`."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    body = {
        "type": "about:blank",
        "title": HTTPStatus(code).phrase,
        "status": code,
    }
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        body["detail"] = "The request has invalid fields; each is listed under “errors”."
        body["errors"] = data if isinstance(data, dict) else {"non_field_errors": data}
    elif isinstance(data, dict) and "detail" in data:
        body["detail"] = str(data["detail"])
    else:
        body["detail"] = str(data)
    if code == status.HTTP_429_TOO_MANY_REQUESTS and getattr(exc, "wait", None):
        body["retry_after"] = int(exc.wait)
    response.data = body
    # The browsable API draws the problem as a page: only JSON is labelled a problem document.
    renderer = getattr(context["request"], "accepted_renderer", None)
    if renderer is None or renderer.format == "json":
        response.content_type = PROBLEM_TYPE
    return response
