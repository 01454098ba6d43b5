"""What every resource of the API shares: the object lookup, ids in URLs, writes' checks."""

from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from api import versions
from api.pagination import Cursor

# At most 18 digits: a larger id is no object of ours, not an overflow in the database.
ID = r"\d{1,18}"


def checked(serializer_class, data, *, partial: bool = False) -> dict:
    """Return the request's values once their types are right, or raise the 400."""
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def with_etag(response: Response, obj) -> Response:
    response["ETag"] = versions.etag(obj)
    return response


def created(data, obj, *, replayed: bool = False) -> Response:
    """The 201 of a create; the same body again for a retried one (same Idempotency-Key)."""
    response = Response(data, status=status.HTTP_201_CREATED)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return with_etag(response, obj)


def idempotency_key(request) -> str:
    key = request.headers.get("Idempotency-Key", "")
    if len(key) > 64 or not key.isprintable():
        raise serializers.ValidationError(
            {"Idempotency-Key": ["Up to 64 printable characters, new for each new object."]}
        )
    return key


def refuse(field: str, message: str):
    """Refuse a write with a 400 naming the field at fault."""
    raise serializers.ValidationError({field: [message]})


class Resource(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A kind of object read by id and listed by cursor; versioned ones carry an ETag."""

    pagination_class = Cursor
    lookup_value_regex = ID
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def retrieve(self, request, *args, **kwargs):
        return self.shown(self.get_object(), again=False)

    def shown(self, obj, *, again: bool = True) -> Response:
        """Answer with the object as it is now (read `again` after a write)."""
        if again:
            obj = self.get_queryset().get(pk=obj.pk)
        response = Response(self.get_serializer(obj).data)
        return with_etag(response, obj) if hasattr(obj, "version") else response

    def page_of(self, queryset) -> Response:
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
