from django.http import HttpRequest

from todos.selectors import local_today


def task_page(request: HttpRequest) -> dict:
    """Give every template the user's today and the page to come back to after a POST.

    Under htmx the request is the POST itself, so "here" is the page htmx sent it from.
    """
    htmx = getattr(request, "htmx", None)
    return {
        "today": local_today(),
        "here": (htmx and htmx.current_url_abs_path) or request.get_full_path(),
    }
