"""What is cached of a person's lists is named by their data version, which every change moves.

The version lives on the user row, read with the user on every request, so a
change made by any process (a page, the admin, a command, the shell) renames
the caches in all of them at once. The models and querysets move it themselves
(`todos.models.Owned`, `todos.querysets.OwnedQuerySet`), before they write: a
transaction then always locks the people's rows first, in id order, so two
writers never wait on each other's rows in opposite orders. A write that spans
several shared projects locks all their people at once (`todos.ordering`).
"""

import time
from collections.abc import Callable, Iterable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q, QuerySet

from todos.memo import Memo


def person_key(user) -> str:
    """Return the name of what is cached of this person's lists, at their data version."""
    return f"{user.pk}.{user.data_version}"


# What each process keeps of the values named by a data version, in front of the shared
# cache: such a value cannot go stale while its name stands, so a page finds it without
# a round trip to Redis. Kept briefly all the same, for what changes with time alone
# (an invitation that expires), as the shared cache's own timeout bounds it.
LOCAL_SECONDS = 60
local = Memo(2000)


def remembered(key: str, read: Callable, seconds: int):
    """Return the value cached under a name that holds a data version, reading it if need be.

    Looked up in this process's memory first, then in the shared cache; `read()`
    makes it when neither has it, and it is kept `seconds` in the shared cache.
    """
    now = time.monotonic()
    kept = local.get_many([key]).get(key)
    if kept is not None and kept[0] > now:
        return kept[1]
    value = cache.get(key)
    if value is None:
        value = read()
        cache.set(key, value, seconds)
    local.set_many({key: (now + min(seconds, LOCAL_SECONDS), value)})
    return value


def clear_caches() -> None:
    """Empty every cache of this process and the shared one, as a fresh start would find them."""
    from django.core.cache import caches

    from todos.rows import drawn
    from todos.templatetags.todos_tags import rendered_options

    for tier in (cache, caches["local"], local, drawn, rendered_options):
        tier.clear()


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
