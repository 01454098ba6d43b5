from django.http import HttpRequest

from todos import changes
from todos.selectors import current_page, local_today, sidebar_for


def task_page(request: HttpRequest) -> dict:
    """Give every template what the signed-in pages share.

    `here` is the page to come back to after a POST: under htmx the request is
    the POST itself, so it is the page htmx sent it from, and `page_name` and
    `page_pk` name that page (for the sidebar and menu to mark it).
    """
    htmx = getattr(request, "htmx", None)
    page = current_page(request)
    # Error pages may render before authentication ran: no user then.
    user = getattr(request, "user", None)
    signed_in = getattr(user, "is_authenticated", False)
    return {
        "today": local_today(),
        "here": (htmx and htmx.current_url_abs_path) or request.get_full_path(),
        "page_name": page.view_name if page else "",
        "page_pk": page.kwargs.get("pk") if page else None,
        "sidebar": sidebar_for(request),
        "person_key": changes.person_key(user) if signed_in else "",
    }
