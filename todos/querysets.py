"""The one door to to-do data: every query starts from a user's own rows."""

from datetime import date

from django.db import models
from django.db.models import Count, Prefetch, Q


def _owned_by(queryset: models.QuerySet, user) -> models.QuerySet:
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(owner=user)


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user):
        return _owned_by(self, user)

    def active(self):
        return self.filter(is_archived=False)

    def with_open_counts(self):
        return self.annotate(
            open_count=Count(
                "tasks",
                filter=Q(tasks__completed_at__isnull=True, tasks__deleted_at__isnull=True),
            )
        )


class TagQuerySet(models.QuerySet):
    def for_user(self, user):
        return _owned_by(self, user)


class TaskQuerySet(models.QuerySet):
    def for_user(self, user):
        """Return the user's tasks that are not in the trash."""
        return _owned_by(self, user).filter(deleted_at__isnull=True)

    def trash_for(self, user):
        """Return the user's tasks that are in the trash."""
        return _owned_by(self, user).filter(deleted_at__isnull=False)

    def open(self):
        return self.filter(completed_at__isnull=True)

    def completed(self):
        return self.filter(completed_at__isnull=False)

    def top_level(self):
        return self.filter(parent__isnull=True)

    def due_by(self, day: date):
        """Open tasks due on or before a day: Today's list, overdue included."""
        return (
            self.open()
            .filter(due_date__lte=day)
            .order_by(
                "due_date", models.F("due_time").asc(nulls_last=True), "priority", "position"
            )
        )

    def due_between(self, first: date, last: date):
        return (
            self.open()
            .filter(due_date__range=(first, last))
            .order_by(
                "due_date", models.F("due_time").asc(nulls_last=True), "priority", "position"
            )
        )

    def in_manual_order(self):
        return self.order_by("position", "pk")

    def recently_completed(self):
        return self.completed().order_by("-completed_at", "-pk")

    def for_display(self):
        """Fetch what a task row shows in a fixed number of queries, however long the list.

        Sub-task progress comes from a prefetch of the listed tasks' own sub-tasks: counting
        them in the list query would group every matching row before the page is cut.
        """
        live_subtasks = Prefetch(
            "subtasks",
            queryset=self.model.objects.filter(deleted_at__isnull=True).only(
                "pk", "parent_id", "completed_at"
            ),
            to_attr="live_subtasks",
        )
        # A row never shows the notes, which may be 10,000 characters each.
        return (
            self.select_related("project")
            .defer("notes")
            .prefetch_related(Prefetch("tags", to_attr="tag_list"), live_subtasks)
        )
