"""Hostile input through every text field: never a 500, and what is stored is shown escaped."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.forms import DeleteAccountForm, SettingsForm, SignInForm, SignUpForm
from accounts.models import User
from tests.hostile import corpus
from todos import services
from todos.forms import (
    BulkForm,
    MoveForm,
    ProjectForm,
    QuickAddForm,
    SearchForm,
    TagForm,
    TaskForm,
)
from todos.models import Project, Task
from todos.selectors import Sidebar

pytestmark = pytest.mark.django_db

CORPUS = corpus()


def test_the_corpus_is_large_and_varied():
    assert len(CORPUS) >= 500
    assert any("\x00" in s for s in CORPUS)
    assert any(len(s) > 10_000 for s in CORPUS)


def assert_shown_escaped(html: str, text: str) -> None:
    if "<" in text:
        assert text not in html, f"raw markup came back: {text[:60]!r}"


def test_hostile_strings_through_every_signed_in_form(client_logged_in, user):
    inbox = services.ensure_inbox(user)
    task = services.create_task(owner=user, project=inbox, title="Target")
    failures = []
    for text in CORPUS:
        responses = [
            client_logged_in.post(reverse("todos:quick_add"), {"text": text}),
            client_logged_in.post(
                reverse("todos:task_update", args=[task.pk]),
                {
                    "title": text,
                    "notes": text,
                    "project": inbox.pk,
                    "priority": 4,
                    "version": Task.objects.get(pk=task.pk).version,
                    "due_date": text[:20],
                },
            ),
            client_logged_in.post(
                reverse("todos:project_create"), {"name": text, "colour": text[:10]}
            ),
            client_logged_in.post(
                reverse("accounts:settings"),
                {"display_name": text, "email": text, "timezone": text, "week_start": text[:5]},
            ),
            client_logged_in.get(
                reverse("todos:search"), {"q": text[:2000], "priority": text[:3]}
            ),
        ]
        failures += [(r.status_code, text[:40]) for r in responses if r.status_code >= 500]

    assert failures == []
    task.refresh_from_db()
    detail = client_logged_in.get(task.get_absolute_url()).content.decode()
    assert_shown_escaped(detail, task.title)
    assert_shown_escaped(detail, task.notes)
    project_list = client_logged_in.get(reverse("todos:project_list")).content.decode()
    for project in Project.objects.for_user(user):
        assert_shown_escaped(project_list, project.name)
    inbox_page = client_logged_in.get(reverse("todos:inbox")).content.decode()
    for stored in Task.objects.for_user(user).filter(project=inbox).in_manual_order()[:50]:
        assert_shown_escaped(inbox_page, stored.title)


def test_hostile_strings_through_the_preview_tags_pages_and_hidden_fields(client_logged_in, user):
    inbox = services.ensure_inbox(user)
    task = services.create_task(owner=user, project=inbox, title="Target")
    tag = services.tags_named(user, ["target"])[0]
    lists = [reverse(name) for name in ("todos:today", "todos:upcoming", "todos:inbox")]
    failures = []
    for text in CORPUS[::8]:
        short = text[:60]
        responses = [
            client_logged_in.get(reverse("todos:quick_add_preview"), {"text": text}),
            client_logged_in.get(
                reverse("todos:quick_add_preview"),
                {"text": "x", "view": short, "day": short, "project": short, "tag": short},
            ),
            client_logged_in.post(
                reverse("todos:quick_add"),
                {"text": "Call mum", "view": "upcoming", "day": short, "key": short},
            ),
            client_logged_in.post(
                reverse("todos:tag_update", args=[tag.pk]),
                {"name": text, "colour": short, "merge": short},
            ),
            client_logged_in.post(
                reverse("todos:task_new_project", args=[task.pk]), {"name": text}
            ),
            client_logged_in.post(
                reverse("todos:task_toggle", args=[task.pk]), {"completed": short}
            ),
            client_logged_in.post(
                reverse("todos:task_bulk"), {"tasks": [short, task.pk], "action": short}
            ),
            client_logged_in.get(reverse("todos:task_create"), {"project": short}),
            *(
                client_logged_in.get(url, {"page": short, "overdue": short, "add": short})
                for url in lists
            ),
        ]
        failures += [
            (r.status_code, r.request["PATH_INFO"], short)
            for r in responses
            if r.status_code >= 500
        ]

    assert failures == []
    tags_page = client_logged_in.get(reverse("todos:tag_list")).content.decode()
    for stored in user.tags.all():
        assert_shown_escaped(tags_page, stored.name)


def test_hostile_strings_through_the_public_forms():
    client = Client()
    failures = []
    for text in CORPUS:
        responses = [
            client.post(
                reverse("accounts:signup"),
                {"username": text, "email": text, "password1": text, "password2": text},
            ),
            client.post(reverse("login"), {"username": text, "password": text}),
            client.post(reverse("password_reset"), {"email": text}),
        ]
        failures += [(r.status_code, text[:40]) for r in responses if r.status_code >= 500]
        # The forms come back with what was typed, which must be escaped.
        for response in responses[:2]:
            assert_shown_escaped(response.content.decode(), text)

    assert failures == []
    assert not User.objects.exists()


def test_stored_markup_is_escaped_in_lists(client_logged_in, user):
    services.create_task(
        owner=user, project=services.ensure_inbox(user), title='<img src=x onerror="alert(1)">'
    )

    html = client_logged_in.get(reverse("todos:inbox")).content.decode()

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_forms_accept_no_owner_version_or_deletion_fields(client_logged_in, user, other_user):
    inbox = services.ensure_inbox(user)
    task = services.create_task(owner=user, project=inbox, title="Mine")

    client_logged_in.post(
        reverse("todos:task_update", args=[task.pk]),
        {
            "title": "Edited",
            "project": inbox.pk,
            "priority": 4,
            "version": task.version,
            "owner": other_user.pk,
            "deleted_at": "2026-01-01",
            "completed_at": "2026-01-01",
            "position": 999,
            "is_inbox": "on",
        },
    )
    client_logged_in.post(
        reverse("todos:project_create"),
        {"name": "Sneaky", "colour": "red", "owner": other_user.pk, "is_inbox": "on"},
    )

    task.refresh_from_db()
    assert (task.title, task.owner, task.deleted_at, task.completed_at) == (
        "Edited",
        user,
        None,
        None,
    )
    assert task.version == 2
    sneaky = Project.objects.get(name="Sneaky")
    assert (sneaky.owner, sneaky.is_inbox) == (user, False)
    assert set(TaskForm._meta.fields) & {"owner", "version", "deleted_at", "completed_at"} == set()
    assert set(SettingsForm._meta.fields) & {"is_staff", "is_superuser", "password"} == set()


FORM_DATA = st.dictionaries(
    st.sampled_from(
        [
            "text",
            "title",
            "notes",
            "project",
            "due_date",
            "due_time",
            "priority",
            "tags",
            "version",
            "name",
            "colour",
            "email",
            "timezone",
            "week_start",
            "display_name",
            "q",
            "status",
            "due",
            "tag",
            "tasks",
            "action",
            "username",
            "password",
            "password1",
            "password2",
        ]
    ),
    st.text(max_size=300),
)


def search_choices(user) -> dict:
    side = Sidebar(user)
    return {"projects": side.projects, "tags": side.tags}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=FORM_DATA)
def test_every_form_validates_any_input_without_an_exception(user, data):
    forms = [
        QuickAddForm(data),
        TaskForm(data, user=user),
        ProjectForm(data, user=user),
        TagForm(data),
        MoveForm(data, user=user),
        BulkForm(data, user=user),
        SearchForm(data, user=user, **search_choices(user)),
        SettingsForm(data, instance=user),
        SignUpForm(data),
        # Sign-in checks the lockout, which needs the request it comes from.
        SignInForm(RequestFactory().post(reverse("login")), data),
        DeleteAccountForm(user, data, request=RequestFactory().post(reverse("accounts:delete"))),
    ]

    for form in forms:
        assert form.is_valid() in (True, False)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=600), notes=st.text(max_size=200), due=st.text(max_size=12))
def test_generated_input_through_quick_add_and_edit_never_fails(
    client_logged_in, user, text, notes, due
):
    inbox = services.ensure_inbox(user)
    task = services.create_task(owner=user, project=inbox, title="Target")

    added = client_logged_in.post(reverse("todos:quick_add"), {"text": text})
    edited = client_logged_in.post(
        reverse("todos:task_update", args=[task.pk]),
        {
            "title": text,
            "notes": notes,
            "project": inbox.pk,
            "priority": 4,
            "version": task.version,
            "due_date": due,
        },
    )

    # A refused form answers 422 with its errors; nothing may answer 5xx.
    assert added.status_code < 500
    assert edited.status_code < 500
