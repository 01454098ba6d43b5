"""The colour theme a page is drawn in: the person's setting, or a visitor's cookie."""

from django.http import HttpRequest

from accounts.models import Theme

# A visitor's choice (and a signed-out person's last one), kept for a year.
COOKIE = "theme"
COOKIE_AGE = 365 * 24 * 60 * 60


def chosen(request: HttpRequest) -> str:
    """Return the theme chosen for this request: system, light or dark."""
    user = getattr(request, "user", None)
    if getattr(user, "is_authenticated", False):
        return user.theme
    value = request.COOKIES.get(COOKIE, "")
    return value if value in Theme.values else Theme.SYSTEM


def context(request: HttpRequest) -> dict:
    """Give templates the chosen theme, and the `data-bs-theme` it asks of `<html>`.

    "system" asks for none, so the stylesheet's prefers-color-scheme rules follow
    the device, without JavaScript.
    """
    theme = chosen(request)
    return {"theme": theme, "theme_attr": "" if theme == Theme.SYSTEM else theme}
