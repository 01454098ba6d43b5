"""Assignment: one member of a shared project does a task, and the lists show whom."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from reminders import dispatch
from reminders.models import Notification
from tests.html import html_errors
from todos import assignment, services
from todos.changes import clear_caches
from todos.models import Membership, Role, Task
from todos.tests.factories import MembershipFactory, ProjectFactory, TaskFactory, household
from todos.tests.test_queries import BOUND

pytestmark = pytest.mark.django_db

QUICK_ADD = reverse("todos:quick_add")
ASSIGNED = reverse("todos:assigned")
TODAY = reverse("todos:today")


@pytest.fixture
def shared(user):
    """Ada's project shared with an editor (Sam) and a viewer (Vic), and one task in it."""
    return {**household(user, editor_name="Sam Jones"), "stranger": UserFactory(username="stella")}


def signed_in(client, person):
    client.force_login(person)
    return client


def htmx(page: str) -> dict:
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": f"http://testserver{page}"}


def row_of(html: str, task) -> str:
    """Return the whole row of a task (its menu has list items of its own)."""
    found = re.search(rf'<li id="task-{task.pk}".*?</details>\s*</div>\s*</li>', html, re.S)
    return found.group() if found else ""


def assign_url(task, version=None) -> str:
    url = reverse("todos:task_assign", args=[task.pk])
    return f"{url}?version={version}" if version is not None else url


def notified(person) -> list[str]:
    return list(
        Notification.objects.filter(user=person, kind=Notification.Kind.ASSIGNED).values_list(
            "title", flat=True
        )
    )


# The service, without HTTP


def test_an_editor_assigns_a_member_in_a_versioned_write_that_history_records(shared):
    task, editor = shared["task"], shared["editor"]

    changed = assignment.assign(task, shared["viewer"], by=editor, expected_version=task.version)

    task.refresh_from_db()
    assert changed
    assert task.assignee == shared["viewer"]
    assert task.version == 2
    assert task.history.order_by("-history_id").first().assignee_id == shared["viewer"].pk


def test_a_stranger_cannot_be_assigned_and_nothing_changes(shared):
    task = shared["task"]

    with pytest.raises(assignment.NotAMember, match="stella is not a member of “Household”"):
        assignment.assign(task, shared["stranger"], by=shared["owner"])

    task.refresh_from_db()
    assert (task.assignee, task.version) == (None, 1)


def test_a_project_shared_with_nobody_is_assigned_to_its_owner_or_nobody(user, other_user):
    task = TaskFactory(project=ProjectFactory(owner=user), title="Water plants")

    assert assignment.assign(task, user, by=user)
    with pytest.raises(assignment.NotAMember):
        assignment.assign(task, other_user, by=user)
    assert assignment.assign(task, None, by=user)

    task.refresh_from_db()
    assert task.assignee is None


def test_a_stale_version_changes_nothing(shared):
    task = shared["task"]
    seen = task.version
    services.update_task(task, expected_version=seen, tags=[], title="Buy oat milk")

    with pytest.raises(services.StaleEditError):
        assignment.assign(task, shared["editor"], by=shared["owner"], expected_version=seen)

    task.refresh_from_db()
    assert task.assignee is None


def test_asking_for_the_assignee_it_has_changes_nothing_even_from_a_stale_page(shared):
    task = shared["task"]
    seen = task.version
    assert assignment.assign(task, shared["editor"], by=shared["owner"], expected_version=seen)

    assert not assignment.assign(task, shared["editor"], by=shared["owner"], expected_version=seen)

    task.refresh_from_db()
    assert task.version == seen + 1
    assert len(notified(shared["editor"])) == 1


def test_the_assignee_hears_of_it_unless_they_took_it_themselves(shared):
    assignment.assign(shared["task"], shared["editor"], by=shared["owner"])
    other = TaskFactory(project=shared["project"], title="Fix the tap")
    assignment.assign(other, shared["editor"], by=shared["editor"])

    assert notified(shared["editor"]) == ["ada assigned you “Buy milk”"]


