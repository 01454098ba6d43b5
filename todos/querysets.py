"""The one door to to-do data: every query starts from a user's own rows."""

from datetime import date

from django.db import models
from django.db.models import IntegerField, OuterRef, Prefetch, Subquery

# Past this many open tasks a project shows "99+".
OPEN_COUNT_CAP = 99


class CountOf(Subquery):
    """The number of rows a (sliced) subquery returns."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


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
        """Annotate each project with its open tasks, counted no further than OPEN_COUNT_CAP.

        A count of every open task read all of a person's tasks on each sidebar refresh
        (53 ms at 100,000 tasks on PostgreSQL); a capped count reads at most the cap.
        """
        Task = self.model._meta.get_field("tasks").related_model
        open_tasks = (
            Task.objects.filter(
                project=OuterRef("pk"), completed_at__isnull=True, deleted_at__isnull=True
            )
            .order_by()
            .values("pk")[: OPEN_COUNT_CAP + 1]
        )
        return self.annotate(open_count=CountOf(open_tasks))


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

    def for_rows(self):
        """Fetch what a task row shows, but its tags and sub-tasks (see `row_prefetches`)."""
        # Only the columns a row shows: notes may be 10,000 characters each, and every
        # date column read costs a conversion per row.
        return self.select_related("project").only(
            "title",
            "priority",
            "due_date",
            "due_time",
            "completed_at",
            "position",
            "parent_id",
            "project__name",
            "project__colour",
            "project__is_inbox",
        )

    def row_prefetches(self) -> tuple[Prefetch, ...]:
        """Return the prefetches that complete `for_rows`, for several lists at once.

        Sub-task progress comes from the listed tasks' own sub-tasks: counting them in
        the list query would group every matching row before the page is cut.
        """
        return (
            Prefetch("tags", to_attr="tag_list"),
            Prefetch(
                "subtasks",
                queryset=self.model.objects.filter(deleted_at__isnull=True).only(
                    "pk", "parent_id", "completed_at"
                ),
                to_attr="live_subtasks",
            ),
        )

    def for_display(self):
        """Fetch what a task row shows in a fixed number of queries, however long the list."""
        return self.for_rows().prefetch_related(*self.row_prefetches())
