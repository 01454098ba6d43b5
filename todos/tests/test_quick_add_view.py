import re
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


def test_an_unknown_project_never_blocks_the_task_and_is_offered(client_logged_in, user):
    response = client_logged_in.post(
        QUICK_ADD, {"text": "Review PR #123", "next": "/inbox/"}, follow=True
    )

    task = Task.objects.get()
    assert task.title == "Review PR #123"
    assert task.project == services.ensure_inbox(user)
    html = response.content.decode()
    assert "#123 is not one of your projects; kept in the title." in html
    offer = reverse("todos:task_new_project", args=[task.pk])
    assert f'action="{offer}"' in html
    assert "Create project “123” and move the task there" in html


def test_the_offered_project_is_created_and_the_task_filed_in_it(client_logged_in, user):
    client_logged_in.post(QUICK_ADD, {"text": "Buy paint #Garden @shop"})
    task = Task.objects.get()

    response = client_logged_in.post(
        reverse("todos:task_new_project", args=[task.pk]), {"name": "Garden"}
    )

    task.refresh_from_db()
    assert (task.project.name, task.title) == ("Garden", "Buy paint")
    assert response.url == task.project.get_absolute_url()


def test_the_offer_under_htmx_is_a_button_beside_the_fresh_form(client_logged_in, user):
    response = client_logged_in.post(QUICK_ADD, {"text": "Plan trip #Lisbon"}, **HTMX)

    html = response.content.decode()
    task = Task.objects.get()
    assert "#Lisbon is not one of your projects; kept in the title." in html
    assert f'action="{reverse("todos:task_new_project", args=[task.pk])}"' in html
    assert 'name="name" value="Lisbon"' in html


def test_a_line_with_no_title_is_refused_and_the_text_kept(client_logged_in):
    response = client_logged_in.post(QUICK_ADD, {"text": "tomorrow p1 @home", "next": "/inbox/"})

    assert response.status_code == 422
    html = response.content.decode()
    assert "A task needs a title" in html
    assert 'value="tomorrow p1 @home"' in html
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


def test_one_line_may_create_at_most_ten_new_tags(client_logged_in, user):
    TagFactory(owner=user, name="known")
    eleven = " ".join(f"@new{n}" for n in range(11))

    refused = client_logged_in.post(QUICK_ADD, {"text": f"Sort photos @known {eleven}"})
    added = client_logged_in.post(QUICK_ADD, {"text": f"Sort photos @known {eleven[:-7]}"})

    assert refused.status_code == 422
    assert "One line can create up to 10 new tags; this one names 11." in refused.content.decode()
    assert added.status_code == 302
    assert Tag.objects.filter(owner=user).count() == 11
    assert Task.objects.count() == 1


def test_a_line_sent_twice_with_its_form_adds_one_task(client_logged_in):
    form = client_logged_in.get(reverse("todos:inbox")).content.decode()
    key = re.search(r'<input type="hidden" name="key" value="([0-9a-f]{32})">', form).group(1)

    first = client_logged_in.post(QUICK_ADD, {"text": "Pay rent tomorrow", "key": key})
    second = client_logged_in.post(QUICK_ADD, {"text": "Pay rent tomorrow", "key": key}, **HTMX)

    assert (first.status_code, second.status_code) == (302, 200)
    assert Task.objects.count() == 1
    # The form that comes back has a new key, so the next line is a new task.
    assert key not in second.content.decode()


def test_every_page_renders_a_fresh_submission_key(client_logged_in):
    keys = {
        re.search(r'name="key" value="([0-9a-f]+)"', client_logged_in.get(url).content.decode())[1]
        for url in [reverse("todos:inbox"), reverse("todos:inbox"), reverse("todos:today")]
    }

    assert len(keys) == 3


def test_the_full_form_sent_twice_adds_one_task(client_logged_in, user):
    inbox = services.ensure_inbox(user)
    form = client_logged_in.get(reverse("todos:task_create")).content.decode()
    key = re.search(r'name="key" value="([0-9a-f]{32})"', form).group(1)
    data = {"title": "Renew passport", "project": inbox.pk, "priority": 4, "key": key}

    client_logged_in.post(reverse("todos:task_create"), data)
    client_logged_in.post(reverse("todos:task_create"), data)

    assert Task.objects.filter(title="Renew passport").count() == 1


PREVIEW = reverse("todos:quick_add_preview")


def preview(client, **params) -> str:
    return client.get(PREVIEW, params, HTTP_HX_REQUEST="true").content.decode()


def test_the_preview_shows_what_the_line_will_set(client_logged_in, user):
    ProjectFactory(owner=user, name="Home")
    TagFactory(owner=user, name="bills")

    html = preview(client_logged_in, text="Pay rent tomorrow 9am p1 #Home @bills @new")

    assert "“Pay rent”" in html
    assert "Tomorrow at 09:00" in html
    assert "priority 1" in html
    assert "Home" in html
    assert "bills" in html
    assert "new (new tag)" in html
    assert "bills (new tag)" not in html
    assert "“tomorrow”" in html
    assert 'Put words in "double quotes" to keep them in the title.' in html
    assert "<html" not in html


def test_the_preview_says_the_repeat_in_plain_words_and_my_day(client_logged_in):
    html = preview(client_logged_in, text="Stand-up every 2 weeks on tuesday !myday")

    assert "“Stand-up”" in html
    assert "Every other Tuesday" in html
    assert "My Day" in html


def test_the_preview_says_what_it_kept_and_what_blocks(client_logged_in):
    kept = preview(client_logged_in, text="Review PR #123")
    blocked = preview(client_logged_in, text="tomorrow p1")
    unread = preview(client_logged_in, text="Howl every blue moon")

    assert "#123 is not one of your projects; kept in the title." in kept
    assert "“every blue moon” is not a repeat Ticklist can read; kept in the title." in unread
    assert "“Howl every blue moon”" in unread
    assert "“Review PR #123”" in kept
    assert "A task needs a title" in blocked


def test_the_preview_uses_the_pages_project_and_day(client_logged_in, user):
    garden = ProjectFactory(owner=user, name="Garden")

    on_project = preview(client_logged_in, text="Water roses", project=garden.pk)
    on_today = preview(client_logged_in, text="Water roses", view="today")

    assert "Garden" in on_project
    assert "no date" in on_project
    assert "Today" in on_today


def test_the_preview_of_nothing_is_empty_and_of_a_strangers_project_is_404(
    client_logged_in, other_user
):
    theirs = ProjectFactory(owner=other_user)

    assert preview(client_logged_in, text="   ").strip() == ""
    assert client_logged_in.get(PREVIEW, {"text": "x", "project": theirs.pk}).status_code == 404


def test_the_preview_without_htmx_is_a_page(client_logged_in):
    response = client_logged_in.get(PREVIEW, {"text": "Pay rent tomorrow"})

    assert response.status_code == 200
    assert "<h1" in response.content.decode()


def test_the_quick_add_box_asks_for_a_preview_as_it_is_typed(client_logged_in):
    html = client_logged_in.get(reverse("todos:inbox")).content.decode()

    assert f'data-hx-get="{PREVIEW}"' in html
    assert 'data-hx-trigger="input changed delay:250ms"' in html
    # Only the line and the page's own fields go in the address, never the CSRF token.
    assert 'data-hx-params="text,project,parent,tag,view,day"' in html