def test_moving_a_task_drops_an_assignee_who_is_not_a_member_of_its_new_project(shared, user):
    task = shared["task"]
    assignment.assign(task, shared["editor"], by=user)
    garden = ProjectFactory(owner=user, name="Garden")
    MembershipFactory(project=garden, user=shared["editor"])

    services.move_to_project(task, garden)
    task.refresh_from_db()
    assert task.assignee == shared["editor"]

    services.move_to_project(task, services.ensure_inbox(user))
    task.refresh_from_db()
    assert task.assignee is None


def test_a_member_who_leaves_leaves_their_tasks_to_nobody(shared):
    task = shared["task"]
    assignment.assign(task, shared["editor"], by=shared["owner"])
    mine = TaskFactory(project=ProjectFactory(owner=shared["editor"]), assignee=shared["editor"])

    Membership.objects.filter(user=shared["editor"]).delete()

    task.refresh_from_db()
    mine.refresh_from_db()
    assert (task.assignee, task.version) == (None, 3)
    assert mine.assignee == shared["editor"]


# Quick add: +name


def test_quick_add_gives_the_task_to_the_member_it_names(client_logged_in, shared):
    response = client_logged_in.post(QUICK_ADD, {"text": "Pay the window cleaner #Household +SAM"})

    assert response.status_code == 302
    task = Task.objects.get(title="Pay the window cleaner")
    assert task.assignee == shared["editor"]
    assert notified(shared["editor"]) == ["ada assigned you “Pay the window cleaner”"]


def test_quick_add_on_a_shared_project_page_finds_its_members(client, shared):
    signed_in(client, shared["editor"])

    client.post(QUICK_ADD, {"text": "Descale the kettle +vic", "project": shared["project"].pk})

    assert Task.objects.get(title="Descale the kettle").assignee == shared["viewer"]


@pytest.mark.parametrize("name", ["stella", "nobody-at-all"])
def test_quick_add_naming_someone_outside_the_project_keeps_the_line(
    client_logged_in, shared, name
):
    line = f"Mow the lawn #Household +{name}"

    response = client_logged_in.post(QUICK_ADD, {"text": line})

    html = response.content.decode()
    assert response.status_code == 422
    assert f"+{name} is not a member of “Household”" in html
    assert f'value="{line}"' in html
    assert not Task.objects.filter(title__startswith="Mow").exists()


def test_quick_add_in_a_project_shared_with_nobody_takes_only_its_owner(client_logged_in, user):
    client_logged_in.post(QUICK_ADD, {"text": "Read a book +ada"})

    assert Task.objects.get().assignee == user
    assert notified(user) == []


@pytest.mark.parametrize("line", ["Learn C++ +1", "Call +44 20 7946 0000", "a+b = c", "Plan + do"])
def test_lines_whose_plus_names_nobody_add_as_before(client_logged_in, line):
    response = client_logged_in.post(QUICK_ADD, {"text": line})

    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.title, task.assignee) == (line, None)


def test_the_preview_says_whom_a_line_assigns(client_logged_in, shared):
    url = reverse("todos:quick_add_preview")

    known = client_logged_in.get(url, {"text": "Buy bread #Household +sam"}).content.decode()
    unknown = client_logged_in.get(url, {"text": "Buy bread #Household +stella"}).content.decode()

    assert "Assigned to Sam Jones" in known
    assert "Assigned to +stella" in unknown
    assert "+stella is not a member of “Household”" in unknown


# The full form


def test_the_form_offers_the_members_only_for_a_shared_project(client_logged_in, shared, user):
    alone = TaskFactory(project=ProjectFactory(owner=user, name="Solo"))

    html = client_logged_in.get(reverse("todos:task_update", args=[shared["task"].pk])).content
    html = html.decode()
    solo = client_logged_in.get(reverse("todos:task_update", args=[alone.pk])).content.decode()

    select = re.search(r'<select name="assignee".*?</select>', html, re.S).group()
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == [
        "Nobody",
        "ada",
        "Sam Jones",
        "vic",
    ]
    assert 'name="assignee"' not in solo


