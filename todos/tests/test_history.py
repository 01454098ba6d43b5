"""The history of every change: who, when, what, old and new, on the task page and the activity page."""

import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.tests.factories import PASSWORD, UserFactory
from reminders import links
from reminders.models import Notification
from tests.html import html_errors
from todos import history, services
from todos.changes import clear_caches
from todos.models import Comment, Membership, Project, Role, Task
from todos.tests.factories import MembershipFactory, ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db


@contextmanager
def signed_in(person):
    """Make changes as this person, as a request of theirs would (simple_history's middleware)."""
    request = RequestFactory().get("/")
    request.user = person
    HistoricalRecords.context.request = request
    try:
        yield
    finally:
        del HistoricalRecords.context.request


@pytest.fixture
def shared(user):
    user.display_name = "Ada"
    user.save(update_fields=["display_name"])
    project = ProjectFactory(owner=user, name="Household")
    garden = ProjectFactory(owner=user, name="Garden")
    sam = UserFactory(username="sam", display_name="Sam")
    vic = UserFactory(username="vic")
    with signed_in(user):
        MembershipFactory(project=project, user=sam, role=Role.EDITOR)
        MembershipFactory(project=project, user=vic, role=Role.VIEWER)
        MembershipFactory(project=garden, user=sam, role=Role.EDITOR)
        task = TaskFactory(project=project, title="Buy milk")
    # The memberships counted on the people's rows: the one door reads them.
    sam.refresh_from_db()
    vic.refresh_from_db()
    return {"project": project, "garden": garden, "sam": sam, "vic": vic, "task": task}


def activity(project, viewer, **filters) -> list[str]:
    """Return the project's activity as its reader sees it, newest first, one line each."""
    timeline = history.project_timeline(project, viewer=viewer, **filters)
    seen = Project.objects.for_user(viewer).values_list("pk", flat=True)
    return [str(entry) for entry in history.entries(timeline, projects=seen)]


def task_history(task, viewer) -> list[str]:
    seen = Project.objects.for_user(viewer).values_list("pk", flat=True)
    return [
        str(e) for e in history.entries(history.task_timeline(task, viewer=viewer), projects=seen)
    ]


def text_of(response) -> str:
    """Return a page's text the way a reader sees it: without tags, spaces squeezed."""
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", response.content.decode())
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


# Every kind of change, with who, what, old and new


def test_creating_a_task_names_who_added_it(shared):
    with signed_in(shared["sam"]):
        services.create_task(owner=shared["sam"], project=shared["project"], title="Fix the tap")

    assert activity(shared["project"], shared["vic"])[0] == "Sam created “Fix the tap”"


def test_completing_and_reopening_from_the_page_are_read_with_the_author(client, shared):
    client.force_login(shared["sam"])
    toggle = reverse("todos:task_toggle", args=[shared["task"].pk])
    client.post(toggle, {"completed": "1"})
    client.post(toggle, {"completed": "0"})

    assert activity(shared["project"], shared["vic"])[:2] == [
        "Sam reopened “Buy milk”",
        "Sam completed “Buy milk”",
    ]


def test_an_edit_from_the_form_lists_each_field_with_old_and_new_values(client, shared):
    task = shared["task"]
    client.force_login(shared["sam"])
    response = client.post(
        reverse("todos:task_update", args=[task.pk]),
        {
            "title": "Buy oat milk",
            "project": shared["project"].pk,
            "priority": 1,
            "due_date": "2026-05-05",
            "notes": "The one in the green carton",
            "version": task.version,
        },
    )
    assert response.status_code == 302

    assert activity(shared["project"], shared["vic"])[0] == (
        "Sam edited “Buy oat milk”; Title: Buy milk → Buy oat milk; "
        "Due date: No date → Tue 5 May 2026; Priority: Priority 4 (none) → Priority 1 (urgent); "
        "Notes: No notes → The one in the green carton"
    )


@pytest.mark.parametrize(
    ("fields", "read"),
    [
        ({"title": "Buy oat milk"}, "Sam renamed “Buy oat milk”; Title: Buy milk → Buy oat milk"),
        (
            {"due_date": date(2026, 5, 5)},
            "Sam changed the due date of “Buy milk”; Due date: No date → Tue 5 May 2026",
        ),
        (
            {"priority": 2},
            "Sam changed the priority of “Buy milk”; "
            "Priority: Priority 4 (none) → Priority 2 (high)",
        ),
        (
            {"notes": "x" * 300},
            f"Sam changed the notes of “Buy milk”; Notes: No notes → {'x' * 99}…",
        ),
    ],
)
def test_one_field_changed_says_which(shared, fields, read):
    task = shared["task"]
    with signed_in(shared["sam"]):
        services.update_task(task, expected_version=task.version, tags=[], **fields)

    assert activity(shared["project"], shared["vic"])[0] == read


