"""Addresses of projects, tags and tasks, for the models and for the rows lists show.

The rows (todos.rows) are plain objects read without the models, so the methods
that need only an id and a flag or two live here, shared by both.
"""

import functools

from django.urls import get_script_prefix, reverse

# Past this many open tasks a project shows "99+".
OPEN_COUNT_CAP = 99

# Stands for the id in a reversed URL that is then reused for every object.
_PK = 918273645


@functools.cache
def _url_pattern(name: str, prefix: str) -> str:
    # `prefix` (the script prefix reverse() puts in front) is here only to key the cache.
    return reverse(name, kwargs={"pk": _PK})


def object_url(name: str, pk: int) -> str:
    """Return reverse(name, pk=pk), resolving the URLconf once per name, not once per row.

    A list of 50 tasks links each row five ways; reversing 250 URLs was a fifth of
    the time it took to render the page.
    """
    return _url_pattern(name, get_script_prefix()).replace(str(_PK), str(pk))


def count_label(count: int) -> str:
    """Return an open-task count as shown: "3", or "99+" past the cap it was counted to."""
    return f"{OPEN_COUNT_CAP}+" if count > OPEN_COUNT_CAP else str(count)


class ProjectLinks:
    __slots__ = ()

    def get_absolute_url(self) -> str:
        if self.is_inbox:
            return reverse("todos:inbox")
        return object_url("todos:project_detail", self.pk)

    @property
    def open_count_label(self) -> str:
        """Return the open tasks counted by `with_open_counts`: "3", or "99+" past the cap."""
        return count_label(self.open_count)


class TagLinks:
    __slots__ = ()

    def get_absolute_url(self) -> str:
        return object_url("todos:tag_detail", self.pk)


class TaskLinks:
    __slots__ = ()

    def get_absolute_url(self) -> str:
        return object_url("todos:task_detail", self.pk)

    @property
    def toggle_url(self) -> str:
        return object_url("todos:task_toggle", self.pk)

    @property
    def update_url(self) -> str:
        return object_url("todos:task_update", self.pk)

    @property
    def move_url(self) -> str:
        return object_url("todos:task_move", self.pk)

    @property
    def delete_url(self) -> str:
        return object_url("todos:task_delete", self.pk)

    @property
    def my_day_url(self) -> str:
        return object_url("todos:task_my_day", self.pk)

    @property
    def move_up_url(self) -> str:
        return object_url("todos:task_move_up", self.pk)

    @property
    def move_down_url(self) -> str:
        return object_url("todos:task_move_down", self.pk)

    @property
    def assign_url(self) -> str:
        return object_url("todos:task_assign", self.pk)

    @property
    def assign_action(self) -> str:
        """Return where a row's assign buttons post: the version they were drawn at, with them."""
        return f"{self.assign_url}?version={self.version}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None
