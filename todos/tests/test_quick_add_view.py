from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from todos import services
from todos.models import Tag, Task
from todos.tests.factories import ProjectFactory, TagFactory

pytestmark = pytest.mark.django_db

QUICK_ADD = reverse("todos:quick_add")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/inbox/"}


def test_quick_add_creates_the_task_the_line_describes(client_logged_in, user):
    home = ProjectFactory(owner=user, name="Home")
    TagFactory(owner=user, name="Bills")

    response = client_logged_in.post(
        QUICK_ADD, {"text": "Pay rent tomorrow 9am p1 #home @bills @new", "next": "/today/"}
    )

    assert response.url == "/today/"
    task = Task.objects.get()
    assert (task.title, task.project, task.priority) == ("Pay rent", home, 1)
    assert task.due_date == timezone.localdate() + timedelta(days=1)
    assert task.due_time.hour == 9
    assert sorted(t.name for t in task.tags.all()) == ["Bills", "new"]
    assert Tag.objects.filter(owner=user).count() == 2


def test_quick_add_without_a_project_lands_in_the_inbox(client_logged_in, user):
    client_logged_in.post(QUICK_ADD, {"text": "Read a book"})

    assert Task.objects.get().project == services.ensure_inbox(user)


def test_quick_add_on_a_project_page_adds_to_that_project(client_logged_in, user):
    garden = ProjectFactory(owner=user, name="Garden")

    client_logged_in.post(QUICK_ADD, {"text": "Water roses", "project": garden.pk})

    assert Task.objects.get().project == garden


def test_dates_are_read_in_the_users_time_zone(client_logged_in, user):
    user.timezone = "Pacific/Kiritimati"
    user.save(update_fields=["timezone"])

    client_logged_in.post(QUICK_ADD, {"text": "Wake up today"})

    kiribati_today = timezone.now().astimezone(timezone.get_fixed_timezone(14 * 60)).date()
    assert Task.objects.get().due_date == kiribati_today


def test_an_unknown_project_is_named_nothing_is_created_and_the_text_kept(client_logged_in):
    response = client_logged_in.post(QUICK_ADD, {"text": "Plan trip #Lisbon", "next": "/inbox/"})

    assert response.status_code == 422
    html = response.content.decode()
    assert "No project called “Lisbon”" in html
    assert 'value="Plan trip #Lisbon"' in html
    assert not Task.objects.exists()
    assert not Tag.objects.exists()


def test_quick_add_under_htmx_returns_a_fresh_form_and_the_new_row(client_logged_in, user):
    inbox = services.ensure_inbox(user)

    response = client_logged_in.post(
        QUICK_ADD, {"text": "Buy milk @shop", "project": inbox.pk}, **HTMX
    )

    html = response.content.decode()
    task = Task.objects.get()
    assert response.status_code == 200
    assert html.startswith('<div id="quick-add-box"')
    assert 'value=""' in html
    assert "autofocus" in html
    assert 'data-hx-swap-oob="beforeend:#task-list"' in html
    assert f'id="task-{task.pk}"' in html
    assert 'name="next" value="/inbox/"' in html


def test_quick_add_errors_under_htmx_keep_the_text_in_the_form(client_logged_in):
    response = client_logged_in.post(QUICK_ADD, {"text": "p1 tomorrow"}, **HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert "A task needs a title" in html
    assert 'value="p1 tomorrow"' in html
    assert "is-invalid" in html


def test_sub_tasks_are_added_from_the_task_page(client_logged_in, user):
    parent = services.create_task(
        owner=user, project=services.ensure_inbox(user), title="Move house"
    )

    client_logged_in.post(QUICK_ADD, {"text": "Pack books", "parent": parent.pk})

    child = Task.objects.get(title="Pack books")
    assert child.parent == parent
    assert "Pack books" in client_logged_in.get(parent.get_absolute_url()).content.decode()


def test_an_empty_line_is_refused(client_logged_in):
    response = client_logged_in.post(QUICK_ADD, {"text": ""})

    assert response.status_code == 422
    assert not Task.objects.exists()
