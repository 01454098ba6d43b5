"""Reads that several views share: what the sidebar shows and what search finds."""

from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import F, Q
from django.utils import timezone

from todos.models import Project, Tag, Task
from todos.rows import ProjectRow, TagRow


def local_today() -> date:
    """Return today's date in the active (the signed-in user's) time zone."""
    return timezone.localdate()


# How long a sidebar is kept. A person's own changes replace it at once (the key has
# their data version); edits by staff in the admin show within this long.
SIDEBAR_SECONDS = 60


def sidebar(user) -> dict:
    """Return the sidebar's projects (with open task counts) and tags.

    Counting open tasks reads every one of them, so the result is cached per
    person and data version instead of counted on every page. It is cached as
    plain values: unpickling model instances cost more than the page's own queries.
    `projects` holds the archived projects too, for search to filter by.
    """
    key = f"todos:sidebar:{user.pk}:{user.data_version}"
    cached = cache.get(key)
    if cached is None:
        projects = (
            Project.objects.for_user(user)
            .with_open_counts()
            .order_by("-is_inbox", "position", "name")
            .values_list("pk", "name", "colour", "is_inbox", "open_count", "is_archived")
        )
        cached = (tuple(projects), tuple(Tag.objects.for_user(user).values_list("pk", "name")))
        cache.set(key, cached, SIDEBAR_SECONDS)
    projects = [ProjectRow(*project) for project in cached[0]]
    return {
        "projects": projects,
        "sidebar_projects": [project for project in projects if not project.is_archived],
        "sidebar_tags": [TagRow(*tag) for tag in cached[1]],
        "sidebar_seconds": SIDEBAR_SECONDS,
    }


def search_tasks(user, *, q="", project=None, tag=None, priority=None, status="open", due=""):
    """Return the user's tasks matching every filter given."""
    tasks = Task.objects.for_user(user)
    if q:
        # Notes are read only where there are some (most tasks have none), so the
        # titles can be matched in an index instead of in every row.
        with_notes = tasks.exclude(notes="")
        for word in q.split():
            in_notes = with_notes.filter(notes__icontains=word).values("pk")
            tasks = tasks.filter(Q(title__icontains=word) | Q(pk__in=in_notes))
    if project is not None:
        tasks = tasks.filter(project=project)
    if tag is not None:
        tasks = tasks.filter(tags=tag)
    if priority:
        tasks = tasks.filter(priority=priority)
    if status == "completed":
        tasks = tasks.completed()
    elif status != "all":
        tasks = tasks.open()
    today = local_today()
    match due:
        case "overdue":
            tasks = tasks.filter(due_date__lt=today)
        case "today":
            tasks = tasks.filter(due_date=today)
        case "week":
            tasks = tasks.filter(due_date__range=(today, today + timedelta(days=6)))
        case "later":
            tasks = tasks.filter(due_date__gt=today + timedelta(days=13))
        case "none":
            tasks = tasks.filter(due_date__isnull=True)
    return tasks.order_by(
        F("completed_at").asc(nulls_first=True),
        F("due_date").asc(nulls_last=True),
        "priority",
        "position",
        "pk",
    )
