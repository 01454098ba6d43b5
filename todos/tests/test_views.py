import re
from datetime import time, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from todos import services
from todos.models import Project, Task, UndoRecord
from todos.tests.factories import ProjectFactory, TagFactory, TaskFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/today/"}


@pytest.fixture
def inbox(user):
    return services.ensure_inbox(user)


@pytest.fixture
def project(user):
    return ProjectFactory(owner=user, name="Home")


def messages_of(response):
    return [(str(m), m.extra_tags) for m in get_messages(response.wsgi_request)]


def test_today_shows_overdue_apart_and_leaves_out_later_tasks(client_logged_in, inbox):
    today = timezone.localdate()
    TaskFactory(project=inbox, title="Late bill", due_date=today - timedelta(days=1))
    TaskFactory(project=inbox, title="Dentist", due_date=today)
    TaskFactory(project=inbox, title="Next week", due_date=today + timedelta(days=7))

    html = client_logged_in.get(reverse("todos:today")).content.decode()

    assert html.index("Overdue") < html.index("Late bill") < html.index("Dentist")
    assert "Overdue, due" in html
    assert "Next week" not in html


def test_today_lists_a_days_timed_tasks_first_by_time_then_the_rest_by_priority(
    client_logged_in, inbox
):
    today = timezone.localdate()
    for title, day, at, priority in [
        ("Whenever", today, None, 3),
        ("Lunch", today, time(12, 30), 4),
        ("Urgent, any time", today, None, 1),
        ("Standup", today, time(9), 4),
        ("Late bill", today - timedelta(days=1), None, 4),
    ]:
        TaskFactory(project=inbox, title=title, due_date=day, due_time=at, priority=priority)

    html = client_logged_in.get(reverse("todos:today")).content.decode()

    titles = re.findall(r'class="task-title[^"]*"[^>]*>([^<]*)<', html)
    assert titles == ["Late bill", "Standup", "Lunch", "Urgent, any time", "Whenever"]


def test_today_follows_the_users_time_zone(client_logged_in, user, inbox):
    user.timezone = "Pacific/Kiritimati"  # UTC+14: usually already tomorrow there
    user.save(update_fields=["timezone"])
    local_today = timezone.now().astimezone(timezone.get_fixed_timezone(14 * 60)).date()
    TaskFactory(project=inbox, title="Kiribati task", due_date=local_today)

    html = client_logged_in.get(reverse("todos:today")).content.decode()

    assert "Kiribati task" in html


def test_upcoming_groups_the_next_14_days(client_logged_in, inbox):
    today = timezone.localdate()
    TaskFactory(project=inbox, title="Tomorrow thing", due_date=today + timedelta(days=1))
    TaskFactory(project=inbox, title="Far thing", due_date=today + timedelta(days=20))

    html = client_logged_in.get(reverse("todos:upcoming")).content.decode()

    assert html.index("Tomorrow") < html.index("Tomorrow thing")
    assert (today + timedelta(days=3)).strftime("%A") in html
    assert "Far thing" not in html
    assert "?due=later" in html


def test_project_page_lists_open_tasks_in_order_and_completed_below(client_logged_in, project):
    TaskFactory(project=project, title="Second", position=2)
    TaskFactory(project=project, title="First", position=1)
    TaskFactory(project=project, title="Done already", completed_at=timezone.now())

    html = client_logged_in.get(project.get_absolute_url()).content.decode()

    assert "<title>Home · Ticklist</title>" in html
    assert html.index("First") < html.index("Second") < html.index('<details class="done-section"')
    assert html.index('<details class="done-section"') < html.index("Done already")
    assert "Completed (1)" in html


def test_empty_inbox_says_what_to_do(client_logged_in, inbox):
    html = client_logged_in.get(reverse("todos:inbox")).content.decode()

    assert "Your Inbox is empty" in html


def test_tag_page_shows_the_tagged_tasks(client_logged_in, user, inbox):
    tag = TagFactory(owner=user, name="bills")
    TaskFactory(project=inbox, title="Pay rent", tags=[tag])
    TaskFactory(project=inbox, title="Walk dog")

    html = client_logged_in.get(tag.get_absolute_url()).content.decode()

    assert "Pay rent" in html
    assert "Walk dog" not in html


