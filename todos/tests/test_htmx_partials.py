"""Every htmx answer is a named partial: no page shell, the sidebar only out of band."""

import re

import pytest
from django.urls import reverse

from todos import services
from todos.models import UndoRecord
from todos.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def htmx_post(client, url, data=None, page="/inbox/"):
    return client.post(
        url,
        data or {},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{page}",
    )


def assert_a_partial(response):
    """Check the answer carries no page shell, and the sidebar only as an out-of-band swap."""
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "<head>" not in html
    assert 'class="topbar"' not in html
    assert '<aside id="sidebar"' not in html
    assert 'class="site-footer"' not in html
    sidebar = re.findall(r'<div id="sidebar-lists"[^>]*>', html)
    assert sidebar in ([], ['<div id="sidebar-lists" data-hx-swap-oob="true">'])
    return html


@pytest.fixture
def tasks(user):
    inbox = services.ensure_inbox(user)
    return [TaskFactory(project=inbox, title=f"Task {n}") for n in range(3)]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("todos:task_toggle", {"completed": "1"}),
        ("todos:task_delete", {}),
        ("todos:task_move_up", {}),
        ("todos:task_move_down", {}),
    ],
)
def test_a_row_action_answers_with_a_partial(client_logged_in, tasks, name, data):
    html = assert_a_partial(htmx_post(client_logged_in, reverse(name, args=[tasks[1].pk]), data))

    assert 'id="messages"' in html


def test_bulk_undo_and_restore_answer_with_the_page_s_content_partial(client_logged_in, tasks):
    bulk = htmx_post(
        client_logged_in,
        reverse("todos:task_bulk"),
        {"action": "delete", "tasks": [tasks[0].pk, tasks[1].pk]},
    )
    html = assert_a_partial(bulk)
    # The content partial: the list, without the shell around #content.
    assert "Task 2" in html
    assert "Task 0" not in html

    undo = htmx_post(client_logged_in, reverse("todos:undo", args=[UndoRecord.objects.get().pk]))
    assert "Task 0" in assert_a_partial(undo)

    htmx_post(client_logged_in, reverse("todos:task_delete", args=[tasks[2].pk]))
    restore = htmx_post(
        client_logged_in, reverse("todos:task_restore", args=[tasks[2].pk]), page="/trash/"
    )
    assert_a_partial(restore)


def test_quick_add_and_its_preview_answer_with_partials(client_logged_in, tasks):
    added = htmx_post(client_logged_in, reverse("todos:quick_add"), {"text": "Pay rent p1"})
    assert 'id="quick-add-box"' in assert_a_partial(added)

    preview = client_logged_in.get(
        reverse("todos:quick_add_preview"), {"text": "Pay rent p1"}, HTTP_HX_REQUEST="true"
    )
    html = assert_a_partial(preview)
    assert "priority 1" in html
    assert 'id="sidebar-lists"' not in html
