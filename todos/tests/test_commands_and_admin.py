from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from todos import services
from todos.management.demo_week import WEEK_TASKS
from todos.models import Project, Tag, Task
from todos.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_seed_demo_builds_a_realistic_account():
    output = run("seed_demo", "--tasks", "2500", "--seed", "1")

    demo = User.objects.get(username="demo")
    assert demo.check_password("ticklist-demo")
    assert "username “demo”, password “ticklist-demo”" in output
    assert "2500/2500 tasks" in output
    tasks = Task.objects.filter(owner=demo)
    assert tasks.count() == 2500
    assert Project.objects.filter(owner=demo).count() == 21
    assert Tag.objects.filter(owner=demo).count() == 30
    completed = tasks.completed().count()
    assert 0.2 < completed / 2500 < 0.4
    assert tasks.filter(due_date__lt=timezone.localdate()).exists()
    assert tasks.filter(due_date__gt=timezone.localdate()).exists()
    assert tasks.filter(parent__isnull=False).exists()
    subtasks = tasks.filter(parent__isnull=False)
    assert not subtasks.exclude(project=F("parent__project")).exists()


def test_the_default_demo_reads_like_a_persons_week(client):
    output = run("seed_demo")

    demo = User.objects.get(username="demo")
    tasks = Task.objects.filter(owner=demo)
    assert tasks.count() == WEEK_TASKS
    assert f"Created 1 demo account with 21 projects, 30 tags and {WEEK_TASKS} tasks" in output
    titles = list(tasks.values_list("title", flat=True))
    assert len(titles) == len(set(titles))
    trip = tasks.get(title="Plan the trip", project__name="Trip to Lisbon")
    assert {"Book flights", "Book hotel"} <= {t.title for t in trip.subtasks.all()}
    assert tasks.get(title="Pay rent").tags.get().name == "bills"
    today = timezone.localdate()
    open_tasks = tasks.open()
    assert 3 <= open_tasks.filter(due_date__lt=today).count() <= 10
    assert 5 <= open_tasks.filter(due_date=today).count() <= 15
    assert (
        open_tasks.filter(
            due_date__range=(today + timedelta(days=1), today + timedelta(7))
        ).count()
        >= 10
    )
    assert open_tasks.filter(due_date__isnull=True).count() >= 10
    assert tasks.completed().count() >= 10
    assert tasks.exclude(notes="").count() >= 5
    assert {1, 2, 3, 4} <= set(tasks.values_list("priority", flat=True))
    assert not Project.objects.filter(owner=demo).annotate(n=Count("tasks")).filter(n__lt=4)
    client.force_login(demo)
    page = client.get(reverse("todos:today")).content.decode()
    assert "Send the quarterly report to Maria" in page
    assert "Call the landlord about the boiler service" in page  # overdue


def snapshot() -> list[tuple]:
    """Return every demo task as what it shows, independent of primary keys."""
    return sorted(
        (
            task.owner.username,
            task.project.name,
            task.project.colour,
            task.parent.title if task.parent else "",
            task.title,
            task.notes,
            str(task.due_date),
            str(task.due_time),
            task.priority,
            task.completed_at is not None,
            tuple(sorted((tag.name, tag.colour) for tag in task.tags.all())),
        )
        for task in Task.objects.select_related("owner", "project", "parent").prefetch_related(
            "tags"
        )
    )


def test_seed_demo_is_repeatable_for_a_seed():
    run("seed_demo", "--tasks", "500", "--users", "2", "--seed", "7")
    first = snapshot()
    output = run("seed_demo", "--tasks", "500", "--users", "2", "--seed", "7", "--reset")
    again = snapshot()
    run("seed_demo", "--tasks", "500", "--users", "2", "--seed", "8", "--reset")

    assert "Deleted 2 existing demo accounts." in output
    assert again == first
    assert snapshot() != first


def test_seed_demo_is_bulk_even_for_many_tasks(django_assert_max_num_queries):
    with django_assert_max_num_queries(80):
        run("seed_demo", "--tasks", "10000")

    assert Task.objects.count() == 10000


def test_seed_demo_refuses_to_overwrite_unless_reset():
    run("seed_demo", "--tasks", "10")

    with pytest.raises(CommandError, match="--reset"):
        run("seed_demo", "--tasks", "10")
    run("seed_demo", "--tasks", "5", "--reset", "--users", "2")
    assert Task.objects.count() == 10
    assert set(User.objects.values_list("username", flat=True)) == {"demo", "demo2"}


