"""System checks on the accounts already stored."""

from django.core import checks
from django.core.exceptions import SynchronousOnlyOperation
from django.db import DatabaseError
from django.db.models import Exists, OuterRef

SHOWN = 20
README_SECTION = "Accounts, “Usernames with @” in the README"


@checks.register(checks.Tags.security)
def check_usernames_without_at(app_configs=None, **kwargs):
    """Warn about usernames with “@”: sign-in reads those as email addresses now."""
    from accounts.models import User

    other_email = User.objects.filter(email__iexact=OuterRef("username")).exclude(
        pk=OuterRef("pk")
    )
    try:
        # Only columns every version of the table has: this also runs before `migrate`.
        found = list(
            User.objects.filter(username__contains="@")
            .annotate(is_someones_email=Exists(other_email.values("pk")))
            .order_by("username")
            .values_list("username", "is_someones_email")[: SHOWN + 1]
        )
    except (DatabaseError, SynchronousOnlyOperation):
        # No table yet, no database to ask, or checks run inside an event loop (where
        # Django refuses queries): there is nothing stored this can check.
        return []
    if not found:
        return []
    names = [
        repr(name) + (" (another account's email address)" if is_email else "")
        for name, is_email in found[:SHOWN]
    ]
    if len(found) > SHOWN:
        names.append("and more")
    return [
        checks.Warning(
            "These accounts have a username with “@”, which no longer signs in "
            "(sign-in looks a name with “@” up as an email address): " + ", ".join(names) + ".",
            hint=(
                "Give each a new username of letters, digits and ./+/-/_ in the admin "
                "(Users, then the account), or with .venv/bin/python manage.py shell, and "
                "tell its owner. They can sign in with their email address meanwhile. "
                f"See {README_SECTION}."
            ),
            id="accounts.W001",
        )
    ]
