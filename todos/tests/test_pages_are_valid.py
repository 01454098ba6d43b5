import pytest
from django.urls import reverse
from django.utils import timezone

from tests.html import html_errors
from todos import myday, services
from todos.tests.factories import ProjectFactory, TagFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_todo_pages_are_valid_html(client_logged_in, user, java):
    inbox = services.ensure_inbox(user)
    project = ProjectFactory(owner=user, name="Home")
    tag = TagFactory(owner=user, name="bills")
    today = timezone.localdate()
    task = TaskFactory(
        project=project,
        title="Pay <rent>",
        notes="https://example.com",
        due_date=today,
        tags=[tag],
    )
    TaskFactory(project=project, parent=task, title="Sub")
    TaskFactory(
        project=inbox, title="Late", due_date=today - timezone.timedelta(days=2), priority=1
    )
    TaskFactory(project=inbox, title="Done", completed_at=timezone.now())
    gone = TaskFactory(project=inbox, title="Gone", deleted_at=timezone.now())
    myday.add(user, task, day=today)
    pages = {
        "my day": reverse("todos:my_day"),
        "today": reverse("todos:today"),
        "upcoming": reverse("todos:upcoming"),
        "inbox": reverse("todos:inbox"),
        "completed": reverse("todos:completed"),
        "trash": reverse("todos:trash"),
        "search": reverse("todos:search") + "?q=pay&priority=4",
        "search empty": reverse("todos:search"),
        "projects": reverse("todos:project_list"),
        "new project": reverse("todos:project_create"),
        "project": project.get_absolute_url(),
        "edit project": reverse("todos:project_update", args=[project.pk]),
        "delete project": reverse("todos:project_delete", args=[project.pk]),
        "tag": tag.get_absolute_url(),
        "task": task.get_absolute_url(),
        "edit task": reverse("todos:task_update", args=[task.pk]),
        "new task": reverse("todos:task_create"),
        "delete forever": reverse("todos:task_purge", args=[gone.pk]),
        "tags": reverse("todos:tag_list"),
        "edit tag": reverse("todos:tag_update", args=[tag.pk]),
        "delete tag": reverse("todos:tag_delete", args=[tag.pk]),
        "upcoming, adding on a day": reverse("todos:upcoming") + f"?add={today:%Y-%m-%d}",
        "preview page": reverse("todos:quick_add_preview") + "?text=Pay+rent+tomorrow+p1",
    }
    documents = {name: client_logged_in.get(url).content.decode() for name, url in pages.items()}
    documents["quick add error"] = client_logged_in.post(
        reverse("todos:quick_add"), {"text": "p1"}
    ).content.decode()
    documents["quick add with a notice"] = client_logged_in.post(
        reverse("todos:quick_add"), {"text": "Review PR #123"}, follow=True
    ).content.decode()
    documents["tag merge offered"] = client_logged_in.post(
        reverse("todos:tag_update", args=[TagFactory(owner=user, name="other").pk]),
        {"name": "bills", "colour": "grey"},
    ).content.decode()
    documents["task form errors"] = client_logged_in.post(
        reverse("todos:task_create"), {"title": "", "project": inbox.pk, "priority": 9}
    ).content.decode()
    deleted = client_logged_in.post(reverse("todos:task_delete", args=[task.pk]), follow=True)
    documents["undo message"] = deleted.content.decode()

    assert html_errors(java, documents) == []
