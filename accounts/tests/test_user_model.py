from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.checks import WARNING, run_checks
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_custom_user_model_is_the_active_one():
    assert get_user_model() is User


def test_new_users_default_to_utc():
    user = User.objects.create_user("ada", "ada@example.com", "s3cret-pass-phrase")

    user.refresh_from_db()
    assert user.timezone == "UTC"


def test_email_is_unique_whatever_its_case():
    User.objects.create_user("ada", "Ada@Example.com", "s3cret-pass-phrase")

    with pytest.raises(IntegrityError):
        User.objects.create_user("ada2", "ada@example.COM", "s3cret-pass-phrase")


def test_several_accounts_may_have_no_email():
    User.objects.create_user("ada", "", "s3cret-pass-phrase")
    User.objects.create_user("grace", "", "s3cret-pass-phrase")

    assert User.objects.filter(email="").count() == 2


def test_unknown_time_zone_is_refused():
    user = User(username="ada", email="ada@example.com", timezone="Mars/Olympus_Mons")
    user.set_unusable_password()

    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "timezone" in error.value.message_dict


def test_admin_edit_page_shows_the_time_zone(admin_client):
    user = User.objects.create_user("ada", "ada@example.com", "s3cret-pass-phrase")

    response = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")

    assert response.status_code == 200
    assert 'name="timezone"' in response.content.decode()


@pytest.mark.parametrize("username", ["V@x.com", "ada@", "@"])
def test_a_username_with_an_at_sign_is_refused_by_the_model(username):
    user = User(username=username, email="ada@example.com")
    user.set_unusable_password()

    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert error.value.error_dict["username"][0].code == "invalid"


def test_createsuperuser_refuses_a_username_with_an_at_sign():
    with pytest.raises(CommandError, match="cannot contain “@”"):
        call_command(
            "createsuperuser", "--no-input", username="root@example.com", email="r@example.com"
        )

    assert not User.objects.exists()


def test_the_admin_refuses_a_username_with_an_at_sign(admin_client, user):
    added = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "V@x.com",
            "usable_password": "true",
            "password1": "plum-violin-harbour-42",
            "password2": "plum-violin-harbour-42",
            "email": "v@x.com",
            "timezone": "UTC",
        },
    )
    renamed = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": "ada@home",
            "email": "ada@example.com",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "timezone": "UTC",
            "week_start": 0,
        },
    )

    assert "cannot contain “@”" in added.content.decode()
    assert "cannot contain “@”" in renamed.content.decode()
    assert sorted(User.objects.values_list("username", flat=True)) == ["ada", "admin"]


def usernames_check() -> list:
    return [message for message in run_checks() if message.id == "accounts.W001"]


def test_check_lists_usernames_with_an_at_sign_and_how_to_fix_them(user):
    # Accounts from before usernames refused "@": the ORM does not validate.
    UserFactory(username="ADA@example.com", email="mallory@example.com")
    UserFactory(username="bob@home", email="bob@example.com")

    (warning,) = usernames_check()

    assert warning.level == WARNING
    assert "'ADA@example.com' (another account's email address), 'bob@home'." in warning.msg
    assert "in the admin" in warning.hint
    assert "manage.py shell" in warning.hint


def test_check_is_quiet_when_no_username_has_an_at_sign(user, other_user):
    assert usernames_check() == []


def test_manage_py_check_shows_the_warning(user):
    UserFactory(username="bob@home")
    out = StringIO()

    call_command("check", stdout=out, stderr=out)

    assert "accounts.W001" in out.getvalue()
    assert "'bob@home'" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_addresses_stored_before_confirmation_existed_count_as_confirmed(client):
    executor = MigrationExecutor(connection)
    before = [("accounts", "0003_user_data_version")]
    executor.migrate(before)
    old_user = executor.loader.project_state(before).apps.get_model("accounts", "User")
    old_user.objects.create(
        username="ada", email="ada@example.com", password=make_password(PASSWORD)
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    ada = User.objects.get(username="ada")
    assert (ada.email, ada.pending_email) == ("ada@example.com", "")
    signed_in = client.post(
        reverse("login"), {"username": "ada@example.com", "password": PASSWORD}
    )
    assert signed_in.url == reverse("todos:today")
    client.post(reverse("logout"))
    client.post(reverse("password_reset"), {"email": "ada@example.com"})
    assert [message.to for message in mail.outbox] == [["ada@example.com"]]