def test_a_task_created_assigned_says_to_whom(shared, user):
    with signed_in(user):
        TaskFactory(project=shared["project"], title="Mow the lawn", assignee=shared["sam"])

    read = "Ada created “Mow the lawn”; Assignee: Nobody → Sam"
    assert activity(shared["project"], shared["vic"])[0] == read
    assert activity(shared["project"], shared["vic"], kind="assigned") == [read]


def test_times_are_shown_in_the_readers_zone(client, shared):
    vic = shared["vic"]
    vic.timezone = "Asia/Tokyo"
    vic.save(update_fields=["timezone"])
    Project.history.filter(id=shared["project"].pk).update(
        history_date=datetime(2026, 5, 4, 23, 30, tzinfo=UTC)
    )
    client.force_login(vic)

    response = client.get(reverse("todos:project_activity", args=[shared["project"].pk]))

    assert "5 May 2026, 08:30" in text_of(response)


def test_assigning_and_unassigning_name_the_assignee(shared, user):
    tasks = Task.objects.filter(pk=shared["task"].pk)
    with signed_in(user):
        tasks.update(assignee=shared["sam"])
        tasks.update(assignee=None)

    assert activity(shared["project"], shared["vic"])[:2] == [
        "Ada unassigned “Buy milk”; Assignee: Sam → Nobody",
        "Ada assigned “Buy milk”; Assignee: Nobody → Sam",
    ]


def test_moving_a_task_names_both_projects_to_those_who_see_them(client, shared, user):
    client.force_login(shared["sam"])
    client.post(
        reverse("todos:task_move", args=[shared["task"].pk]), {"project": shared["garden"].pk}
    )

    moved = "Sam moved “Buy milk”; Project: Household → Garden"
    assert activity(shared["project"], user)[0] == moved
    assert task_history(shared["task"], shared["sam"])[0] == moved
    # Vic is not in Garden: he reads that it left, not where to.
    assert activity(shared["project"], shared["vic"])[0] == (
        "Sam moved “Buy milk”; Project: Household → another project"
    )


def test_deleting_restoring_and_purging_are_read(client, shared):
    task = shared["task"]
    client.force_login(shared["sam"])
    client.post(reverse("todos:task_delete", args=[task.pk]))
    client.post(reverse("todos:task_restore", args=[task.pk]))
    client.post(reverse("todos:task_delete", args=[task.pk]))
    client.post(reverse("todos:task_purge", args=[task.pk]))

    assert activity(shared["project"], shared["vic"])[:4] == [
        "Sam permanently deleted “Buy milk”",
        "Sam deleted “Buy milk”",
        "Sam restored “Buy milk”",
        "Sam deleted “Buy milk”",
    ]


def test_comments_added_edited_and_deleted_are_read_on_the_task_and_the_project(shared):
    task = shared["task"]
    with signed_in(shared["sam"]):
        comment = Comment.objects.create(task=task, author=shared["sam"], body="Which milk?")
        comment.body, comment.edited_at = "Which milk, oat?", timezone.now()
        comment.save()
    with signed_in(shared["project"].owner):
        comment.delete()

    assert task_history(task, shared["vic"])[:3] == [
        "Ada deleted a comment on “Buy milk”",
        "Sam edited a comment on “Buy milk”",
        "Sam commented on “Buy milk”",
    ]
    assert activity(shared["project"], shared["vic"])[:3] == task_history(task, shared["vic"])[:3]


def test_members_joining_leaving_and_changing_role_are_read(shared, user):
    newcomer = UserFactory(username="nia", display_name="Nia")
    with signed_in(newcomer):
        membership = MembershipFactory(project=shared["project"], user=newcomer, role=Role.VIEWER)
    with signed_in(user):
        membership.role = Role.EDITOR
        membership.save()
        Membership.objects.get(user=shared["vic"], project=shared["project"]).delete()
    with signed_in(newcomer):
        membership.delete()

    assert activity(shared["project"], user, kind=history.Kind.MEMBERS)[:4] == [
        "Nia left the project",
        "Ada removed vic from the project",
        "Ada changed the role of Nia; Role: Viewer → Editor",
        "Nia joined the project as a viewer",
    ]


