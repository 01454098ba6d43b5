"""The sidebar and menu are cached per person and renewed wherever their data changes."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.html import element
from todos import services
from todos.models import Project, Tag, Task
from todos.tests.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db


def home_count(client) -> str:
    html = client.get(reverse("todos:today")).content.decode()
    return re.search(r"Home</span>\s*<span[^>]*>(\d+)", html).group(1)


def sidebar_names(client) -> list[str]:
    html = client.get(reverse("todos:today")).content.decode()
    projects = element(html, "details", "sidebar-projects")
    return re.findall(r'<span class="side-name">([^<]+)</span>', projects)[:-2]


def data_version(user) -> int:
    user.refresh_from_db()
    return user.data_version


def test_a_cached_sidebar_saves_its_queries(client_logged_in, user):
    ProjectFactory(owner=user, name="Home")
    client_logged_in.get(reverse("todos:today"))

    with CaptureQueriesContext(connection) as warm:
        client_logged_in.get(reverse("todos:inbox"))

    assert not any("COUNT(" in q["sql"] and "todos_project" in q["sql"] for q in warm)


def test_a_change_the_person_posts_shows_in_the_sidebar_at_once(client_logged_in, user):
    home = ProjectFactory(owner=user, name="Home")
    services.create_task(owner=user, project=home, title="One")
    assert home_count(client_logged_in) == "1"
    before = data_version(user)

    client_logged_in.post(reverse("todos:quick_add"), {"text": "Two #Home"})

    assert home_count(client_logged_in) == "2"
    assert data_version(user) > before


def test_a_refused_post_leaves_the_data_version_alone(client_logged_in, user):
    before = data_version(user)

    client_logged_in.post(reverse("todos:quick_add"), {"text": "p1 tomorrow"})

    assert data_version(user) == before


def test_a_write_to_the_database_outside_any_request_shows_on_the_next_page(
    client_logged_in, user
):
    home = ProjectFactory(owner=user, name="Home")
    task = TaskFactory(project=home)
    assert home_count(client_logged_in) == "1"

    # What the shell, a command or another server does: no request of the owner's involved.
    Task.objects.create(owner=user, project=home, title="From the shell", position=9)
    assert home_count(client_logged_in) == "2"
    Task.objects.filter(pk=task.pk).update(completed_at="2026-12-01T10:00:00Z")
    assert home_count(client_logged_in) == "1"
    Project.objects.filter(pk=home.pk).update(name="House")
    assert sidebar_names(client_logged_in) == ["House"]
    Tag.objects.create(owner=user, name="errands")
    assert "errands" in client_logged_in.get(reverse("todos:today")).content.decode()


def test_an_edit_in_the_admin_shows_on_the_owners_next_page(client_logged_in, admin_client, user):
    home = ProjectFactory(owner=user, name="Home")
    assert sidebar_names(client_logged_in) == ["Home"]

    response = admin_client.post(
        reverse("admin:todos_project_change", args=[home.pk]),
        {
            "name": "House",
            "owner": user.pk,
            "colour": "grey",
            "position": 0,
            "seen_version": home.version,
            "tasks-TOTAL_FORMS": 0,
            "tasks-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    assert sidebar_names(client_logged_in) == ["House"]


def test_a_management_command_that_writes_renews_the_caches(client_logged_in, user):
    home = ProjectFactory(owner=user, name="Home")
    TaskFactory(project=home, deleted_at="2020-01-01T00:00:00Z")
    TaskFactory(project=home)
    assert home_count(client_logged_in) == "1"
    before = data_version(user)

    call_command("purge_trash", "--days", "30", stdout=io.StringIO())

    assert data_version(user) > before


def test_the_cached_sidebar_marks_the_page_you_are_on(client_logged_in, user):
    home = ProjectFactory(owner=user, name="Home")
    pages = [reverse("todos:today"), reverse("todos:inbox"), home.get_absolute_url()]

    for _ in range(2):  # the second round is served from the cache
        for url in pages:
            html = client_logged_in.get(url).content.decode()
            current = re.findall(r'is-current" aria-current="page" href="([^"]+)"', html)
            assert current == [url]