def test_the_form_assigns_and_the_assignee_hears_of_it(client_logged_in, shared):
    task = shared["task"]

    response = client_logged_in.post(
        reverse("todos:task_update", args=[task.pk]),
        {
            "title": task.title,
            "project": shared["project"].pk,
            "assignee": shared["editor"].pk,
            "priority": 4,
            "version": task.version,
        },
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.assignee == shared["editor"]
    assert notified(shared["editor"]) == ["ada assigned you “Buy milk”"]


def test_a_new_task_in_a_shared_project_is_assigned_from_the_form(client_logged_in, shared):
    page = client_logged_in.get(reverse("todos:task_create"), {"project": shared["project"].pk})
    assert 'name="assignee"' in page.content.decode()

    client_logged_in.post(
        reverse("todos:task_create"),
        {
            "title": "Book the plumber",
            "project": shared["project"].pk,
            "assignee": shared["viewer"].pk,
            "priority": 4,
        },
    )

    assert Task.objects.get(title="Book the plumber").assignee == shared["viewer"]


def test_the_form_refuses_a_non_member_and_keeps_what_was_typed(client_logged_in, shared, user):
    task = shared["task"]
    assignment.assign(task, shared["editor"], by=user)
    solo = ProjectFactory(owner=user, name="Solo")
    url = reverse("todos:task_update", args=[task.pk])
    base = {"title": "Buy oat milk", "priority": 4, "version": 2}

    stranger = client_logged_in.post(
        url, {**base, "project": shared["project"].pk, "assignee": shared["stranger"].pk}
    )
    # Sam is no member of Solo: moved there, the task needs another assignee, or none.
    moved = client_logged_in.post(
        url, {**base, "project": solo.pk, "assignee": shared["editor"].pk}
    )

    for response in (stranger, moved):
        assert response.status_code == 422
        html = response.content.decode()
        assert "Pick a member of the project, or nobody." in html
        assert 'value="Buy oat milk"' in html
    task.refresh_from_db()
    assert (task.title, task.assignee, task.project) == (
        "Buy milk",
        shared["editor"],
        shared["project"],
    )


# The row action


def test_the_row_menu_offers_me_the_others_and_unassign(client_logged_in, shared):
    task = shared["task"]
    page = shared["project"].get_absolute_url()

    before = row_of(client_logged_in.get(page).content.decode(), task)
    assignment.assign(task, shared["editor"], by=shared["owner"])
    after = row_of(client_logged_in.get(page).content.decode(), task)

    assert re.findall(r"</svg> (Assign to [^<]+|Unassign)<", before) == [
        "Assign to me",
        "Assign to Sam Jones",
        "Assign to vic",
    ]
    assert re.findall(r"</svg> (Assign to [^<]+|Unassign)<", after) == [
        "Assign to me",
        "Assign to vic",
        "Unassign",
    ]
    assert f'formaction="{assign_url(task, 2)}"' in after


@pytest.mark.parametrize("page", ["project", "today"])
def test_assigning_from_the_row_with_htmx_answers_the_row_the_page_shows(
    client_logged_in, shared, page
):
    task = shared["task"]
    Task.objects.filter(pk=task.pk).update(due_date=timezone.localdate())
    url = shared["project"].get_absolute_url() if page == "project" else TODAY

    response = client_logged_in.post(
        assign_url(task, 1), {"assignee": shared["editor"].pk}, **htmx(url)
    )

    answered = row_of(response.content.decode(), task)
    assert response.status_code == 200
    assert '<span class="avatar" aria-hidden="true">SJ</span>' in answered
    assert "Assigned to Sam Jones" in answered
    assert "Assigned “Buy milk” to Sam Jones." in response.content.decode()
    if page == "project":
        assert answered == row_of(client_logged_in.get(url).content.decode(), task)


def test_assigning_from_the_row_without_javascript_goes_back_to_the_page(client_logged_in, shared):
    task = shared["task"]
    page = shared["project"].get_absolute_url()

    response = client_logged_in.post(
        assign_url(task, 1), {"assignee": shared["owner"].pk, "next": page}, follow=True
    )

    assert response.redirect_chain == [(page, 302)]
    assert "Assigned “Buy milk” to you." in response.content.decode()
    task.refresh_from_db()
    assert task.assignee == shared["owner"]


def test_a_stale_row_action_changes_nothing_and_names_who_changed_the_task(client, shared):
    task = shared["task"]
    signed_in(client, shared["editor"]).post(
        reverse("todos:task_update", args=[task.pk]),
        {"title": "Buy oat milk", "project": shared["project"].pk, "priority": 4, "version": 1},
    )
    signed_in(client, shared["owner"])

    response = client.post(assign_url(task, 1), {"assignee": shared["viewer"].pk}, **htmx(TODAY))

    html = response.content.decode()
    assert "Sam Jones changed it meanwhile, so “Buy oat milk” was not assigned." in html
    assert f'formaction="{assign_url(task, 2)}"' in html  # the row, as it is now
    task.refresh_from_db()
    assert task.assignee is None


def test_unassigning_from_the_row(client_logged_in, shared):
    task = shared["task"]
    assignment.assign(task, shared["editor"], by=shared["owner"])

    client_logged_in.post(assign_url(task, 2), {"assignee": ""})

    task.refresh_from_db()
    assert task.assignee is None


def test_a_member_outside_the_project_cannot_be_posted(client_logged_in, shared):
    task = shared["task"]

    response = client_logged_in.post(
        assign_url(task, 1), {"assignee": shared["stranger"].pk}, **htmx(TODAY)
    )

    assert "Pick a member of the project, or nobody." in response.content.decode()
    task.refresh_from_db()
    assert task.assignee is None


def test_a_viewer_is_refused_and_a_stranger_finds_nothing(client, shared):
    task = shared["task"]

    viewer = signed_in(client, shared["viewer"]).post(
        assign_url(task, 1), {"assignee": shared["viewer"].pk}
    )
    stranger = signed_in(client, shared["stranger"]).post(
        assign_url(task, 1), {"assignee": shared["stranger"].pk}
    )

    assert (viewer.status_code, stranger.status_code) == (403, 404)
    task.refresh_from_db()
    assert (task.assignee, task.version) == (None, 1)


def test_a_big_team_is_offered_on_a_page_of_its_own(client_logged_in, shared):
    for n in range(10):
        MembershipFactory(project=shared["project"], user=UserFactory(username=f"m{n:02}"))
    task = shared["task"]

    row = row_of(client_logged_in.get(shared["project"].get_absolute_url()).content.decode(), task)
    page = client_logged_in.get(assign_url(task)).content.decode()
    client_logged_in.post(assign_url(task), {"assignee": shared["viewer"].pk, "version": 1})

    assert "Assign to someone else…" in row
    assert "Assign to m00" not in row
    assert len(re.findall(r"<option ", page)) == 1 + 13
    task.refresh_from_db()
    assert task.assignee == shared["viewer"]


# The assignee's notification and email, through the worker's path


def test_the_assignee_gets_an_email_through_the_worker(client_logged_in, shared, smtp_server):
    client_logged_in.post(assign_url(shared["task"], 1), {"assignee": shared["editor"].pk})

    assert len(smtp_server.messages) == 0  # never from the request
    dispatch.tick()
    (message,) = smtp_server.wait_for(1)

    assert message["To"] == "sam@example.com"
    assert message["Subject"] == "ada assigned you “Buy milk”"
    assert "In Household. No due date." in message.get_content()
    assert shared["task"].get_absolute_url() in message.get_content()
    listed = signed_in(client_logged_in, shared["editor"]).get(reverse("todos:notifications"))
    assert "ada assigned you “Buy milk”" in listed.content.decode()


# What rows show


def test_rows_show_the_assignee_and_the_comment_count(client_logged_in, shared):
    task = shared["task"]
    assignment.assign(task, shared["editor"], by=shared["owner"])
    Task.objects.filter(pk=task.pk).update(comment_count=3)

    row = row_of(client_logged_in.get(shared["project"].get_absolute_url()).content.decode(), task)

    assert '<span class="avatar" aria-hidden="true">SJ</span>' in row
    assert '<span class="visually-hidden">Assigned to Sam Jones</span>' in row
    assert '3<span class="visually-hidden"> comments</span>' in row


def test_a_viewer_is_offered_no_control_that_would_be_refused(client, shared):
    task = shared["task"]
    signed_in(client, shared["viewer"])

    for page in (shared["project"].get_absolute_url(), ASSIGNED, TODAY):
        html = client.get(page).content.decode()
        assert "Complete “Buy milk”" not in html
    Task.objects.filter(pk=task.pk).update(due_date=timezone.localdate())
    row = row_of(client.get(shared["project"].get_absolute_url()).content.decode(), task)

    assert row
    for control in (
        "Complete “",
        "Edit “",
        "Delete",
        "Move up",
        "Move to another",
        "Assign",
        "Select “",
    ):
        assert control not in row
    assert 'draggable="true"' not in row
    assert "Add to My Day" in row


def test_an_editor_is_offered_every_control(client, shared):
    signed_in(client, shared["editor"])

    row = row_of(client.get(shared["project"].get_absolute_url()).content.decode(), shared["task"])

    for control in ("Complete “Buy milk”", "Edit “Buy milk”", "Delete", "Move up", "Assign to me"):
        assert control in row


def test_a_new_name_shows_in_the_rows_at_once(client_logged_in, shared):
    assignment.assign(shared["task"], shared["editor"], by=shared["owner"])
    page = shared["project"].get_absolute_url()
    assert ">SJ</span>" in client_logged_in.get(page).content.decode()

    shared["editor"].display_name = "Samira"
    shared["editor"].save()

    assert ">S</span>" in client_logged_in.get(page).content.decode()


# Assigned to me


def test_assigned_to_me_lists_my_open_tasks_across_projects_soonest_first(client, shared):
    sam = shared["editor"]
    today = timezone.localdate()
    elsewhere = ProjectFactory(name="Office")
    MembershipFactory(project=elsewhere, user=sam, role=Role.VIEWER)
    tasks = {
        "later": TaskFactory(project=shared["project"], due_date=today + timedelta(days=3)),
        "today p1": TaskFactory(project=elsewhere, due_date=today, priority=1),
        "today p3": TaskFactory(project=shared["project"], due_date=today, priority=3),
        "no date": TaskFactory(project=elsewhere),
        "done": TaskFactory(project=shared["project"], completed_at=timezone.now()),
        "trashed": TaskFactory(project=shared["project"], deleted_at=timezone.now()),
    }
    Task.objects.filter(pk__in=[t.pk for t in tasks.values()]).update(assignee=sam)
    TaskFactory(project=shared["project"], assignee=shared["viewer"], title="Vic's")

    html = signed_in(client, sam).get(ASSIGNED).content.decode()

    shown = [int(pk) for pk in re.findall(r'<li id="task-(\d+)"', html)]
    assert shown == [tasks[k].pk for k in ("today p1", "today p3", "later", "no date")]
    assert 'aria-current="page" href="/assigned/"' in html


def test_assigned_to_me_says_when_there_is_nothing(client_logged_in):
    response = client_logged_in.get(ASSIGNED)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="page-title">Assigned to me</h1>' in html
    assert "Nothing is assigned to you." in html
    assert 'class="task-row' not in html


def test_a_removed_member_no_longer_sees_what_was_assigned_to_them(client, shared):
    assignment.assign(shared["task"], shared["editor"], by=shared["owner"])
    signed_in(client, shared["editor"])
    assert "Buy milk" in client.get(ASSIGNED).content.decode()

    Membership.objects.filter(user=shared["editor"]).delete()

    assert "Buy milk" not in client.get(ASSIGNED).content.decode()


# Today


@pytest.fixture
def due_today(shared, user):
    """Tasks due today in the shared project, for nobody, Sam and Vic, and one of Sam's own."""
    today = timezone.localdate()
    project = shared["project"]
    return {
        "nobody's": TaskFactory(project=project, title="Nobody's", due_date=today),
        "sam's": TaskFactory(
            project=project, title="Sam's", due_date=today, assignee=shared["editor"]
        ),
        "vic's": TaskFactory(
            project=project, title="Vic's", due_date=today, assignee=shared["viewer"]
        ),
        "sam's own": TaskFactory(
            project=ProjectFactory(owner=shared["editor"]), title="Sam's own", due_date=today
        ),
        "ada's own": TaskFactory(
            project=ProjectFactory(owner=user),
            title="Ada's own",
            due_date=today,
            assignee=None,
        ),
    }


def titles_on(client, url=TODAY) -> set[str]:
    html = client.get(url).content.decode()
    return set(map(unescape, re.findall(r'class="task-title" href="[^"]+">([^<]+)</a>', html)))


def test_today_shows_the_shared_tasks_that_are_mine_or_nobodys(client, shared, due_today):
    signed_in(client, shared["editor"])

    assert titles_on(client) == {"Nobody's", "Sam's", "Sam's own"}


def test_the_setting_narrows_today_to_the_shared_tasks_assigned_to_me(client, shared, due_today):
    sam = shared["editor"]
    signed_in(client, sam)

    response = client.post(
        reverse("accounts:settings"),
        {
            "email": sam.email,
            "timezone": "UTC",
            "week_start": 0,
            "today_assigned_only": "on",
            "remind_by_email": "on",
        },
    )

    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.today_assigned_only
    assert titles_on(client) == {"Sam's", "Sam's own"}
    settings_page = client.get(reverse("accounts:settings")).content.decode()
    assert re.search(r'name="today_assigned_only"[^>]*checked', settings_page)


def test_the_owner_of_a_shared_project_sees_today_by_the_same_rule(client_logged_in, due_today):
    assert titles_on(client_logged_in) == {"Nobody's", "Ada's own"}


def test_today_for_someone_with_no_shared_project_reads_only_their_own_rows(client, other_user):
    TaskFactory(project=ProjectFactory(owner=other_user), due_date=timezone.localdate())
    signed_in(client, other_user)
    clear_caches()

    with CaptureQueriesContext(connection) as queries:
        client.get(TODAY)

    listed = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "todos_task"') and "LIMIT" in q["sql"]
    ]
    assert listed
    for sql in listed:
        assert "todos_membership" not in sql
        assert '"assignee_id" IS NULL' not in sql


