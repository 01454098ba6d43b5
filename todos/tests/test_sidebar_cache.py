"""The sidebar is cached per person and refreshed by their own changes at once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from todos import services
from todos.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def home_count(client) -> str:
    html = client.get(reverse("todos:today")).content.decode()
    return re.search(r"Home</span>\s*<span[^>]*>(\d+)", html).group(1)


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

    client_logged_in.post(reverse("todos:quick_add"), {"text": "Two #Home"})

    assert home_count(client_logged_in) == "2"
    user.refresh_from_db()
    assert user.data_version == 1


def test_a_refused_post_leaves_the_data_version_alone(client_logged_in, user):
    client_logged_in.post(reverse("todos:quick_add"), {"text": "Two #Nowhere"})

    user.refresh_from_db()
    assert user.data_version == 0


def test_a_change_made_through_another_process_shows_once_its_version_moves(
    client_logged_in, user
):
    home = ProjectFactory(owner=user, name="Home")
    services.create_task(owner=user, project=home, title="One")
    first = home_count(client_logged_in)
    services.create_task(owner=user, project=home, title="Two")
    cached = home_count(client_logged_in)

    # What another app server's middleware does after the POST it handled.
    User.objects.filter(pk=user.pk).update(data_version=user.data_version + 1)

    assert (first, cached, home_count(client_logged_in)) == ("1", "1", "2")


def test_the_cached_sidebar_marks_the_page_you_are_on(client_logged_in, user):
    home = ProjectFactory(owner=user, name="Home")
    pages = [reverse("todos:today"), reverse("todos:inbox"), home.get_absolute_url()]

    for _ in range(2):  # the second round is served from the cache
        for url in pages:
            html = client_logged_in.get(url).content.decode()
            current = re.findall(r'active" aria-current="page" href="([^"]+)"', html)
            assert current == [url]
