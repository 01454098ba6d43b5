import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import User

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
