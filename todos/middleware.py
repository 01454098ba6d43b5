from django.contrib.auth import get_user_model
from django.db.models import F


class DataVersionMiddleware:
    """Mark a person's data as changed after each of their successful POSTs.

    Every change to tasks, projects and tags arrives as a POST, so this one place
    keeps what is cached per person (the sidebar) fresh in every app process.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            request.method == "POST"
            and response.status_code < 400
            and user is not None
            and user.is_authenticated
        ):
            get_user_model().objects.filter(pk=user.pk).update(data_version=F("data_version") + 1)
        return response
