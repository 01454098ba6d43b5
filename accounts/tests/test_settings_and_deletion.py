import pytest
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import TimezoneMiddleware
from accounts.models import User, Weekday
from accounts.tests.factories import PASSWORD
from todos.models import Project, Tag, Task
from todos.tests.factories import ProjectFactory, TagFactory, TaskFactory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("accounts:settings")
DELETE = reverse("accounts:delete")


def settings_data(**overrides):
    return {
        "display_name": "Ada L.",
        "email": "ada@example.com",
        "timezone": "Asia/Tokyo",
        "week_start": Weekday.SUNDAY,
        **overrides,
    }


def everything_owned_by(user_pk):
    """Return the names of a person's projects, tasks and tags, and which tasks carry a tag."""
    return {
        "projects": sorted(
            Project.objects.filter(owner_id=user_pk).values_list("name", flat=True)
        ),
        "tasks": sorted(Task.objects.filter(owner_id=user_pk).values_list("title", flat=True)),
        "tags": sorted(Tag.objects.filter(owner_id=user_pk).values_list("name", flat=True)),
        "tagged": sorted(
            Task.tags.through.objects.filter(tag__owner_id=user_pk).values_list(
                "task__title", "tag__name"
            )
        ),
    }


@pytest.mark.parametrize("url", [SETTINGS, DELETE])
def test_account_pages_send_visitors_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_settings_shows_the_current_values(client_logged_in, user):
    html = client_logged_in.get(SETTINGS).content.decode()

    assert 'value="ada@example.com"' in html
    assert 'value="UTC"' in html
    assert '<option value="Europe/Paris">' in html
    assert 'list="timezone-list"' in html


def test_settings_suggest_the_browsers_zone_while_the_default_is_saved(client_logged_in, user):
    html = client_logged_in.get(SETTINGS).content.decode()

    assert "data-timezone-from-browser hidden" in html
    assert "It is saved when you press Save settings." in html


def test_settings_keep_a_chosen_zone_and_only_offer_the_browsers(client_logged_in, user):
    user.timezone = "Asia/Tokyo"
    user.save(update_fields=["timezone"])

    html = client_logged_in.get(SETTINGS).content.decode()

    assert "data-timezone-from-browser" not in html
    assert "data-browser-timezone hidden" in html


def test_settings_sent_back_with_errors_keep_the_zone_as_submitted(client_logged_in, user):
    response = client_logged_in.post(SETTINGS, settings_data(timezone="UTC", email=""))

    html = response.content.decode()
    assert response.context["form"].errors["email"] == ["This field is required."]
    assert 'value="UTC"' in html
    assert "data-timezone-from-browser" not in html


def test_settings_are_saved(client_logged_in, user):
    response = client_logged_in.post(SETTINGS, settings_data(), follow=True)

    assert response.redirect_chain == [(SETTINGS, 302)]
    assert "Your settings have been saved." in response.content.decode()
    user.refresh_from_db()
    assert (user.display_name, user.timezone, user.week_start) == (
        "Ada L.",
        "Asia/Tokyo",
        Weekday.SUNDAY,
    )
    assert "Ada L." in response.content.decode()


def test_unknown_time_zone_is_refused_beside_the_field_and_kept(client_logged_in, user):
    response = client_logged_in.post(SETTINGS, settings_data(timezone="Europe/Atlantis"))

    assert response.status_code == 200
    assert response.context["form"].errors["timezone"] == [
        "“Europe/Atlantis” is not a known time zone: type a city, such as Paris, "
        "or a name like Europe/Paris."
    ]
    assert 'value="Europe/Atlantis"' in response.content.decode()
    user.refresh_from_db()
    assert user.timezone == "UTC"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Paris", "Europe/Paris"),
        ("paris", "Europe/Paris"),
        ("  PARIS ", "Europe/Paris"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("são paulo", "America/Sao_Paulo"),
        ("port au prince", "America/Port-au-Prince"),
        ("st. johns", "America/St_Johns"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("europe/paris", "Europe/Paris"),
        ("utc", "UTC"),
        ("Asia/Tokyo", "Asia/Tokyo"),
    ],
)
def test_a_city_or_zone_name_in_any_case_is_saved_as_its_iana_name(
    client_logged_in, user, typed, stored
):
    response = client_logged_in.post(SETTINGS, settings_data(timezone=typed))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.timezone == stored


def test_a_name_several_zones_share_is_refused_with_the_choices_and_kept(client_logged_in, user):
    response = client_logged_in.post(SETTINGS, settings_data(timezone="pacific"))

    assert response.status_code == 200
    assert response.context["form"].errors["timezone"] == [
        "“pacific” matches several time zones: Canada/Pacific, US/Pacific. Type the one you mean."
    ]
    assert 'value="pacific"' in response.content.decode()
    user.refresh_from_db()
    assert user.timezone == "UTC"


def test_settings_accept_the_own_email_in_another_case(client_logged_in, user):
    client_logged_in.post(SETTINGS, settings_data(email="Ada@Example.com"))

    user.refresh_from_db()
    assert user.email == "Ada@example.com"


def test_dates_follow_the_signed_in_users_time_zone(user):
    user.timezone = "America/Sao_Paulo"
    seen = []
    request = RequestFactory().get("/")
    request.user = user

    TimezoneMiddleware(lambda request: seen.append(timezone.get_current_timezone_name()))(request)

    assert seen == ["America/Sao_Paulo"]


def test_delete_page_explains_what_goes(client_logged_in):
    html = client_logged_in.get(DELETE).content.decode()

    assert "cannot be undone" in html
    assert 'autocomplete="current-password"' in html


def test_delete_refuses_a_wrong_password(client_logged_in, user):
    response = client_logged_in.post(DELETE, {"password": "not it"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["That is not your current password."]
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_removes_the_account_and_signs_out(client_logged_in, user):
    response = client_logged_in.post(DELETE, {"password": PASSWORD}, follow=True)

    assert response.redirect_chain == [(reverse("pages:home"), 302)]
    assert not User.objects.filter(pk=user.pk).exists()
    assert SESSION_KEY not in client_logged_in.session
    assert "everything in it have been deleted" in response.content.decode()


def test_delete_removes_all_the_accounts_data_and_only_its_own(client_logged_in, user, other_user):
    for owner in (user, other_user):
        outdoors = TagFactory(owner=owner, name="outdoors")
        dig = TaskFactory(project=ProjectFactory(owner=owner, name="Garden"), title="Dig beds")
        dig.tags.add(outdoors)
        TaskFactory(project=dig.project, parent=dig, title="Buy seeds")
        TaskFactory(project=Project.objects.get(owner=owner, is_inbox=True), title="Call Bob")
    owned = {
        "projects": ["Garden", "Inbox"],
        "tasks": ["Buy seeds", "Call Bob", "Dig beds"],
        "tags": ["outdoors"],
        "tagged": [("Dig beds", "outdoors")],
    }
    assert everything_owned_by(user.pk) == owned
    assert everything_owned_by(other_user.pk) == owned

    client_logged_in.post(DELETE, {"password": PASSWORD})

    assert everything_owned_by(user.pk) == {"projects": [], "tasks": [], "tags": [], "tagged": []}
    assert everything_owned_by(other_user.pk) == owned
    assert Task.tags.through.objects.count() == 1


def test_admin_lists_and_finds_users(admin_client, user):
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": "ADA@ex"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "ada@example.com" in html
    for column in ("column-display_name", "column-date_joined", "column-last_login"):
        assert column in html