def test_toggle_completes_and_returns_to_the_page(client_logged_in, inbox):
    task = TaskFactory(project=inbox, title="Pay rent")

    response = client_logged_in.post(
        reverse("todos:task_toggle", args=[task.pk]), {"next": "/today/"}
    )

    assert response.url == "/today/"
    task.refresh_from_db()
    assert task.is_completed
    undo = UndoRecord.objects.get()
    assert messages_of(response) == [("Completed “Pay rent”.", f"undo:{undo.pk}")]


def test_toggle_under_htmx_returns_the_updated_row(client_logged_in, inbox):
    task = TaskFactory(project=inbox, title="Pay rent", completed_at=timezone.now())

    response = client_logged_in.post(
        reverse("todos:task_toggle", args=[task.pk]), {"completed": "0"}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<li id="task-{task.pk}"')
    assert 'aria-label="Complete “Pay rent”"' in html
    # Its buttons submit the page's one actions form, which carries the token and `next`.
    assert (
        f'form="task-actions" formaction="{reverse("todos:task_toggle", args=[task.pk])}"' in html
    )
    page = client_logged_in.get(reverse("todos:today")).content.decode()
    assert (
        '<form id="task-actions" method="post" hidden><input type="hidden" name="csrfmiddlewaretoken"'
        in page
    )
    assert '<input type="hidden" name="next" value="/today/"></form>' in page


def test_delete_moves_to_trash_with_an_undo(client_logged_in, inbox):
    task = TaskFactory(project=inbox, title="Pay rent")

    response = client_logged_in.post(reverse("todos:task_delete", args=[task.pk]), follow=True)

    task.refresh_from_db()
    assert task.is_deleted
    html = response.content.decode()
    assert "Moved “Pay rent” to the trash." in html
    undo = reverse("todos:undo", args=[UndoRecord.objects.get().pk])
    assert undo in html

    client_logged_in.post(undo)
    task.refresh_from_db()
    assert not task.is_deleted


def test_deleting_from_the_task_page_returns_to_its_project(client_logged_in, project):
    task = TaskFactory(project=project)

    response = client_logged_in.post(
        reverse("todos:task_delete", args=[task.pk]), {"next": task.get_absolute_url()}
    )

    assert response.url == project.get_absolute_url()


def test_trash_lists_deleted_tasks_and_deletes_forever(client_logged_in, inbox):
    task = TaskFactory(project=inbox, title="Gone", deleted_at=timezone.now())

    purge = reverse("todos:task_purge", args=[task.pk])
    trash = client_logged_in.get(reverse("todos:trash")).content.decode()
    confirmation = client_logged_in.get(purge, {"next": "/trash/"}).content.decode()
    assert "Gone" in trash
    assert f'href="{purge}?next=/trash/"' in trash
    assert "Delete “Gone” forever?" in confirmation
    assert "cannot be restored" in confirmation
    assert Task.objects.filter(pk=task.pk).exists()

    response = client_logged_in.post(purge, {"next": "/trash/"})

    assert response.url == "/trash/"
    assert not Task.objects.filter(pk=task.pk).exists()


def test_full_form_creates_a_task_with_every_field(client_logged_in, user, project):
    tag = TagFactory(owner=user, name="bills")

    response = client_logged_in.post(
        reverse("todos:task_create"),
        {
            "title": "  Pay   rent ",
            "notes": "See https://example.com",
            "project": project.pk,
            "due_date": "2026-12-01",
            "due_time": "09:30",
            "priority": 1,
            "tags": [tag.pk],
        },
    )

    task = Task.objects.get()
    assert response.url == task.get_absolute_url()
    assert (task.title, task.project, str(task.due_date), task.due_time.strftime("%H:%M")) == (
        "Pay rent",
        project,
        "2026-12-01",
        "09:30",
    )
    assert list(task.tags.all()) == [tag]


def test_full_form_shows_errors_beside_fields_and_keeps_input(client_logged_in, project):
    response = client_logged_in.post(
        reverse("todos:task_create"),
        {
            "title": "   ",
            "notes": "keep me",
            "project": project.pk,
            "due_time": "09:00",
            "priority": 4,
        },
    )

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "title" in errors
    assert errors["due_date"] == ["Pick a date for the due time, or clear the time."]
    assert "keep me" in response.content.decode()
    assert not Task.objects.exists()


def test_a_stale_edit_is_refused_with_the_current_values_and_typed_text_kept(
    client_logged_in, inbox
):
    task = TaskFactory(project=inbox, title="Original")
    services.update_task(task, expected_version=1, tags=[], title="Changed elsewhere")

    response = client_logged_in.post(
        reverse("todos:task_update", args=[task.pk]),
        {"title": "My edit", "project": inbox.pk, "priority": 4, "version": 1},
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "changed elsewhere" in html
    assert "Changed elsewhere" in html
    assert 'value="My edit"' in html
    task.refresh_from_db()
    assert task.title == "Changed elsewhere"


def test_notes_links_are_clickable_and_markup_is_escaped(client_logged_in, inbox):
    task = TaskFactory(project=inbox, notes="<script>alert(1)</script> see https://example.com/x")

    html = client_logged_in.get(task.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="https://example.com/x"' in html


def test_move_to_another_project(client_logged_in, inbox, project):
    task = TaskFactory(project=inbox)

    client_logged_in.post(reverse("todos:task_move", args=[task.pk]), {"project": project.pk})

    task.refresh_from_db()
    assert task.project == project


def test_move_up_and_down_buttons_reorder(client_logged_in, user, project):
    _a, b = (services.create_task(owner=user, project=project, title=t) for t in "ab")

    response = client_logged_in.post(
        reverse("todos:task_move_up", args=[b.pk]), {"next": project.get_absolute_url()}
    )

    assert response.url == f"{project.get_absolute_url()}#task-{b.pk}"
    titles = list(
        Task.objects.filter(project=project).in_manual_order().values_list("title", flat=True)
    )
    assert titles == ["b", "a"]


def test_drag_and_drop_order_is_saved(client_logged_in, user, project):
    a, b, c = (services.create_task(owner=user, project=project, title=t) for t in "abc")

    response = client_logged_in.post(
        reverse("todos:project_reorder", args=[project.pk]), {"order": [c.pk, a.pk, b.pk]}, **HTMX
    )

    assert response.status_code == 204
    titles = list(
        Task.objects.filter(project=project).in_manual_order().values_list("title", flat=True)
    )
    assert titles == ["c", "a", "b"]


@pytest.mark.parametrize(
    ("action", "check"),
    [
        ("complete", lambda t, p: t.is_completed),
        ("delete", lambda t, p: t.is_deleted),
        ("move", lambda t, p: t.project == p),
    ],
)
def test_bulk_actions(client_logged_in, inbox, project, action, check):
    tasks = TaskFactory.create_batch(2, project=inbox)

    response = client_logged_in.post(
        reverse("todos:task_bulk"),
        {
            "tasks": [t.pk for t in tasks],
            "action": action,
            "project": project.pk,
            "next": "/inbox/",
        },
    )

    assert response.url == "/inbox/"
    for task in tasks:
        task.refresh_from_db()
        assert check(task, project)


def test_bulk_without_selection_explains(client_logged_in, inbox):
    response = client_logged_in.post(reverse("todos:task_bulk"), {"action": "complete"})

    assert messages_of(response) == [("Select at least one task first.", "")]


def test_bulk_move_needs_a_project(client_logged_in, inbox):
    task = TaskFactory(project=inbox)

    response = client_logged_in.post(
        reverse("todos:task_bulk"), {"tasks": [task.pk], "action": "move"}
    )

    assert messages_of(response) == [("Pick the project to move the tasks to.", "")]


def test_search_combines_text_and_filters_and_keeps_the_query(
    client_logged_in, user, inbox, project
):
    tag = TagFactory(owner=user, name="bills")
    TaskFactory(project=project, title="Pay rent", priority=1, tags=[tag])
    TaskFactory(project=project, title="Pay gym", priority=4)
    TaskFactory(project=inbox, title="Pay tax", priority=1)

    response = client_logged_in.get(
        reverse("todos:search"), {"q": "pay", "project": project.pk, "priority": 1}
    )

    html = response.content.decode()
    assert "1 task found" in html
    assert "Pay rent" in html
    assert "Pay gym" not in html
    assert "Pay tax" not in html
    assert 'value="pay"' in html


def test_search_finds_words_in_notes_and_completed_on_request(client_logged_in, inbox):
    TaskFactory(
        project=inbox, title="Call", notes="about the invoice", completed_at=timezone.now()
    )

    open_only = client_logged_in.get(reverse("todos:search"), {"q": "invoice"}).content.decode()
    completed = client_logged_in.get(
        reverse("todos:search"), {"q": "invoice", "status": "completed"}
    ).content.decode()

    assert "0 tasks found" in open_only
    assert "1 task found" in completed


def test_search_needs_every_word_in_the_title_or_the_notes(client_logged_in, inbox, other_user):
    TaskFactory(project=inbox, title="Pay rent", notes="Landlord's IBAN is on the lease")
    TaskFactory(project=inbox, title="Call the landlord")
    TaskFactory(project=inbox, title="Rent a van", notes="")
    TaskFactory(project=ProjectFactory(owner=other_user), title="Pay rent", notes="iban")

    def found(words: str) -> list[str]:
        response = client_logged_in.get(reverse("todos:search"), {"q": words})
        return sorted(
            re.findall(r'class="task-title[^"]*"[^>]*>([^<]*)<', response.content.decode())
        )

    assert found("rent iban") == ["Pay rent"]
    assert found("LANDLORD") == ["Call the landlord", "Pay rent"]
    assert found("rent") == ["Pay rent", "Rent a van"]
    assert found("rent van iban") == []


def test_search_with_a_bad_filter_does_not_fail(client_logged_in, inbox):
    response = client_logged_in.get(reverse("todos:search"), {"project": "nope", "priority": "9"})

    assert response.status_code == 200


def test_completed_page_is_newest_first_and_paginated(client_logged_in, inbox):
    now = timezone.now()
    for n in range(55):
        TaskFactory(project=inbox, title=f"Done {n:02d}", completed_at=now - timedelta(minutes=n))

    first = client_logged_in.get(reverse("todos:completed")).content.decode()
    second = client_logged_in.get(reverse("todos:completed"), {"page": 2}).content.decode()

    assert first.index("Done 00") < first.index("Done 01")
    assert "Done 54" not in first
    assert "Done 54" in second
    assert '<span class="page-link">Page 2</span>' in second
    assert "?page=1" in second
    assert "?page=3" not in second


def test_create_project_refuses_a_duplicate_name_in_another_case(client_logged_in, project):
    response = client_logged_in.post(
        reverse("todos:project_create"), {"name": "HOME", "colour": "blue"}
    )

    assert response.status_code == 422
    assert response.context["form"].errors["name"] == ["You already have a project called “HOME”."]


def test_rename_and_recolour_a_project(client_logged_in, project):
    client_logged_in.post(
        reverse("todos:project_update", args=[project.pk]),
        {"name": "House", "colour": "green", "version": project.version},
    )

    project.refresh_from_db()
    assert (project.name, project.colour) == ("House", "green")


def test_archiving_hides_a_project_from_the_sidebar(client_logged_in, project):
    client_logged_in.post(reverse("todos:project_archive", args=[project.pk]))

    project.refresh_from_db()
    assert project.is_archived
    today = client_logged_in.get(reverse("todos:today")).content.decode()
    assert project.get_absolute_url() not in today


def test_project_delete_confirmation_says_how_many_tasks(client_logged_in, project):
    TaskFactory.create_batch(3, project=project)

    confirm = client_logged_in.get(
        reverse("todos:project_delete", args=[project.pk])
    ).content.decode()
    response = client_logged_in.post(reverse("todos:project_delete", args=[project.pk]))

    assert "3 tasks will go to the trash" in confirm
    assert response.url == reverse("todos:today")
    assert not Project.objects.filter(pk=project.pk).exists()
    assert Task.objects.trash_for(project.owner).count() == 3


def test_moving_a_task_in_the_edit_form_takes_its_sub_tasks_along(client_logged_in, user):
    home, work = ProjectFactory(owner=user), ProjectFactory(owner=user)
    task = TaskFactory(project=home, title="Paint the hall")
    step = TaskFactory(project=home, parent=task, title="Buy paint")

    response = client_logged_in.post(
        reverse("todos:task_update", args=[task.pk]),
        {"title": "Paint the hall", "project": work.pk, "priority": 4, "version": task.version},
    )

    assert response.status_code == 302
    step.refresh_from_db()
    assert step.project == work
