"""The problem documents each operation can answer with, added to the OpenAPI schema.

drf-spectacular documents what a view returns when all goes well. What DRF and our
views answer when it does not is worked out here from each view's own classes and
operation, so a client (or a fuzzer) reads every status it can really get.

A view documents a problem only it knows of with a bare response, which gets the
Problem body here: `@extend_schema(responses={201: TaskSerializer,
404: OpenApiResponse(description="No such parent task among yours.")})`.
"""

from rest_framework import permissions
from rest_framework.authentication import BaseAuthentication
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.pagination import CursorPagination, PageNumberPagination

from api.permissions import TokenScopeAllows
from api.problems import PROBLEM_TYPE

PROBLEM = {
    "type": "object",
    "description": "What went wrong, as an RFC 9457 problem document.",
    "properties": {
        "type": {
            "type": "string",
            "description": "A URI naming the kind of problem; `about:blank` when the status says it all.",
        },
        "title": {
            "type": "string",
            "description": "The status code's phrase, such as “Not Found”.",
        },
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "What went wrong this time, for a person."},
        "errors": {
            "type": "object",
            "description": (
                "Each invalid field's messages by field name (nested for nested fields); "
                "`non_field_errors` for the request as a whole."
            ),
            "additionalProperties": {},
        },
        "retry_after": {
            "type": "integer",
            "minimum": 0,
            "description": "Seconds to wait before trying again, on a 429.",
        },
    },
    "required": ["type", "title", "status", "detail"],
}

# Hours and minutes, then seconds and microseconds if any, as Python writes and reads them.
TIME_OF_DAY = r"^\d{1,2}:\d{1,2}(:\d{1,2}(\.\d{1,6})?)?$"

# DRF's own ways of reading a page size, which never refuse one.
LENIENT_PAGE_SIZES = {CursorPagination.get_page_size, PageNumberPagination.get_page_size}

# Permission classes that never refuse a read by a signed-in person.
READS_ALWAYS_ALLOWED = {
    permissions.AllowAny,
    permissions.IsAuthenticated,
    permissions.IsAuthenticatedOrReadOnly,
    TokenScopeAllows,
}


