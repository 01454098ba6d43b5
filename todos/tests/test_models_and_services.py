from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.tests.factories import UserFactory
from todos import services
from todos.models import Project, Tag, Task
from todos.tests.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def test_every_new_account_gets_an_inbox():
    user = UserFactory()

    inbox = Project.objects.for_user(user).get()
    assert (inbox.name, inbox.is_inbox) == ("Inbox", True)


def test_one_inbox_per_account(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(owner=user, name="Other inbox", is_inbox=True)


def test_project_names_are_unique_per_owner_whatever_the_case(user, other_user):
    Project.objects.create(owner=user, name="Home")
    Project.objects.create(owner=other_user, name="home")

    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(owner=user, name="HOME")


def test_tag_names_are_unique_per_owner_whatever_the_case(user):
    Tag.objects.create(owner=user, name="bills")

    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(owner=user, name="Bills")


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"priority": 0}, "todos_task_priority_range"),
        ({"priority": 5}, "todos_task_priority_range"),
        ({"title": ""}, "todos_task_title_not_empty"),
        ({"due_time": "09:00"}, "todos_task_time_needs_date"),
    ],
)
def test_database_refuses_broken_tasks(user, fields, constraint):
    inbox = services.ensure_inbox(user)

    with pytest.raises(IntegrityError, match=r"(?i)check|constraint"), transaction.atomic():
        Task.objects.create(owner=user, project=inbox, **{"title": "x", **fields})


def test_for_user_shows_only_own_tasks_outside_the_trash(user, other_user):
    mine = TaskFactory(project=services.ensure_inbox(user))
    trashed = TaskFactory(project=services.ensure_inbox(user), deleted_at=NOW)
    TaskFactory(project=services.ensure_inbox(other_user))

    assert list(Task.objects.for_user(user)) == [mine]
    assert list(Task.objects.trash_for(user)) == [trashed]


def test_new_tasks_go_to_the_end_of_their_project(user):
    project = ProjectFactory(owner=user)
    first = services.create_task(owner=user, project=project, title="first")
    second = services.create_task(owner=user, project=project, title="second")

    assert second.position > first.position


def test_subtasks_live_in_their_parents_project_one_level_deep(user):
    project = ProjectFactory(owner=user)
    parent = services.create_task(owner=user, project=project, title="parent")
    child = services.create_task(
        owner=user, project=services.ensure_inbox(user), title="child", parent=parent
    )
    grandchild = services.create_task(
        owner=user, project=project, title="grandchild", parent=child
    )

    assert child.project == project
    assert grandchild.parent == parent


def test_completing_a_parent_completes_its_open_subtasks_and_reopening_reopens_them(user):
    parent = TaskFactory(project=services.ensure_inbox(user))
    child = TaskFactory(project=parent.project, parent=parent)
    done_before = TaskFactory(project=parent.project, parent=parent, completed_at=NOW)
    later = NOW + timedelta(hours=1)

    services.set_completed(parent, True, now=later)
    child.refresh_from_db()
    assert parent.is_completed
    assert child.completed_at == later

    services.set_completed(parent, False, now=later)
    child.refresh_from_db()
    done_before.refresh_from_db()
    assert not parent.is_completed
    assert not child.is_completed
    # Ticked off on its own before: stays done.
    assert done_before.completed_at == NOW


def test_completing_what_is_already_completed_changes_nothing(user):
    task = TaskFactory(project=services.ensure_inbox(user), completed_at=NOW)

    outcome = services.set_completed(task, True, now=NOW + timedelta(days=1))

    task.refresh_from_db()
    assert (outcome.changed, outcome.skipped) == (0, 1)
    assert task.completed_at == NOW


def test_reopen_reopens_a_completed_task(user):
    task = TaskFactory(project=services.ensure_inbox(user), completed_at=NOW)

    services.set_completed(task, False, now=NOW)

    task.refresh_from_db()
    assert task.completed_at is None


def test_trash_and_restore_take_the_subtasks_along(user):
    parent = TaskFactory(project=services.ensure_inbox(user))
    child = TaskFactory(project=parent.project, parent=parent)

    services.trash(parent, now=NOW)
    assert Task.objects.for_user(user).count() == 0

    services.restore(parent)
    assert set(Task.objects.for_user(user)) == {parent, child}


