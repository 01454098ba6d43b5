"""Reads that several views share: the sidebar, the page a request comes from, search."""

from datetime import date, timedelta
from functools import cached_property
from urllib.parse import urlsplit

from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.urls import Resolver404, ResolverMatch, get_script_prefix, resolve
from django.utils import timezone

from todos import changes, myday, search, sharing
from todos.models import Completion, Membership, Project, Tag, Task
from todos.querysets import CountOf
from todos.rows import ProjectRow, TagRow


def local_today() -> date:
    """Return today's date in the active (the signed-in user's) time zone."""
    return timezone.localdate()


def current_page(request) -> ResolverMatch | None:
    """Return the URL match of the page the person is on.

    Under htmx the request is an action sent from a page (HX-Current-URL); the
    page is the one whose lists and sidebar the answer must match.
    """
    if not hasattr(request, "_current_page"):
        match = getattr(request, "resolver_match", None)
        htmx = getattr(request, "htmx", None)
        if htmx and htmx.current_url:
            path = urlsplit(htmx.current_url).path
            prefix = get_script_prefix()
            if path.startswith(prefix):
                path = "/" + path.removeprefix(prefix)
            try:
                match = resolve(path)
            except Resolver404:
                match = None
        request._current_page = match
    return request._current_page


# How long a sidebar is kept. Any change to the person's data renames it at once
# (todos.changes); this only bounds how long an unused one takes up room.
SIDEBAR_SECONDS = 300


class Sidebar:
    """The sidebar's projects (with open task counts), tags and My Day, read once per request.

    Counting open tasks reads every one of them, so the lists are cached per
    person and data version instead of counted on every page. They are cached
    as plain values: unpickling model instances cost more than the page's own
    queries. `projects` holds the archived projects too, for search to filter by.
    My Day is the plan for the person's local today, so the day is in the name
    too: the plan empties at their midnight without any write. Which projects
    are shared, and how many invitations wait for the person, come with the
    projects (todos.sharing moves the data versions they depend on).
    """

    seconds = SIDEBAR_SECONDS

    def __init__(self, user):
        self.user = user

    @cached_property
    def _values(self) -> tuple[tuple, tuple, tuple, frozenset, int]:
        if not getattr(self.user, "is_authenticated", False):
            return (), (), (), frozenset(), 0
        today = local_today()
        key = f"todos:sidebar:{changes.person_key(self.user)}:{today.isoformat()}"
        return changes.remembered(key, lambda: self._read(today), SIDEBAR_SECONDS)

    def _read(self, today: date) -> tuple[tuple, tuple, tuple, frozenset, int]:
        # Invitations are counted on the Inbox's row (everyone has exactly one), so
        # they cost no query of their own.
        waiting = sharing.waiting_for(self.user).order_by().values("pk")
        projects = (
            Project.objects.for_user(self.user)
            .with_open_counts()
            .annotate(
                has_members=Exists(Membership.objects.filter(project=OuterRef("pk"))),
                waiting_invitations=Case(
                    When(is_inbox=True, then=CountOf(waiting)), default=Value(0)
                ),
            )
            .order_by("-is_inbox", "position", "name")
            .values_list(
                "pk",
                "name",
                "colour",
                "is_inbox",
                "open_count",
                "is_archived",
                "is_favourite",
                "owner_id",
                "has_members",
                "waiting_invitations",
            )
        )
        projects = tuple(projects)
        tags = Tag.objects.for_user(self.user).values_list("pk", "name", "colour")
        plan = myday.planned(self.user, today).values_list("pk", "completed_at")
        return (
            tuple(project[:7] for project in projects),
            tuple(tags),
            tuple((pk, done is None) for pk, done in plan),
            # Shared: with others (it has members), or with me (someone else owns it).
            frozenset(
                project[0] for project in projects if project[8] or project[7] != self.user.pk
            ),
            sum(project[9] for project in projects),
        )

    @cached_property
    def projects(self) -> list[ProjectRow]:
        return [ProjectRow(*project) for project in self._values[0]]

    @cached_property
    def active_projects(self) -> list[ProjectRow]:
        return [project for project in self.projects if not project.is_archived]

    @cached_property
    def favourites(self) -> list[ProjectRow]:
        return [project for project in self.active_projects if project.is_favourite]

    @cached_property
    def archived_ids(self) -> list[int]:
        """Return the ids of the archived projects, whose tasks lists across projects skip."""
        return [project.pk for project in self.projects if project.is_archived]

    @cached_property
    def tags(self) -> list[TagRow]:
        return [TagRow(*tag) for tag in self._values[1]]

    @cached_property
    def my_day_ids(self) -> frozenset[int]:
        """Return the ids of the tasks on today's plan, for rows to say so."""
        return frozenset(pk for pk, _ in self._values[2])

    @cached_property
    def my_day_count(self) -> int:
        """Return how many of the tasks on today's plan are still open."""
        return sum(is_open for _, is_open in self._values[2])

    @cached_property
    def shared_ids(self) -> frozenset[int]:
        """Return the ids of the projects shared with others or with the person."""
        return self._values[3]

    @cached_property
    def invitation_count(self) -> int:
        """Return how many invitations wait for the person's answer."""
        return self._values[4]


def sidebar_for(request) -> Sidebar:
    """Return the sidebar of the person making the request, the same object all request long."""
    user = getattr(request, "user", None)
    if getattr(request, "_sidebar", None) is None or request._sidebar.user is not user:
        request._sidebar = Sidebar(user)
    return request._sidebar


def search_tasks(
    user,
    *,
    q="",
    project=None,
    tag=None,
    priority=None,
    status="open",
    due="",
    archived=(),
    indexed=True,
):
    """Return the user's tasks matching every filter given, in search's order.

    Tasks of the `archived` projects are left out, unless one is searched by name.
    The words are matched through an index unless `indexed` is off (todos.search).
    """
    tasks = Task.objects.for_user(user)
    if q:
        tasks = search.matching(tasks, q, indexed=indexed)
    # Archived projects stay out of sight unless one is searched by name.
    tasks = tasks.outside_projects(archived) if project is None else tasks.filter(project=project)
    if tag is not None:
        tasks = tasks.filter(tags=tag)
    if priority:
        tasks = tasks.filter(priority=priority)
    if status == "completed":
        # A repeating task stays open; the occurrences done with it count as completed.
        done = Completion.objects.filter(owner=user).values("task_id")
        tasks = tasks.filter(Q(completed_at__isnull=False) | Q(pk__in=done))
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
    return tasks.order_by(*search.ORDER)