def document_problems(result, generator, request, public):
    """Add the problem responses each operation's view can give, and the Problem schema."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for schema in schemas.values():
        describe_times(schema)
    schemas["Problem"] = PROBLEM
    for path, _, method, callback in generator.endpoints:
        view = generator.create_view(callback, method)
        operations = result["paths"].get(generator.coerce_path(path, method, view), {})
        operation = operations.get(method.lower())
        if operation is None:
            continue
        describe_query_parameters(operation, view)
        responses = operation.setdefault("responses", {})
        for status, description in problems(view, method, operation, schemas):
            responses.setdefault(str(status), problem_response(status, description))
        for status, response in responses.items():
            if status.startswith("4") and "content" not in response:
                response |= problem_response(int(status), response.get("description", ""))
    return result


def describe_times(schema) -> None:
    """Describe a time of day as DRF reads and writes it ("09:30:00"), not as RFC 3339 would.

    JSON Schema's `time` format is RFC 3339's full-time, which carries an offset ("09:30:00Z");
    a task's time is a wall-clock time in its owner's zone, with none.
    """
    if isinstance(schema, list):
        for item in schema:
            describe_times(item)
    elif isinstance(schema, dict):
        if schema.get("format") == "time":
            del schema["format"]
            schema["pattern"] = TIME_OF_DAY
        for value in schema.values():
            describe_times(value)


def describe_query_parameters(operation: dict, view) -> None:
    """Say what DRF does with the query parameters it reads leniently.

    An optional parameter may be sent empty (`?due_before=`): DRF reads that as no value
    at all. DRF's own page size is any value: a whole number is taken (up to the most a
    page holds), anything else gives the usual size. Only a cursor must be one the list gave.
    """
    paginator = getattr(view, "paginator", None)
    cursor = getattr(paginator, "cursor_query_param", None)
    page_size = getattr(paginator, "page_size_query_param", None)
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query" or parameter.get("required"):
            continue
        if parameter["name"] != cursor:
            parameter["allowEmptyValue"] = True
        if parameter["name"] == page_size and takes_any_page_size(paginator):
            parameter["schema"] = {}
            parameter["description"] = (
                f"How many to a page: a whole number, at most {paginator.max_page_size} (a larger "
                f"one gives {paginator.max_page_size}). Left out, or anything else, gives "
                f"{paginator.page_size}."
            )


def problems(view, method: str, operation: dict, schemas: dict) -> list[tuple[int, str]]:
    """Return each problem status this operation can answer with, and what it means here."""
    parameters = operation.get("parameters", [])
    checked = {p["name"] for p in parameters if p["in"] in {"query", "header"}}
    authenticators = view.get_authenticators()
    # DRF turns a 401 into a 403 when the first authenticator cannot say how to authenticate.
    asks_for_a_token = bool(authenticators) and overrides(
        authenticators[0], BaseAuthentication, "authenticate_header"
    )
    paginator = getattr(view, "paginator", None)
    cursor = getattr(paginator, "cursor_query_param", None)
    found = []
    if "requestBody" in operation or checked - ignored_when_wrong(view, paginator, cursor):
        found.append(
            (400, "A field or parameter is not valid (see `errors`), or the body is not JSON.")
        )
    if asks_for_a_token:
        found.append((401, "No token was sent, or it was revoked, has expired or never existed."))
    if method not in permissions.SAFE_METHODS:
        found.append((403, "The token can only read, or you may not change this."))
    elif (authenticators and not asks_for_a_token) or any(
        cls not in READS_ALWAYS_ALLOWED for cls in view.permission_classes
    ):
        found.append((403, "You may not see this."))
    if any(p["in"] == "path" for p in parameters):
        found.append((404, "There is no such object among those you can see."))
    elif cursor in checked and not overrides(paginator, CursorPagination, "decode_cursor"):
        # DRF's own cursor pagination answers a cursor it did not give with a 404.
        found.append((404, "The cursor is not one this list gave."))
    found.append((406, "The Accept header asks for something other than JSON."))
    if any(p["in"] == "header" and p["name"].lower() == "if-match" for p in parameters):
        found.append((412, "Someone changed this since you read it: read it again."))
        # Where the body may say the version instead, one of the two is required.
        if "version" in body_fields(operation, schemas):
            found.append((428, "Say which version you are changing: `If-Match` or `version`."))
    if "requestBody" in operation:
        found.append((415, "The body is not `application/json`."))
    if view.get_throttles():
        found.append(
            (429, "Too many requests from this token or person: wait `retry_after` seconds.")
        )
    return sorted(found)


def body_fields(operation: dict, schemas: dict) -> set[str]:
    """Return the names of the fields of the operation's JSON body."""
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = schemas.get(schema["$ref"].rsplit("/", 1)[1], {})
    return set(schema.get("properties", {}))


def ignored_when_wrong(view, paginator, cursor: str | None) -> set[str]:
    """Return the query parameters that are never refused with a 400."""
    names = set()
    if takes_any_page_size(paginator):
        names.add(paginator.page_size_query_param)
    if cursor and not overrides(paginator, CursorPagination, "decode_cursor"):
        names.add(cursor)
    for backend in getattr(view, "filter_backends", []):
        if issubclass(backend, OrderingFilter):
            names.add(backend.ordering_param)
        elif issubclass(backend, SearchFilter):
            names.add(backend.search_param)
    return names - {None}


def takes_any_page_size(paginator) -> bool:
    return getattr(type(paginator), "get_page_size", None) in LENIENT_PAGE_SIZES


def overrides(instance, base: type, name: str) -> bool:
    return getattr(type(instance), name) is not getattr(base, name)


def problem_response(status: int, description: str) -> dict:
    response = {
        "description": description,
        "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status == 401:
        response["headers"] = {
            "WWW-Authenticate": {
                "description": "How to authenticate: `Bearer`.",
                "required": True,
                "schema": {"type": "string"},
            }
        }
    elif status == 429:
        response["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "schema": {"type": "integer", "minimum": 0},
            }
        }
    return response