def test_the_project_itself_renamed_and_archived(shared, user):
    project = shared["project"]
    with signed_in(user):
        services.update_project(project, expected_version=project.version, name="Home")
        services.set_archived(project, True)
        services.set_favourite(project, True)

    assert activity(project, shared["sam"])[:2] == [
        "Ada archived the project",
        "Ada renamed the project; Name: Household → Home",
    ]


def day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


def test_completing_a_repeating_task_reads_as_an_occurrence(shared):
    today = timezone.localdate()
    task = TaskFactory(
        project=shared["project"], title="Water plants", due_date=today, recurrence="FREQ=DAILY"
    )
    with signed_in(shared["sam"]):
        services.set_completed(task, True, now=timezone.now())
        task.refresh_from_db()
        services.skip_occurrence(task, now=timezone.now())
    tomorrow, after = today + timedelta(days=1), today + timedelta(days=2)

    occurrences = [
        f"Sam skipped an occurrence of “Water plants”; Due date: {day(tomorrow)} → {day(after)}",
        f"Sam completed an occurrence of “Water plants”; Due date: {day(today)} → {day(tomorrow)}",
    ]
    assert activity(shared["project"], shared["vic"])[:2] == occurrences
    assert activity(shared["project"], shared["vic"], kind="completed")[:2] == occurrences
    assert not any(
        "Water" in line for line in activity(shared["project"], shared["vic"], kind="edited")
    )


def test_changes_from_a_command_are_recorded_as_ticklists(shared):
    task = shared["task"]
    Task.objects.filter(pk=task.pk).update(deleted_at=timezone.now() - timedelta(days=40))

    call_command("purge_trash", stdout=StringIO())

    assert not Task.objects.filter(pk=task.pk).exists()
    assert activity(shared["project"], shared["vic"])[:2] == [
        "Ticklist permanently deleted “Buy milk”",
        "Ticklist deleted “Buy milk”",
    ]


def test_completing_from_a_reminders_link_names_its_reader(client, shared):
    notification = Notification.objects.create(
        user=shared["sam"], task=shared["task"], title="Buy milk", due_at=timezone.now()
    )

    client.post(reverse("reminders:act", args=[links.token_for(notification, "complete")]))

    assert activity(shared["project"], shared["vic"])[0] == "Sam completed “Buy milk”"


def test_a_save_that_changed_nothing_shown_and_a_reorder_leave_no_entry(shared):
    task = shared["task"]
    before = activity(shared["project"], shared["vic"])
    with signed_in(shared["sam"]):
        services.update_task(task, expected_version=task.version, tags=[], title=task.title)
        services.reorder(shared["project"], [task.pk])
        Task.objects.filter(pk=task.pk).update(comment_count=3)

    assert activity(shared["project"], shared["vic"]) == before


# Who may read it, and what happens to it as people come and go


def test_history_stays_named_when_a_member_leaves(client, shared, user):
    client.force_login(shared["sam"])
    client.post(reverse("todos:task_toggle", args=[shared["task"].pk]), {"completed": "1"})
    with signed_in(shared["sam"]):
        Membership.objects.get(user=shared["sam"], project=shared["project"]).delete()

    lines = activity(shared["project"], user)
    assert lines[:2] == ["Sam left the project", "Sam completed “Buy milk”"]
    assert [p.username for p in history.people_of(shared["project"])] == ["ada", "sam", "vic"]


def test_deleting_an_account_leaves_its_entries_to_a_former_member(client, shared, user):
    task = shared["task"]
    client.force_login(shared["sam"])
    client.post(reverse("todos:task_toggle", args=[task.pk]), {"completed": "1"})
    with signed_in(shared["sam"]):
        Comment.objects.create(task=task, author=shared["sam"], body="Done")
    with signed_in(user):
        Task.objects.filter(pk=task.pk).update(assignee=shared["sam"])

    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})

    assert response.status_code == 302
    lines = activity(shared["project"], user)
    assert lines[:4] == [
        "A former member left the project",
        "Ada assigned “Buy milk”; Assignee: Nobody → a former member",
        "A former member commented on “Buy milk”",
        "A former member completed “Buy milk”",
    ]
    assert not any("Sam" in line or "sam" in line for line in lines)
    assert not Task.history.filter(history_user_id=shared["sam"].pk).exists()


def test_deleting_a_project_deletes_its_history_with_its_comments(client, shared, user):
    project, task = shared["project"], shared["task"]
    with signed_in(shared["sam"]):
        Comment.objects.create(task=task, author=shared["sam"], body="Soon")
    other = TaskFactory(project=shared["garden"], title="Dig")
    client.force_login(user)

    client.post(reverse("todos:project_delete", args=[project.pk]))

    assert not Project.objects.filter(pk=project.pk).exists()
    assert not Project.history.filter(id=project.pk).exists()
    assert not Task.history.filter(project_id=project.pk).exists()
    assert not Comment.history.filter(task_id=task.pk).exists()
    assert not Membership.history.filter(project_id=project.pk).exists()
    assert Task.history.filter(id=other.pk).exists()