def test_seed_demo_if_empty_says_it_left_an_existing_site_alone(user):
    output = run("seed_demo", "--if-empty")

    assert output.startswith("Skipped: the database already has 1 user,")
    assert not User.objects.filter(username="demo").exists()


def test_purge_trash_command(user):
    inbox = services.ensure_inbox(user)
    now = timezone.now()
    TaskFactory(project=inbox, deleted_at=now - timedelta(days=40))
    TaskFactory(project=inbox, deleted_at=now - timedelta(days=10))

    assert "Would delete 1 task" in run("purge_trash", "--dry-run")
    assert Task.objects.count() == 2
    assert "Deleted 1 task trashed over 30 days ago." in run("purge_trash")
    assert "Deleted 1 task trashed over 7 days ago." in run("purge_trash", "--days", "7")
    assert Task.objects.count() == 0


def test_prune_records_deletes_only_what_outlived_its_use(user):
    from todos.models import Tombstone
    from transfer.models import PendingImport
    from webhooks.models import Delivery, Webhook

    now = timezone.now()
    hook = Webhook.objects.create(owner=user, url="https://hooks.example.com/", events=["*"])
    for age, state in [(2, "preview"), (0, "preview"), (8, "done"), (3, "failed")]:
        made = PendingImport.objects.create(
            owner=user, format="markdown", text="- [ ] a", state=state
        )
        PendingImport.objects.filter(pk=made.pk).update(created_at=now - timedelta(days=age))
    for age in (100, 10):
        Tombstone.objects.create(
            user=user, kind="tag", object_id=age, deleted_at=now - timedelta(days=age)
        )
    for n, (age, status) in enumerate([(40, "succeeded"), (40, "pending"), (5, "failed")]):
        made = Delivery.objects.create(
            webhook=hook, message_id=f"msg_{n}", event="task.created", body="{}", status=status
        )
        Delivery.objects.filter(pk=made.pk).update(created_at=now - timedelta(days=age))

    assert "Would delete 1 import previews, 1 finished imports, 1 tombstones, 1 webhook" in run(
        "prune_records", "--dry-run"
    )
    assert PendingImport.objects.count() == 4
    run("prune_records")

    assert sorted(PendingImport.objects.values_list("state", flat=True)) == ["failed", "preview"]
    assert list(Tombstone.objects.values_list("object_id", flat=True)) == [10]
    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["failed", "pending"]


def test_purge_trash_refuses_negative_days():
    with pytest.raises(CommandError):
        run("purge_trash", "--days", "-1")


@pytest.fixture
def many_tasks(user):
    run("seed_demo", "--tasks", "600", "--users", "2")
    return Task.objects.filter(owner__username="demo")


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "rent"}, {"completed": "yes"}, {"trash": "no"}, {"priority__exact": "1"}],
)
def test_task_changelist_runs_a_bounded_number_of_queries(
    admin_client, many_tasks, params, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:todos_task_changelist"), params)

    assert response.status_code == 200


def test_project_admin_shows_task_counts_in_bounded_queries(
    admin_client, many_tasks, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:todos_project_changelist"))

    assert response.status_code == 200
    assert "column-task_count" in response.content.decode()


def test_project_change_page_inlines_at_most_fifty_open_tasks(admin_client, user):
    project = services.ensure_inbox(user)
    TaskFactory.create_batch(60, project=project)

    response = admin_client.get(reverse("admin:todos_project_change", args=[project.pk]))

    assert response.status_code == 200
    assert response.content.decode().count('class="form-row has_original') == 50


def test_admin_actions_complete_reopen_and_restore(admin_client, user):
    inbox = services.ensure_inbox(user)
    task = TaskFactory(project=inbox, deleted_at=timezone.now())
    url = reverse("admin:todos_task_changelist")

    for action in ["mark_complete", "restore_from_trash"]:
        admin_client.post(url, {"action": action, "_selected_action": [task.pk]})

    task.refresh_from_db()
    assert task.is_completed
    assert not task.is_deleted
    admin_client.post(url, {"action": "reopen", "_selected_action": [task.pk]})
    task.refresh_from_db()
    assert not task.is_completed


def test_admin_task_owner_follows_the_project(admin_client, user, other_user):
    other_project = services.ensure_inbox(other_user)
    task = TaskFactory(project=services.ensure_inbox(user))

    admin_client.post(
        reverse("admin:todos_task_change", args=[task.pk]),
        {"title": "Moved", "project": other_project.pk, "priority": 4, "notes": ""},
    )

    task.refresh_from_db()
    assert (task.project, task.owner) == (other_project, other_user)