# Query counts


def member_of_20_projects(tasks: int):
    """Return someone in 20 projects shared by others, with `tasks` open tasks there assigned to
    them, due today."""
    member = UserFactory()
    owner = UserFactory()
    projects = [ProjectFactory(owner=owner) for _ in range(20)]
    for project in projects:
        MembershipFactory(project=project, user=member, role=Role.EDITOR)
    today = timezone.localdate()
    Task.objects.bulk_create(
        Task(
            owner=owner,
            project=projects[n % 20],
            title=f"Shared {n}",
            position=n,
            due_date=today,
            assignee=member if n % 2 == 0 else None,
        )
        for n in range(tasks)
    )
    member.refresh_from_db()
    return member


@pytest.mark.parametrize("url", [TODAY, ASSIGNED])
def test_today_and_assigned_run_as_many_queries_with_10_or_200_shared_tasks(client, url):
    counts = []
    for tasks in (10, 200):
        signed_in(client, member_of_20_projects(tasks))
        clear_caches()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1] <= BOUND


def test_the_assignment_pages_are_valid_html(client, shared, java):
    task = shared["task"]
    assignment.assign(task, shared["editor"], by=shared["owner"])
    Task.objects.filter(pk=task.pk).update(comment_count=2, due_date=timezone.localdate())
    project = shared["project"].get_absolute_url()
    owner = signed_in(client, shared["owner"])
    documents = {
        "project, owner": owner.get(project).content.decode(),
        "assign page": owner.get(assign_url(task)).content.decode(),
        "form": owner.get(reverse("todos:task_update", args=[task.pk])).content.decode(),
        "preview": owner.get(
            reverse("todos:quick_add_preview"), {"text": "Tidy up #Household +sam"}
        ).content.decode(),
        "quick add refused": owner.post(
            QUICK_ADD, {"text": "Tidy up #Household +stella"}
        ).content.decode(),
    }
    member = signed_in(client, shared["editor"])
    documents["assigned"] = member.get(ASSIGNED).content.decode()
    documents["today, member"] = member.get(TODAY).content.decode()
    viewer = signed_in(client, shared["viewer"])
    documents["project, viewer"] = viewer.get(project).content.decode()
    documents["assigned, empty"] = viewer.get(ASSIGNED).content.decode()

    assert html_errors(java, documents) == []
