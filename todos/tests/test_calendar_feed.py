"""The calendar feed: what it holds, who can open it, and what it costs."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from reminders.models import Reminder
from todos import feed, services
from todos.tests.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# A Tuesday, ahead: the feed holds what is coming (and the last PAST_DAYS).
DAY = date(2027, 3, 2)


@pytest.fixture
def home(user):
    user.timezone = "Europe/Paris"
    user.save(update_fields=["timezone"])
    return ProjectFactory(owner=user, name="Home")


def feed_url(user, project=None) -> str:
    token = feed.token_for(user)
    if project is None:
        return reverse("todos:calendar_feed", args=[token])
    return reverse("todos:project_calendar_feed", args=[token, project.pk])


def fetch(client, user, project=None, **headers) -> Calendar:
    response = client.get(feed_url(user, project), headers=headers)
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict:
    return {str(event["summary"]): event for event in calendar.events}


def triggers(event) -> list:
    return [alarm.get("trigger").dt for alarm in event.walk("VALARM")]


def test_a_visitor_without_a_session_gets_the_calendar(client, user, home):
    TaskFactory(project=home, title="Dentist", due_date=DAY)

    response = client.get(feed_url(user))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="ticklist.ics"'
    assert "private" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    assert calendar["X-WR-CALNAME"] == "Ticklist"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Paris"
    assert list(events(calendar)) == ["Dentist"]


def test_a_task_with_a_date_is_an_all_day_event(client, user, home):
    task = TaskFactory(project=home, title="Dentist", due_date=DAY, notes="Bring the card")

    event = events(fetch(client, user))["Dentist"]

    assert event.start == DAY
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event.end == DAY + timedelta(days=1)
    assert event["UID"] == f"task-{task.pk}@testserver"
    assert event["URL"] == f"http://testserver/tasks/{task.pk}/"
    assert event["DESCRIPTION"] == f"Bring the card\n\nhttp://testserver/tasks/{task.pk}/"
    assert "RRULE" not in event


def test_a_task_with_a_time_is_an_event_at_that_time_in_the_owners_zone(client, user, home):
    TaskFactory(project=home, title="Call", due_date=DAY, due_time=time(9, 30))

    calendar = fetch(client, user)
    event = events(calendar)["Call"]

    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.start == datetime(2027, 3, 2, 9, 30, tzinfo=PARIS)
    assert event.start.astimezone(UTC) == datetime(2027, 3, 2, 8, 30, tzinfo=UTC)
    assert event.end - event.start == timedelta(minutes=30)
    assert [zone["TZID"] for zone in calendar.timezones] == ["Europe/Paris"]


def test_an_edit_moves_the_sequence_and_the_last_modified_time(client, user, home):
    task = services.create_task(owner=user, project=home, title="Call", due_date=DAY)
    first = events(fetch(client, user))["Call"]

    client.force_login(user)
    client.post(
        reverse("todos:task_update", args=[task.pk]),
        {
            "title": "Call back",
            "project": home.pk,
            "priority": 4,
            "due_date": DAY,
            "version": task.version,
        },
    )
    client.logout()
    second = events(fetch(client, user))["Call back"]

    assert second["SEQUENCE"] > first["SEQUENCE"]
    assert second["UID"] == first["UID"]
    assert second["LAST-MODIFIED"].dt >= first["LAST-MODIFIED"].dt


def test_a_task_repeating_on_schedule_carries_its_rule(client, user, home):
    TaskFactory(project=home, title="Bins", due_date=DAY, recurrence="FREQ=WEEKLY;BYDAY=TU")
    TaskFactory(
        project=home,
        title="Standup",
        due_date=DAY,
        due_time=time(9),
        recurrence="FREQ=DAILY;UNTIL=20271231",
    )

    found = events(fetch(client, user))

    assert found["Bins"]["RRULE"] == {"FREQ": ["WEEKLY"], "BYDAY": ["TU"]}
    # Beside a start in a zone, UNTIL is the last occurrence as a UTC moment.
    assert found["Standup"]["RRULE"]["UNTIL"] == [datetime(2027, 12, 31, 8, 0, tzinfo=UTC)]


def test_a_task_repeating_after_completion_shows_only_its_next_occurrence(client, user, home):
    TaskFactory(
        project=home,
        title="Haircut",
        due_date=DAY,
        recurrence="FREQ=WEEKLY;INTERVAL=6",
        recurrence_mode="completion",
    )

    event = events(fetch(client, user))["Haircut"]

    assert event.start == DAY
    assert "RRULE" not in event


def test_each_kind_of_reminder_is_an_alarm(client, user, home):
    task = TaskFactory(project=home, title="Call", due_date=DAY, due_time=time(9))
    moment = datetime(2027, 3, 1, 17, 15, tzinfo=UTC)
    Reminder.objects.create(task=task, owner=user, kind="before", minutes_before=30)
    Reminder.objects.create(task=task, owner=user, kind="at", at=moment)
    Reminder.objects.create(task=task, owner=user, kind="before", days_before=1, at_time=time(8))
    Reminder.objects.create(
        task=task, owner=user, kind="before", minutes_before=5, fired_at=timezone.now()
    )

    event = events(fetch(client, user))["Call"]

    assert triggers(event) == [
        timedelta(minutes=-30),
        moment,
        datetime(2027, 3, 1, 7, 0, tzinfo=UTC),  # 08:00 in Paris the day before
    ]
    absolute = [alarm["TRIGGER"] for alarm in event.walk("VALARM")][1:]
    assert all(trigger.params["VALUE"] == "DATE-TIME" for trigger in absolute)
    assert {str(alarm["ACTION"]) for alarm in event.walk("VALARM")} == {"DISPLAY"}
    assert {str(alarm["DESCRIPTION"]) for alarm in event.walk("VALARM")} == {"Call"}


def test_a_reminder_before_a_due_time_the_task_lacks_is_no_alarm(client, user, home):
    task = TaskFactory(project=home, title="Bins", due_date=DAY)
    Reminder.objects.create(task=task, owner=user, kind="before", minutes_before=30)
    Reminder.objects.create(task=task, owner=user, kind="before", days_before=0, at_time=time(7))

    event = events(fetch(client, user))["Bins"]

    assert triggers(event) == [datetime(2027, 3, 2, 6, 0, tzinfo=UTC)]


def test_done_deleted_undated_and_strangers_tasks_are_left_out(client, user, other_user, home):
    parent = TaskFactory(project=home, title="Move house", due_date=DAY)
    TaskFactory(project=home, parent=parent, title="Book the van", due_date=DAY)
    TaskFactory(project=home, title="Done", due_date=DAY, completed_at=timezone.now())
    TaskFactory(project=home, title="Trashed", due_date=DAY, deleted_at=timezone.now())
    TaskFactory(project=home, title="Some day")
    TaskFactory(project=ProjectFactory(owner=other_user), title="Theirs", due_date=DAY)

    assert set(events(fetch(client, user))) == {"Move house", "Book the van"}


def test_a_projects_feed_holds_only_that_project(client, user, home):
    work = ProjectFactory(owner=user, name="Work")
    TaskFactory(project=home, title="Dentist", due_date=DAY)
    TaskFactory(project=work, title="Report", due_date=DAY)

    response = client.get(feed_url(user, work))
    calendar = Calendar.from_ical(response.content)

    assert list(events(calendar)) == ["Report"]
    assert calendar["X-WR-CALNAME"] == "Ticklist: Work"
    assert response["Content-Disposition"] == f'inline; filename="ticklist-project-{work.pk}.ics"'


def test_an_archived_project_has_a_feed_but_is_left_out_of_the_whole_one(client, user, home):
    old = ProjectFactory(owner=user, name="Old", is_archived=True)
    TaskFactory(project=old, title="Shelved", due_date=DAY)
    TaskFactory(project=home, title="Dentist", due_date=DAY)

    assert list(events(fetch(client, user, old))) == ["Shelved"]
    assert list(events(fetch(client, user))) == ["Dentist"]


def test_another_persons_project_is_404(client, user, other_user, home):
    theirs = ProjectFactory(owner=other_user)

    response = client.get(feed_url(user, theirs))

    assert response.status_code == 404


@pytest.mark.parametrize("token", ["unknown", "x" * 65, feed.secrets.token_urlsafe(32)])
def test_an_unknown_token_is_404(client, user, home, token):
    feed.token_for(user)

    assert client.get(reverse("todos:calendar_feed", args=[token])).status_code == 404
    assert (
        client.get(reverse("todos:project_calendar_feed", args=[token, home.pk])).status_code
        == 404
    )


def test_a_blank_token_opens_nobody(client, user):
    assert user.calendar_token == ""

    assert client.get("/calendar/.ics").status_code == 404
    assert feed.owner_of("") is None


def test_the_feed_refuses_writes(client, user):
    assert client.post(feed_url(user)).status_code == 405


def test_a_head_request_gets_the_headers_alone(client, user):
    response = client.head(feed_url(user))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["ETag"]
    assert response.content == b""


def test_a_new_address_revokes_the_old_one(client, client_logged_in, user, home):
    old = feed_url(user)
    old_project = feed_url(user, home)

    response = client_logged_in.post(reverse("accounts:calendar_token_reset"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:settings") + "#calendar-feed"
    user.refresh_from_db()
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(old_project).status_code == 404
    assert client.get(feed_url(user)).status_code == 200
    assert client.get(feed_url(user, home)).status_code == 200


def test_a_new_address_asks_first(client_logged_in, user):
    token = feed.token_for(user)

    response = client_logged_in.get(reverse("accounts:calendar_token_reset"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'method="post"' in html
    assert "stop working" in html
    user.refresh_from_db()
    assert user.calendar_token == token


def test_a_new_address_needs_a_signed_in_person(client):
    url = reverse("accounts:calendar_token_reset")

    response = client.post(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_an_unchanged_feed_answers_304_and_a_change_renews_it(client, user, home):
    task = services.create_task(owner=user, project=home, title="Dentist", due_date=DAY)
    url = feed_url(user)
    first = client.get(url)
    tag = first["ETag"]

    again = client.get(url, headers={"if-none-match": tag})
    assert again.status_code == 304
    assert again.content == b""

    task.refresh_from_db()
    task.title = "Dentist at 10"
    task.save()
    changed = client.get(url, headers={"if-none-match": tag})

    assert changed.status_code == 200
    assert changed["ETag"] != tag
    assert client.get(url, headers={"if-none-match": changed["ETag"]}).status_code == 304


def test_a_new_time_zone_renews_the_feed(client, user, home):
    TaskFactory(project=home, title="Call", due_date=DAY, due_time=time(9))
    url = feed_url(user)
    tag = client.get(url)["ETag"]

    user.timezone = "America/New_York"
    user.save(update_fields=["timezone"])
    response = client.get(url, headers={"if-none-match": tag})

    assert response.status_code == 200
    assert events(Calendar.from_ical(response.content))["Call"]["DTSTART"].params["TZID"] == (
        "America/New_York"
    )


def test_the_same_data_gives_the_same_bytes(client, user, home):
    TaskFactory(project=home, title="Call", due_date=DAY, due_time=time(9))
    url = feed_url(user)

    assert client.get(url).content == client.get(url).content


def some_tasks(user, project, count: int) -> None:
    for n in range(count):
        task = TaskFactory(
            project=project,
            title=f"Task {n}",
            due_date=DAY + timedelta(days=n),
            due_time=time(9) if n % 2 else None,
            recurrence="FREQ=WEEKLY" if n % 3 == 0 else "",
        )
        Reminder.objects.create(task=task, owner=user, kind="at", at=timezone.now())


def test_the_feeds_queries_do_not_grow_with_the_tasks(
    client, user, other_user, django_assert_num_queries
):
    few_project = ProjectFactory(owner=user)
    many_project = ProjectFactory(owner=other_user)
    some_tasks(user, few_project, 3)
    some_tasks(other_user, many_project, 60)
    urls = {"few": feed_url(user), "many": feed_url(other_user)}
    projects = {"few": feed_url(user, few_project), "many": feed_url(other_user, many_project)}

    # The person, the tasks with their projects, their reminders.
    for url in urls.values():
        with django_assert_num_queries(3):
            assert client.get(url).status_code == 200
    # The project as well.
    for url in projects.values():
        with django_assert_num_queries(4):
            assert client.get(url).status_code == 200
    assert len(fetch(client, other_user).events) == 60


def test_a_304_reads_only_the_person(client, user, home, django_assert_num_queries):
    TaskFactory(project=home, title="Dentist", due_date=DAY)
    url = feed_url(user)
    tag = client.get(url)["ETag"]

    with django_assert_num_queries(1):
        assert client.get(url, headers={"if-none-match": tag}).status_code == 304


def test_settings_show_the_feeds_address_made_once(client_logged_in, user, home):
    assert user.calendar_token == ""

    first = client_logged_in.get(reverse("accounts:settings")).content.decode()
    user.refresh_from_db()
    token = user.calendar_token
    second = client_logged_in.get(reverse("accounts:settings")).content.decode()

    assert len(token) >= 43
    url = f"http://testserver{reverse('todos:calendar_feed', args=[token])}"
    assert f'value="{url}"' in first
    assert f'value="{url}"' in second
    project_url = reverse("todos:project_calendar_feed", args=[token, home.pk])
    assert f'value="http://testserver{project_url}"' in first
    user.refresh_from_db()
    assert user.calendar_token == token


def test_making_the_token_twice_keeps_the_first(user):
    first = feed.token_for(user)
    stale = type(user).objects.get(pk=user.pk)
    stale.calendar_token = ""  # a second request that read the row before the first wrote

    assert feed.token_for(stale) == first


def test_the_feed_holds_what_is_coming_not_an_old_backlog(client, user, home):
    today = timezone.localdate()
    TaskFactory(project=home, title="Last month", due_date=today - timedelta(days=30))
    TaskFactory(project=home, title="Last year", due_date=today - timedelta(days=365))
    TaskFactory(project=home, title="Next week", due_date=today + timedelta(days=7))

    assert sorted(events(fetch(client, user))) == ["Last month", "Next week"]
