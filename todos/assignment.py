"""Who is to do a task: one member of its project, chosen by the project's owner or an editor.

A project's members are its owner and the people it is shared with, editors and
viewers alike. A project shared with nobody has one member, its owner: its tasks
can be given to them or to nobody, which is what the rule gives without a case
of its own. Assigning is a versioned write like any edit, recorded in the
task's history by the queryset update; the person given the task hears of it
(`reminders.dispatch.notify`) unless they took it themselves.

`team_for` reads, once per data version, the shared projects a person sees with
their members and the person's part in each: rows draw from it whether they may
be changed and whom they may be assigned to.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import timezone

from reminders import dispatch
from reminders.models import Notification
from todos import changes, history, services
from todos.models import Membership, Project, Role, Task
from todos.querysets import shared_project_ids
from todos.rows import NO_TEAM, Person, Team

# How long a team is kept; any change to the person's data renames it at once (todos.changes).
TEAM_SECONDS = 300


class NotAMember(ValueError):
    """The person asked for is not a member of the task's project; nothing was changed."""


def refusal(project: Project, name: str) -> str:
    return f"{name} is not a member of “{project.name}”: pick someone who is, or nobody."


def _members(project_id: int, owner_id: int) -> QuerySet:
    """Return (as a query) the people of a project: its owner and everyone it is shared with."""
    shared_with = Membership.objects.filter(project_id=project_id).values("user_id")
    return get_user_model().objects.filter(Q(pk=owner_id) | Q(pk__in=shared_with))


def members(of: Project | Task) -> QuerySet:
    """Return the people a project's (or a task's) tasks may be assigned to: its owner first,
    then by username. A task's owner is its project's, so a task needs no read of its project."""
    project_id = of.project_id if isinstance(of, Task) else of.pk
    owner_first = Case(When(pk=of.owner_id, then=Value(0)), default=Value(1))
    return _members(project_id, of.owner_id).order_by(owner_first, Lower("username"))


def is_member(task: Task, person) -> bool:
    """Say whether a task may be assigned to this person (a task's owner is its project's)."""
    return _members(task.project_id, task.owner_id).filter(pk=person.pk).exists()


def member_named(project: Project, username: str):
    """Return the member of the project with this username (any case), or None."""
    return _members(project.pk, project.owner_id).filter(username__iexact=username).first()


def assign(task: Task, assignee, *, by, expected_version: int | None = None) -> bool:
    """Give the task to one member of its project, or to nobody (None); False if it already was.

    The caller has checked that `by` may change the task (`access.require_editor`).
    An assignee outside the project raises NotAMember; with `expected_version`, a
    task changed since raises services.StaleEditError. Asking for the assignee the
    task already has changes nothing, from however stale a page.
    """
    if assignee is not None and not is_member(task, assignee):
        raise NotAMember(refusal(task.project, history.name_of(assignee)))
    wanted = assignee.pk if assignee is not None else None
    with transaction.atomic():
        rows = Task.objects.filter(pk=task.pk)
        if rows.values_list("assignee_id", flat=True).first() == wanted:
            task.refresh_from_db()
            return False
        if expected_version is not None:
            rows = rows.filter(version=expected_version)
        if not rows.update(assignee=assignee, version=F("version") + 1, updated_at=timezone.now()):
            raise services.StaleEditError
        task.refresh_from_db()
        announce(task, assignee, by=by)
    return True


def announce(task: Task, assignee, *, by) -> None:
    """Tell the person a task was given to them (in the app, by email…), unless they took it."""
    if assignee is None or (by is not None and assignee.pk == by.pk):
        return
    dispatch.notify(
        assignee,
        Notification.Kind.ASSIGNED,
        title=f"{history.name_of(by)} assigned you “{task.title}”",
        body=f"In {task.project.name}. {dispatch.when_due(task, assignee)}.",
        task=task,
    )


def stale_message(task: Task, viewer) -> str:
    """Say that the task changed since the page was drawn, and who changed it if not the viewer."""
    who = history.changed_meanwhile(task, viewer) or "It was changed elsewhere"
    return f"{who}, so “{task.title}” was not assigned. It is shown as it is now: try again."


# What a person's lists show of the projects shared with them or by them


def team_for(user) -> Team:
    """Return the shared projects the person sees, with their members; cached by data version."""
    if not getattr(user, "is_authenticated", False):
        return NO_TEAM
    key = f"todos:team:{changes.person_key(user)}"
    members, read_only = changes.remembered(key, lambda: _read_team(user), TEAM_SECONDS)
    return Team(
        viewer=user.pk,
        members={
            project: tuple(Person(*person) for person in people) for project, people in members
        },
        read_only_ids=frozenset(read_only),
    )


def team_of(request) -> Team:
    """Return the team of the person making the request, read once per request and data version."""
    user = request.user
    stamp = (user.pk, getattr(user, "data_version", None))
    if getattr(request, "_team_stamp", None) != stamp:
        request._team, request._team_stamp = team_for(user), stamp
    return request._team


def _read_team(user) -> tuple[tuple, tuple]:
    """Read the memberships of the projects the person owns or is a member of: one query.

    Cached as plain values: the members of each shared project (its owner first, then
    by name) and the projects where the person only reads.
    """
    mine = Q(project__owner=user)
    if user.shared_projects:
        mine |= Q(project__in=shared_project_ids(user))
    memberships = Membership.objects.filter(mine).values_list(
        "project_id",
        "project__owner_id",
        "project__owner__username",
        "project__owner__display_name",
        "user_id",
        "user__username",
        "user__display_name",
        "role",
    )
    owners, people, read_only = {}, {}, set()
    for project, *owner, member, username, display_name, role in memberships:
        owners[project] = tuple(owner)
        people.setdefault(project, []).append((member, username, display_name))
        if member == user.pk and role == Role.VIEWER:
            read_only.add(project)
    members = tuple(
        (
            project,
            (
                owners[project],
                *sorted(shared, key=lambda person: ((person[2] or person[1]).lower(), person[0])),
            ),
        )
        for project, shared in people.items()
    )
    return members, tuple(read_only)


def narrow_today(tasks: QuerySet, user, team: Team) -> QuerySet:
    """Leave the shared tasks given to someone else out of the person's Today.

    A shared task shows when it is theirs or nobody's (only theirs with the
    `today_assigned_only` setting); their unshared tasks always show. A person with
    no shared project gets their query unchanged, as the lists' indexes serve it.
    """
    if not team.members:
        return tasks
    theirs = Q(assignee=user)
    if not user.today_assigned_only:
        theirs |= Q(assignee__isnull=True)
    return tasks.filter(~Q(project_id__in=team.shared_ids) | theirs)
