"""What is cached of a person's lists is named by their data version, which every change moves.

The version lives on the user row, read with the user on every request, so a
change made by any process (a page, the admin, a command, the shell) renames
the caches in all of them at once. The models and querysets move it themselves
(`todos.models.Owned`, `todos.querysets.OwnedQuerySet`), before they write: a
transaction then always locks the people's rows first, in id order, so two
writers never wait on each other's rows in opposite orders. A write that spans
several shared projects locks all their people at once (`todos.ordering`).
"""

from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q, QuerySet


def person_key(user) -> str:
    """Return the name of what is cached of this person's lists, at their data version."""
    return f"{user.pk}.{user.data_version}"


def data_changed(
    owners: Iterable[int] | QuerySet, projects: Iterable[int] | QuerySet | None = None
) -> None:
    """Move the data version of these people (ids, or a query of ids) and of the members
    of these projects: a shared project's change renews what each of them has cached."""
    audience = Q(pk__in=owners)
    if projects is not None:
        members = apps.get_model("todos", "Membership").objects.filter(project__in=projects)
        audience |= Q(pk__in=members.values("user_id"))
    people = get_user_model().objects
    with transaction.atomic(savepoint=False):
        # Locked in the order of their ids, whatever plan the database picks for the audience.
        locked = people.filter(audience).order_by("pk").select_for_update(no_key=True).values("pk")
        people.filter(pk__in=locked).update(data_version=F("data_version") + 1)


def refreshed(user):
    """Read the person's data version again, after this request changed their data."""
    user.refresh_from_db(fields=["data_version"])
    return user
