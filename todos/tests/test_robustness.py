"""Where a new task shows up, odd ids in posts, and order kept through trash and restore."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from todos import services
from todos.models import Task
from todos.tests.factories import ProjectFactory, TagFactory, TaskFactory

pytestmark = pytest.mark.django_db

QUICK_ADD = reverse("todos:quick_add")
HTMX = {"HTTP_HX_REQUEST": "true"}


def quick_add(client, text, **fields):
    return client.post(QUICK_ADD, {"text": text, **fields}, **HTMX).content.decode()


def test_a_task_without_a_date_added_on_today_is_due_today_and_listed(client_logged_in):
    html = quick_add(client_logged_in, "Call mum", view="today")

    task = Task.objects.get()
    assert task.due_date == timezone.localdate()
    assert 'data-hx-swap-oob="beforeend:#task-list"' in html
    # Announced even though it joins the list in view.
    assert f'Added <a href="{task.get_absolute_url()}">“Call mum”</a> to Inbox' in html
    assert "visually-hidden" not in html.split("Added <a")[0].rsplit("<div", 1)[1]


def test_a_task_added_on_a_day_of_upcoming_gets_that_day(client_logged_in):
    day = timezone.localdate() + timedelta(days=4)

    html = quick_add(client_logged_in, "Dentist", view="upcoming", day=day.isoformat())

    assert Task.objects.get().due_date == day
    assert f'data-hx-swap-oob="beforeend:#tasks-{day:%Y%m%d}"' in html


def test_a_day_outside_upcoming_falls_back_to_today(client_logged_in):
    quick_add(client_logged_in, "Dentist", view="upcoming", day="9999-12-31")

    assert Task.objects.get().due_date == timezone.localdate()


def test_a_task_due_today_added_on_today_joins_the_list(client_logged_in):
    html = quick_add(client_logged_in, "Call mum today", view="today")

    assert 'data-hx-swap-oob="beforeend:#task-list"' in html


def test_a_task_added_on_upcoming_joins_its_days_list(client_logged_in):
    html = quick_add(client_logged_in, "Dentist in 3 days", view="upcoming")

    day = timezone.localdate() + timedelta(days=3)
    assert f'data-hx-swap-oob="beforeend:#tasks-{day:%Y%m%d}"' in html
    page = client_logged_in.get(reverse("todos:upcoming")).content.decode()
    assert f'id="tasks-{day:%Y%m%d}"' in page


def test_a_task_sent_to_another_project_is_not_listed_on_this_one(client_logged_in, user):
    home = ProjectFactory(owner=user, name="Home")
    ProjectFactory(owner=user, name="Work")

    html = quick_add(client_logged_in, "Report #work", project=home.pk)

    assert Task.objects.get().project.name == "Work"
    assert 'data-hx-swap-oob="beforeend:' not in html
    assert "to Work." in html


def test_quick_add_on_a_tag_page_tags_the_task(client_logged_in, user):
    bills = TagFactory(owner=user, name="bills")

    html = quick_add(client_logged_in, "Pay water @home", tag=bills.pk)

    task = Task.objects.get()
    assert sorted(task.tags.values_list("name", flat=True)) == ["bills", "home"]
    assert 'data-hx-swap-oob="beforeend:#task-list"' in html
    tag_page = client_logged_in.get(bills.get_absolute_url()).content.decode()
    assert f'name="tag" value="{bills.pk}"' in tag_page


def test_another_users_tag_on_quick_add_is_404(client_logged_in, other_user):
    response = client_logged_in.post(
        QUICK_ADD, {"text": "x", "tag": TagFactory(owner=other_user).pk}
    )

    assert response.status_code == 404
    assert not Task.objects.exists()


@pytest.mark.parametrize("field", ["parent", "project", "tag"])
@pytest.mark.parametrize("value", ["abc", "²", "-1", "99999999999999999999999", "1.5"])
def test_an_id_that_cannot_exist_is_404_not_an_error(client_logged_in, field, value):
    response = client_logged_in.post(QUICK_ADD, {"text": "Buy milk", field: value})

    assert response.status_code == 404
    assert not Task.objects.exists()


def test_reorder_ignores_ids_that_cannot_exist(client_logged_in, user):
    project = ProjectFactory(owner=user)
    first, second = TaskFactory(project=project), TaskFactory(project=project)

    response = client_logged_in.post(
        reverse("todos:project_reorder", args=[project.pk]),
        {"order": ["²", "99999999999999999999999", str(second.pk), "x", str(first.pk)]},
    )

    assert response.status_code == 302
    order = Task.objects.filter(project=project).in_manual_order().values_list("pk", flat=True)
    assert list(order) == [second.pk, first.pk]


def test_a_task_in_an_archived_project_can_still_be_edited(client_logged_in, user):
    archive = ProjectFactory(owner=user, name="Old", is_archived=True)
    task = TaskFactory(project=archive, title="Keep")

    response = client_logged_in.post(
        reverse("todos:task_update", args=[task.pk]),
        {"title": "Kept", "project": archive.pk, "priority": 4, "version": task.version},
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.project) == ("Kept", archive)


def test_tasks_of_a_deleted_project_come_back_in_order_and_can_be_moved(client_logged_in, user):
    inbox = services.ensure_inbox(user)
    services.create_task(owner=user, project=inbox, title="Already here")
    doomed = ProjectFactory(owner=user)
    restored = services.create_task(owner=user, project=doomed, title="Came back")
    services.delete_project(doomed, now=timezone.now())

    services.restore(Task.objects.trash_for(user).get(pk=restored.pk))
    client_logged_in.post(reverse("todos:task_move_up", args=[restored.pk]))

    order = Task.objects.for_user(user).filter(project=inbox).in_manual_order()
    assert [t.title for t in order] == ["Came back", "Already here"]


def test_a_restored_task_goes_to_the_end_of_its_project(user):
    project = ProjectFactory(owner=user)
    first, second = (services.create_task(owner=user, project=project, title=t) for t in "ab")
    services.trash(first, now=timezone.now())
    third = services.create_task(owner=user, project=project, title="c")

    services.restore(first)

    order = Task.objects.for_user(user).filter(project=project).in_manual_order()
    assert list(order) == [second, third, first]
    assert len({t.position for t in order}) == 3


def test_task_page_lists_only_the_owners_subtasks(client_logged_in, user, other_user):
    parent = services.create_task(owner=user, project=services.ensure_inbox(user), title="Mine")
    TaskFactory(project=ProjectFactory(owner=other_user), parent=parent, title="Planted")

    html = client_logged_in.get(parent.get_absolute_url()).content.decode()

    assert "Planted" not in html


def test_admin_refuses_a_sub_task_of_another_project_or_of_a_sub_task(admin_client, user):
    home = ProjectFactory(owner=user, name="Home")
    parent = services.create_task(owner=user, project=home, title="Parent")
    child = services.create_task(owner=user, project=home, title="Child", parent=parent)
    elsewhere = ProjectFactory(name="Someone else's")
    add = reverse("admin:todos_task_add")

    across = admin_client.post(
        add, {"title": "X", "project": elsewhere.pk, "parent": parent.pk, "priority": 4}
    )
    deeper = admin_client.post(
        add, {"title": "Y", "project": home.pk, "parent": child.pk, "priority": 4}
    )

    assert "A sub-task lives in its parent" in across.content.decode()
    assert "Sub-tasks go one level deep" in deeper.content.decode()
    assert not Task.objects.filter(title__in=["X", "Y"]).exists()


def test_an_admin_change_makes_an_open_edit_page_stale(admin_client, client_logged_in, user):
    task = services.create_task(owner=user, project=services.ensure_inbox(user), title="Mine")
    admin_client.post(
        reverse("admin:todos_task_changelist"),
        {"action": "mark_complete", "_selected_action": [task.pk]},
    )

    response = client_logged_in.post(
        reverse("todos:task_update", args=[task.pk]),
        {"title": "Edited", "project": task.project_id, "priority": 4, "version": task.version},
    )

    assert response.status_code == 409
    task.refresh_from_db()
    assert (task.title, task.is_completed) == ("Mine", True)
