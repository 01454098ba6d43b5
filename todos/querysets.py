"""The one door to to-do data: every query starts from the rows a person may see.

A person sees what they own and what others share with them (todos.Membership),
read from the memberships table by every query, so a removed member loses
access at once, in every process. Writes ask `editable_by`: a viewer reads.
"""

from datetime import date

from django.apps import apps
from django.db import models, transaction
from django.db.models import IntegerField, OuterRef, Subquery

from todos import changes, history, rows
from todos.links import OPEN_COUNT_CAP

# Today's and Upcoming's order: by day; on a day, the tasks with a time first, by time,
# then those without; then by priority and the person's own order. "Without a time"
# is a column of todos_task_open_due_idx (a plain due_time column sorts empty times
# first), so the index gives the whole order and a list stops after one page of it.
WITHOUT_TIME = models.ExpressionWrapper(
    models.Q(due_time__isnull=True), output_field=models.BooleanField()
)
BY_DAY = ("due_date", WITHOUT_TIME, "due_time", "priority", "position")


class CountOf(Subquery):
    """The number of rows a (sliced) subquery returns."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def _owned_by(queryset: models.QuerySet, user) -> models.QuerySet:
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(owner=user)


def shared_project_ids(user, *, roles=("editor", "viewer")) -> models.QuerySet:
    """Return (as a subquery) the ids of the projects others share with the person."""
    Membership = apps.get_model("todos", "Membership")
    return Membership.objects.filter(user=user, role__in=roles).values("project_id")


def _visible_to(queryset, user, project_field: str, *, roles=("editor", "viewer")):
    """Return the rows the person owns or that belong to a project shared with them.

    People with no shared project (`shared_projects` on their row, read with them
    on every request) get the plain owner filter that the lists' indexes lead with.
    """
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    own = models.Q(owner=user)
    if getattr(user, "shared_projects", 1) == 0:
        return queryset.filter(own)
    shared = models.Q(**{f"{project_field}__in": shared_project_ids(user, roles=roles)})
    return queryset.filter(own | shared)


class OwnedQuerySet(models.QuerySet):
    """Rows people own: writing many at once renews their owners' caches (todos.changes).

    Rows of a project (`project_field`) renew its members' caches as well.
    """

    project_field: str | None = None

    def _audience(self) -> dict:
        if self.project_field is None:
            return {"owners": self.values("owner_id")}
        return {"owners": self.values("owner_id"), "projects": self.values(self.project_field)}

    def update(self, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            # Before the write: it may change the very columns this query filters on.
            changes.data_changed(**self._audience())
            return history.recorded_update(self, kwargs, super().update)

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db, savepoint=False):
            changes.data_changed(**self._audience())
            return super().delete()

    delete.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            projects = None
            if self.project_field is not None:
                projects = {getattr(obj, self.project_field) for obj in objs}
            changes.data_changed({obj.owner_id for obj in objs}, projects)
            created = super().bulk_create(objs, *args, **kwargs)
            if history.is_recorded(self.model) and all(obj.pk for obj in created):
                history.record_created(self.model, created)
            return created


class ProjectQuerySet(OwnedQuerySet):
    project_field = "pk"

    def for_user(self, user):
        """Return the projects the person owns or is a member of."""
        return _visible_to(self, user, "pk")

    def owned_by(self, user):
        """Return only the person's own projects (names are unique among these)."""
        return _owned_by(self, user)

    def editable_by(self, user):
        """Return the projects the person may add and change tasks in."""
        return _visible_to(self, user, "pk", roles=("editor",))

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


class TagQuerySet(OwnedQuerySet):
    def for_user(self, user):
        return _owned_by(self, user)


class TaskQuerySet(OwnedQuerySet):
    project_field = "project_id"

    def for_user(self, user):
        """Return the tasks the person may see (theirs and shared ones), not in the trash."""
        return _visible_to(self, user, "project_id").filter(deleted_at__isnull=True)

    def owned_by(self, user):
        """Return all the tasks the person may see, those in the trash too."""
        return _visible_to(self, user, "project_id")

    def editable_by(self, user):
        """Return all the tasks the person may change (owner or editor), the trash's too."""
        return _visible_to(self, user, "project_id", roles=("editor",))

    def outside_projects(self, project_ids):
        """Leave out the tasks of these projects: lists across projects skip archived ones.

        The ids come from the person's cached sidebar. Most people have no archived
        project, and then the query is exactly the one the lists' indexes serve.
        """
        return self.exclude(project_id__in=project_ids) if project_ids else self

    def trash_for(self, user):
        """Return the tasks in the trash that the person may restore or purge."""
        return self.editable_by(user).filter(deleted_at__isnull=False)

    def open(self):
        return self.filter(completed_at__isnull=True)

    def completed(self):
        return self.filter(completed_at__isnull=False)

    def top_level(self):
        return self.filter(parent__isnull=True)

    def due_by(self, day: date):
        """Open tasks due on or before a day: Today's list, overdue included."""
        return self.open().filter(due_date__lte=day).order_by(*BY_DAY)

    def due_between(self, first: date, last: date):
        return self.open().filter(due_date__range=(first, last)).order_by(*BY_DAY)

    def in_manual_order(self):
        return self.order_by("position", "pk")

    def recently_completed(self):
        return self.completed().order_by("-completed_at", "-pk")

    def as_rows(self):
        """Read the tasks as the rows lists show (todos.rows), not as model instances.

        The rows still lack their tags and sub-task progress: `rows.complete` reads
        those once for every list on a page.
        """
        queryset = self.values_list(*rows.COLUMNS)
        queryset._iterable_class = rows.RowIterable
        return queryset