def test_members_read_the_activity_page_and_strangers_get_404(client, shared, other_user):
    url = reverse("todos:project_activity", args=[shared["project"].pk])
    for person in (shared["project"].owner, shared["sam"], shared["vic"]):
        client.force_login(person)
        assert client.get(url).status_code == 200
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


# The pages


def test_the_activity_page_shows_the_changes_and_filters_them_by_person_and_kind(client, shared):
    task = shared["task"]
    client.force_login(shared["sam"])
    client.post(reverse("todos:task_toggle", args=[task.pk]), {"completed": "1"})
    with signed_in(shared["vic"]):
        Comment.objects.create(task=task, author=shared["vic"], body="Thanks")
    url = reverse("todos:project_activity", args=[shared["project"].pk])
    client.force_login(shared["project"].owner)

    everything = text_of(client.get(url))
    by_sam = text_of(client.get(url, {"person": shared["sam"].pk}))
    comments = text_of(client.get(url, {"kind": "comments"}))

    assert "Sam completed “Buy milk”" in everything
    assert "vic commented on “Buy milk”" in everything
    assert "Sam completed “Buy milk”" in by_sam
    assert "vic commented" not in by_sam
    assert "vic commented on “Buy milk”" in comments
    assert "completed" not in comments.split("Filter")[-1]


def test_a_bad_filter_is_refused_beside_the_field_and_the_rest_still_shows(client, shared):
    client.force_login(shared["vic"])
    url = reverse("todos:project_activity", args=[shared["project"].pk])

    response = client.get(url, {"person": "999999", "kind": "nonsense"})

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"person", "kind"}
    assert "Ada created “Buy milk”" in text_of(response)


def test_a_filter_matching_nothing_says_so(client, shared):
    client.force_login(shared["vic"])
    url = reverse("todos:project_activity", args=[shared["project"].pk])

    response = client.get(url, {"kind": "moved"})

    assert "No changes match these filters." in text_of(response)


def test_the_activity_page_comes_in_pages_of_fifty(client, shared, user):
    tasks = Task.objects.filter(pk=shared["task"].pk)
    with signed_in(user):
        for n in range(60):
            tasks.update(title=f"Buy milk {n}")
    url = reverse("todos:project_activity", args=[shared["project"].pk])
    client.force_login(user)

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert "Title Buy milk 58 → Buy milk 59" in text_of(first)
    assert first.context["page"].has_next()
    assert "Ada created “Buy milk”" in text_of(second)
    assert "Ada created" not in text_of(first)


def test_the_task_page_shows_its_history_last_and_pages_it(client, shared, user):
    tasks = Task.objects.filter(pk=shared["task"].pk)
    with signed_in(shared["sam"]):
        for n in range(25):
            tasks.update(priority=1 + n % 4)
    client.force_login(shared["vic"])
    url = shared["task"].get_absolute_url()

    first = client.get(url)
    older = client.get(url, {"history": 2})

    html = first.content.decode()
    assert html.rindex('id="history"') > html.rindex("section-title")
    assert "Sam changed the priority of this task" in text_of(first)
    assert len(first.context["history_page"].object_list) == 20
    assert 'href="?history=2#history"' in html
    assert "Ada created this task" in text_of(older)


def test_the_project_menu_links_to_the_activity(client, shared):
    client.force_login(shared["vic"])

    response = client.get(shared["project"].get_absolute_url())

    assert (
        reverse("todos:project_activity", args=[shared["project"].pk]) in response.content.decode()
    )


def test_an_assignee_whose_account_is_gone_reads_as_a_former_member_and_nothing_crashes(
    shared, user
):
    gone = UserFactory(username="gone")
    with signed_in(user):
        Task.objects.filter(pk=shared["task"].pk).update(assignee=gone)
    gone.delete()

    assert activity(shared["project"], user)[0] == (
        "Ada assigned “Buy milk”; Assignee: Nobody → a former member"
    )


# Query counts


def count_queries(client, url, params=None) -> int:
    """Count a page's queries with nothing cached, the most it ever runs."""
    clear_caches()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def busy(project, owner, tasks: int):
    """Give a project `tasks` tasks, each created, renamed and commented on, and a member."""
    with signed_in(owner):
        made = [TaskFactory(project=project) for _ in range(tasks)]
        for task in made:
            Task.objects.filter(pk=task.pk).update(
                title=f"{task.title}!", due_date=date(2026, 5, 4)
            )
            Comment.objects.create(task=task, author=owner, body="On it")
        MembershipFactory(project=project)
    return made[0]