def test_restoring_a_subtask_restores_its_trashed_parent(user):
    parent = TaskFactory(project=services.ensure_inbox(user))
    child = TaskFactory(project=parent.project, parent=parent)
    services.trash(parent, now=NOW)

    services.restore(child)

    assert set(Task.objects.for_user(user)) == {parent, child}


def test_moving_a_task_takes_its_subtasks_along(user):
    home = ProjectFactory(owner=user)
    parent = TaskFactory(project=services.ensure_inbox(user))
    child = TaskFactory(project=parent.project, parent=parent)

    services.move_to_project(parent, home)

    child.refresh_from_db()
    assert (parent.project, child.project) == (home, home)


def test_move_step_swaps_with_the_open_neighbour(user):
    project = ProjectFactory(owner=user)
    a, _b, c = (services.create_task(owner=user, project=project, title=t) for t in "abc")

    services.move_step(c, -1)
    services.move_step(a, 1)

    order = list(
        Task.objects.filter(project=project).in_manual_order().values_list("title", flat=True)
    )
    assert order == ["c", "a", "b"]


def test_move_step_at_the_edge_changes_nothing(user):
    project = ProjectFactory(owner=user)
    a = services.create_task(owner=user, project=project, title="a")

    services.move_step(a, -1)

    a.refresh_from_db()
    assert a.position == 1


def test_reorder_ignores_tasks_of_other_projects_and_users(user, other_user):
    project = ProjectFactory(owner=user)
    a, b = (services.create_task(owner=user, project=project, title=t) for t in "ab")
    stranger = TaskFactory(project=services.ensure_inbox(other_user))

    services.reorder(project, [stranger.pk, b.pk, a.pk])

    stranger_position = stranger.position
    stranger.refresh_from_db()
    assert stranger.position == stranger_position
    order = list(
        Task.objects.filter(project=project).in_manual_order().values_list("title", flat=True)
    )
    assert order == ["b", "a"]


def test_an_edit_from_a_stale_version_is_refused(user):
    task = TaskFactory(project=services.ensure_inbox(user), title="original")
    services.update_task(task, expected_version=1, tags=[], title="first edit")

    with pytest.raises(services.StaleEditError):
        services.update_task(task, expected_version=1, tags=[], title="second edit")

    task.refresh_from_db()
    assert (task.title, task.version) == ("first edit", 2)


def test_deleting_a_project_moves_its_tasks_to_the_trash_in_the_inbox(user):
    project = ProjectFactory(owner=user)
    earlier = NOW - timedelta(days=3)
    TaskFactory.create_batch(2, project=project)
    already_trashed = TaskFactory(project=project, deleted_at=earlier)

    count = services.delete_project(project, now=NOW)

    assert count == 2
    assert not Project.objects.filter(pk=project.pk).exists()
    trash = Task.objects.trash_for(user)
    assert trash.count() == 3
    assert {t.project.is_inbox for t in trash} == {True}
    already_trashed.refresh_from_db()
    assert already_trashed.deleted_at == earlier


def test_purge_trash_deletes_only_old_items(user):
    inbox = services.ensure_inbox(user)
    old = TaskFactory(project=inbox, deleted_at=NOW - timedelta(days=31))
    recent = TaskFactory(project=inbox, deleted_at=NOW - timedelta(days=29))

    assert services.purge_trash(older_than=timedelta(days=30), now=NOW, dry_run=True) == 1
    assert Task.objects.filter(pk=old.pk).exists()
    assert services.purge_trash(older_than=timedelta(days=30), now=NOW) == 1
    assert list(Task.objects.all()) == [recent]


def test_today_includes_overdue_and_orders_by_date_time_priority(user):
    inbox = services.ensure_inbox(user)
    today = date(2026, 11, 22)
    late = TaskFactory(project=inbox, due_date=today - timedelta(days=2), priority=4)
    timed = TaskFactory(project=inbox, due_date=today, due_time="08:00", priority=4)
    urgent = TaskFactory(project=inbox, due_date=today, priority=1)
    untimed = TaskFactory(project=inbox, due_date=today, priority=3)
    TaskFactory(project=inbox, due_date=today + timedelta(days=1))
    TaskFactory(project=inbox, due_date=today, completed_at=NOW)

    assert list(Task.objects.for_user(user).due_by(today)) == [late, timed, urgent, untimed]
