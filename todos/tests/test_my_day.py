"""My Day: today's plan, added to from anywhere, empty again at the person's next midnight."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.html import element
from todos import myday, services
from todos.changes import clear_caches
from todos.models import MyDayEntry, Task
from todos.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

MY_DAY = reverse("todos:my_day")


@pytest.fixture
def task(user):
    return TaskFactory(project=services.ensure_inbox(user), title="Water the plants")


def plan(user) -> set[int]:
    return set(myday.planned_ids(user, timezone.localdate()))


def data_version(user) -> int:
    user.refresh_from_db(fields=["data_version"])
    return user.data_version


def set_my_day(client, task, state, **extra):
    return client.post(reverse("todos:task_my_day", args=[task.pk]), {"state": state}, **extra)


def htmx(page):
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": f"http://testserver{page}"}


def my_day_count(client) -> str | None:
    html = client.get(reverse("todos:today")).content.decode()
    found = re.search(r"My Day</span><span class=\"side-count\">(\d+)", html)
    return found.group(1) if found else None


def test_adding_from_a_row_without_javascript_redirects_back(client_logged_in, user, task):
    response = client_logged_in.post(
        reverse("todos:task_my_day", args=[task.pk]), {"state": "on", "next": "/today/"}
    )

    assert response.status_code == 302
    assert response.url == "/today/"
    assert plan(user) == {task.pk}
    page = client_logged_in.get(MY_DAY).content.decode()
    assert "Water the plants" in element(page, "ul", "task-list")


def test_adding_from_a_list_under_htmx_swaps_the_row_marked_as_planned(
    client_logged_in, user, task
):
    response = set_my_day(client_logged_in, task, "on", **htmx("/inbox/"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith(f'<li id="task-{task.pk}"')
    assert "Remove from My Day" in html
    assert 'class="meta-item is-planned"' in html
    assert '<div id="sidebar-lists" data-hx-swap-oob="true">' in html
    assert plan(user) == {task.pk}


def test_a_planned_row_says_so_on_every_list_once_added(client_logged_in, task):
    before = client_logged_in.get(reverse("todos:inbox")).content.decode()
    assert "Add to My Day" in element(before, "li", f"task-{task.pk}")

    set_my_day(client_logged_in, task, "on")

    # The drawn row is cached by what it shows: being planned is part of that.
    after = element(
        client_logged_in.get(reverse("todos:inbox")).content.decode(), "li", f"task-{task.pk}"
    )
    assert "Remove from My Day" in after
    assert "Add to My Day" not in after


def test_the_task_page_adds_and_removes(client_logged_in, user, task):
    page = client_logged_in.get(task.get_absolute_url()).content.decode()
    assert 'name="state" value="on"' in page

    response = set_my_day(client_logged_in, task, "on")

    assert response.url == task.get_absolute_url()
    page = client_logged_in.get(task.get_absolute_url()).content.decode()
    assert "Remove from My Day" in page
    set_my_day(client_logged_in, task, "off")
    assert plan(user) == set()


def test_adding_twice_changes_nothing(client_logged_in, user, task):
    set_my_day(client_logged_in, task, "on")
    version = data_version(user)

    response = set_my_day(client_logged_in, task, "on", follow=True)

    assert MyDayEntry.objects.filter(owner=user).count() == 1
    assert data_version(user) == version
    assert "is already in My Day" in response.content.decode()


def test_removing_takes_it_off_and_removing_again_changes_nothing(client_logged_in, user, task):
    myday.add(user, task, day=timezone.localdate())

    set_my_day(client_logged_in, task, "off")
    version = data_version(user)
    again = set_my_day(client_logged_in, task, "off", follow=True)

    assert plan(user) == set()
    assert data_version(user) == version
    assert "was not in My Day" in again.content.decode()
    assert Task.objects.filter(pk=task.pk).exists()


def test_removing_on_my_day_under_htmx_answers_with_the_page_content(client_logged_in, user, task):
    myday.add(user, task, day=timezone.localdate())

    response = set_my_day(client_logged_in, task, "off", **htmx(MY_DAY))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="my-day-suggestions"' in html
    assert f'id="task-{task.pk}"' not in element(html, "ul", "task-list")


def test_a_strangers_task_is_404_and_nothing_changes(client_logged_in, other_user):
    theirs = TaskFactory(project=services.ensure_inbox(other_user))

    response = set_my_day(client_logged_in, theirs, "on")

    assert response.status_code == 404
    assert not MyDayEntry.objects.exists()


def test_a_task_in_the_trash_cannot_be_planned(client_logged_in, user, task):
    services.trash(task, now=timezone.now())

    assert set_my_day(client_logged_in, task, "on").status_code == 404
    with pytest.raises(Task.DoesNotExist):
        myday.add(user, task, day=timezone.localdate())


def test_get_is_not_allowed_and_visitors_sign_in_first(client, client_logged_in, task):
    url = reverse("todos:task_my_day", args=[task.pk])

    assert client_logged_in.get(url).status_code == 405
    client.logout()
    response = client.post(url, {"state": "on"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_plan_empties_at_the_persons_own_midnight_without_touching_the_tasks(
    client, user, other_user
):
    inbox = services.ensure_inbox(user)
    user.timezone = "Pacific/Auckland"  # UTC+13 in March (daylight saving)
    user.save(update_fields=["timezone"])
    theirs = TaskFactory(project=services.ensure_inbox(other_user), title="UTC task")
    mine = TaskFactory(project=inbox, title="Auckland task")
    evening = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)  # 23:30 in Auckland, 10:30 in UTC
    with freeze_time(evening):
        client.force_login(user)
        set_my_day(client, mine, "on")
        client.force_login(other_user)
        set_my_day(client, theirs, "on")
        client.force_login(user)
        assert "Auckland task" in element(client.get(MY_DAY).content.decode(), "ul", "task-list")
        assert my_day_count(client) == "1"
    mine.refresh_from_db()
    before = (mine.version, mine.updated_at)

    with freeze_time(evening + timedelta(hours=1)):  # 00:30 the next day in Auckland
        client.force_login(user)
        page = client.get(MY_DAY).content.decode()
        assert "Auckland task" not in element(page, "ul", "task-list")
        assert my_day_count(client) is None
        client.force_login(other_user)
        assert "UTC task" in element(client.get(MY_DAY).content.decode(), "ul", "task-list")

    mine.refresh_from_db()
    assert (mine.version, mine.updated_at) == before
    assert mine.completed_at is None


def test_suggestions_offer_overdue_due_today_due_soon_and_recent_tasks(user):
    inbox = services.ensure_inbox(user)
    today = timezone.localdate()
    for n in range(7):
        TaskFactory(project=inbox, title=f"Late {n}", due_date=today - timedelta(days=n + 1))
    TaskFactory(project=inbox, title="Today", due_date=today)
    TaskFactory(project=inbox, title="In two days", due_date=today + timedelta(days=2))
    TaskFactory(project=inbox, title="Next month", due_date=today + timedelta(days=30))
    TaskFactory(project=inbox, title="Just added")
    old = TaskFactory(project=inbox, title="Added last week")
    Task.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=7))
    TaskFactory(project=inbox, title="Done", due_date=today, completed_at=timezone.now())
    planned = TaskFactory(project=inbox, title="Planned", due_date=today)
    myday.add(user, planned, day=today)

    groups = {name: [row.title for row in rows] for name, rows in myday.suggestions(user, today)}

    assert groups == {
        # The most overdue first, five at most.
        "Overdue": ["Late 6", "Late 5", "Late 4", "Late 3", "Late 2"],
        "Due today": ["Today"],
        "Due soon": ["In two days"],
        "Recently added": ["Just added"],
    }


def test_a_suggestion_is_one_click_from_the_plan(client_logged_in, user):
    inbox = services.ensure_inbox(user)
    late = TaskFactory(
        project=inbox, title="Late bill", due_date=timezone.localdate() - timedelta(days=1)
    )
    page = client_logged_in.get(MY_DAY).content.decode()
    suggestions = element(page, "section", "my-day-suggestions")
    assert "Overdue" in suggestions
    assert f'formaction="{reverse("todos:task_my_day", args=[late.pk])}"' in suggestions

    response = client_logged_in.post(
        reverse("todos:task_my_day", args=[late.pk]), {"state": "on", "next": MY_DAY}, follow=True
    )

    html = response.content.decode()
    assert "Late bill" in element(html, "ul", "task-list")
    assert "Late bill" not in element(html, "section", "my-day-suggestions")


def test_an_empty_plan_explains_itself_and_points_at_the_suggestions(client_logged_in, user):
    inbox = services.ensure_inbox(user)
    TaskFactory(project=inbox, title="Just added")

    page = client_logged_in.get(MY_DAY).content.decode()

    assert "My Day is your plan for today" in page
    assert 'href="#my-day-suggestions"' in page


def test_quick_add_on_my_day_puts_the_new_task_on_the_plan(client_logged_in, user):
    response = client_logged_in.post(
        reverse("todos:quick_add"), {"text": "Call mum", "view": "my_day", "next": MY_DAY}
    )

    assert response.url == MY_DAY
    task = Task.objects.get(title="Call mum")
    assert plan(user) == {task.pk}
    assert task.due_date is None


def test_quick_add_on_my_day_under_htmx_adds_the_row_to_the_plan(client_logged_in, user):
    response = client_logged_in.post(
        reverse("todos:quick_add"), {"text": "Call mum", "view": "my_day"}, **htmx(MY_DAY)
    )

    html = response.content.decode()
    assert '<ul data-hx-swap-oob="beforeend:#task-list">' in html
    assert "Remove from My Day" in html
    assert plan(user) == {Task.objects.get(title="Call mum").pk}


def test_quick_add_elsewhere_leaves_my_day_alone(client_logged_in, user):
    client_logged_in.post(reverse("todos:quick_add"), {"text": "Call mum", "view": "today"})

    assert plan(user) == set()


def test_the_sidebar_counts_the_open_planned_tasks_above_today(client_logged_in, user):
    inbox = services.ensure_inbox(user)
    today = timezone.localdate()
    for title, done in [("One", None), ("Two", None), ("Done", timezone.now())]:
        myday.add(user, TaskFactory(project=inbox, title=title, completed_at=done), day=today)

    html = client_logged_in.get(reverse("todos:inbox")).content.decode()

    assert my_day_count(client_logged_in) == "2"
    assert html.index(f'href="{MY_DAY}"') < html.index(f'href="{reverse("todos:today")}"')


def test_completed_planned_tasks_are_collapsed_under_done_today(client_logged_in, user):
    inbox = services.ensure_inbox(user)
    today = timezone.localdate()
    myday.add(user, TaskFactory(project=inbox, title="Open one"), day=today)
    myday.add(
        user, TaskFactory(project=inbox, title="Done one", completed_at=timezone.now()), day=today
    )

    page = client_logged_in.get(MY_DAY).content.decode()

    assert "Open one" in element(page, "ul", "task-list")
    assert "Done one" not in element(page, "ul", "task-list")
    assert "Done today (1)" in page


def test_adding_purges_entries_a_week_old(user):
    inbox = services.ensure_inbox(user)
    today = timezone.localdate()
    task = TaskFactory(project=inbox)
    myday.add(user, task, day=today - timedelta(days=10))
    myday.add(user, task, day=today - timedelta(days=3))

    myday.add(user, task, day=today)

    assert sorted(MyDayEntry.objects.values_list("day", flat=True)) == [
        today - timedelta(days=3),
        today,
    ]


def page_queries(client, url) -> int:
    clear_caches()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["todos:my_day", "todos:today", "todos:inbox"])
def test_query_counts_do_not_grow_with_the_plan(client, user, other_user, name):
    counts = []
    for person, planned in [(user, 3), (other_user, 40)]:
        inbox = services.ensure_inbox(person)
        today = timezone.localdate()
        for n in range(planned):
            task = TaskFactory(project=inbox, due_date=today if n % 2 else None)
            myday.add(person, task, day=today)
            TaskFactory(project=inbox, due_date=today - timedelta(days=1))
        services.set_completed(task, True, now=timezone.now())
        client.force_login(person)
        counts.append(page_queries(client, reverse(name)))

    assert counts[0] == counts[1]
    assert counts[1] <= 11