def test_the_activity_page_runs_as_many_queries_with_a_long_history(client, user, other_user):
    small = ProjectFactory(owner=user)
    busy(small, user, 20)
    large = ProjectFactory(owner=other_user)
    busy(large, other_user, 300)
    url = "todos:project_activity"

    for params in ({}, {"kind": "edited"}, {"kind": "members"}, {"page": "2"}):
        client.force_login(user)
        with_few = count_queries(client, reverse(url, args=[small.pk]), params)
        client.force_login(other_user)
        with_many = count_queries(client, reverse(url, args=[large.pk]), params)
        by_person = count_queries(client, reverse(url, args=[large.pk]), {"person": other_user.pk})

        assert with_many == with_few == by_person, params


def test_the_task_page_history_runs_as_many_queries_with_a_long_history(client, user):
    few = busy(ProjectFactory(owner=user), user, 1)
    many = busy(ProjectFactory(owner=user), user, 1)
    with signed_in(user):
        for n in range(100):
            Task.objects.filter(pk=many.pk).update(priority=1 + n % 4)
    client.force_login(user)

    assert count_queries(client, many.get_absolute_url()) == count_queries(
        client, few.get_absolute_url()
    )


# The admin


@pytest.fixture
def staff(client):
    person = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(person)
    return person


def test_the_admin_history_of_a_task_reads_like_the_app(client, shared, staff):
    with signed_in(shared["sam"]):
        Task.objects.filter(pk=shared["task"].pk).update(title="Buy oat milk")

    response = client.get(reverse("admin:todos_task_history", args=[shared["task"].pk]))

    assert response.status_code == 200
    assert (
        "Sam renamed “Buy oat milk”; Title: Buy milk → Buy oat milk" in response.content.decode()
    )


@pytest.mark.parametrize(
    ("admin", "obj"), [("task", "task"), ("project", "project"), ("membership", "membership")]
)
def test_every_recorded_model_has_an_admin_history(client, shared, staff, admin, obj):
    target = {
        **shared,
        "membership": Membership.objects.filter(project=shared["project"]).first(),
    }[obj]

    response = client.get(reverse(f"admin:todos_{admin}_history", args=[target.pk]))

    assert response.status_code == 200


def test_an_edit_in_the_admin_is_recorded_with_the_staff_member_as_author(client, shared, staff):
    task = shared["task"]
    url = reverse("admin:todos_task_change", args=[task.pk])
    client.get(url)

    response = client.post(
        url,
        {
            "title": "Buy oat milk",
            "project": task.project_id,
            "priority": 4,
            "recurrence_mode": "schedule",
            "seen_version": task.version,
        },
    )

    assert response.status_code == 302
    latest = task.history.order_by("-history_date").first()
    assert latest.history_user == staff
    assert activity(shared["project"], shared["vic"])[0] == (
        "root renamed “Buy oat milk”; Title: Buy milk → Buy oat milk"
    )


def test_the_admin_shows_old_versions_but_does_not_restore_them(client, shared, staff):
    record = shared["task"].history.earliest("history_date")
    url = reverse("admin:todos_task_simple_history", args=[shared["task"].pk, record.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "Old"}).status_code == 403


def test_membership_and_invitation_admins_list_their_rows(client, shared, staff):
    for name in ("membership", "invitation"):
        assert client.get(reverse(f"admin:todos_{name}_changelist")).status_code == 200


def test_the_history_pages_are_valid_html(client, shared, java):
    task = shared["task"]
    with signed_in(shared["sam"]):
        services.update_task(task, expected_version=task.version, tags=[], title="Pay <rent>")
        Comment.objects.create(task=task, author=shared["sam"], body="<b>Paid</b>")
    client.force_login(shared["vic"])
    activity_url = reverse("todos:project_activity", args=[shared["project"].pk])
    pages = {
        "task with history": task.get_absolute_url(),
        "activity": activity_url,
        "activity by person": f"{activity_url}?person={shared['sam'].pk}",
        "activity, bad filters": f"{activity_url}?person=x&kind=y",
        "activity, nothing matches": f"{activity_url}?kind=moved",
    }
    documents = {name: client.get(url).content.decode() for name, url in pages.items()}

    assert html_errors(java, documents) == []
    assert "Pay &lt;rent&gt;" in documents["activity"]
