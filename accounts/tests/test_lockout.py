from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def fail_five_times(client, username="ada", **extra):
    for _ in range(5):
        sign_in(client, username, "wrong guess", **extra)


def last_failure_was(ago: timedelta) -> None:
    """Pretend the latest failed sign-in happened some time ago."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - ago)


def test_fifth_failure_locks_out_even_the_right_password(client, user):
    for _ in range(4):
        assert sign_in(client, "ada", "wrong guess").status_code == 200
    locked = sign_in(client, "ada", "wrong guess")
    assert locked.status_code == 429

    response = sign_in(client, "ada", PASSWORD)

    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_lockout_runs_out_after_15_minutes(client, user):
    fail_five_times(client)
    assert sign_in(client, "ada", PASSWORD).status_code == 429

    last_failure_was(timedelta(minutes=14, seconds=50))
    assert sign_in(client, "ada", PASSWORD).status_code == 429
    last_failure_was(timedelta(minutes=15, seconds=1))
    response = sign_in(client, "ada", PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    assert not AccessAttempt.objects.exists()


def test_attempts_by_email_and_username_count_together(client, user):
    for name in ["ada", "ADA", "ada@example.com", "Ada@Example.com", "ada"]:
        sign_in(client, name, "wrong guess")

    assert sign_in(client, "ada@example.com", PASSWORD).status_code == 429


def test_lockout_is_per_address(client, user):
    fail_five_times(client, REMOTE_ADDR="203.0.113.7")

    response = sign_in(client, "ada", PASSWORD, REMOTE_ADDR="198.51.100.2")

    assert response.status_code == 302


def test_success_before_the_limit_resets_the_count(client, user):
    for _ in range(4):
        sign_in(client, "ada", "wrong guess")
    sign_in(client, "ada", PASSWORD)
    client.post(reverse("logout"))

    for _ in range(4):
        assert sign_in(client, "ada", "wrong guess").status_code == 200


def test_forwarded_header_is_ignored_unless_configured(client, user):
    for n in range(5):
        sign_in(client, "ada", "wrong guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert sign_in(client, "ada", PASSWORD).status_code == 429


def test_trusted_proxy_header_gives_the_client_address(client, user, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    fail_five_times(client, HTTP_X_FORWARDED_FOR="10.0.0.9, 203.0.113.7")

    other_client = sign_in(client, "ada", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other_client.status_code == 302
    client.post(reverse("logout"))
    same_client = sign_in(client, "ada", PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert same_client.status_code == 429


def test_staff_can_see_and_clear_a_lockout_in_the_admin(client, user, admin_client):
    fail_five_times(client)
    changelist = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert "ada" in changelist.content.decode()

    attempt = AccessAttempt.objects.get()
    admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert sign_in(client, "ada", PASSWORD).status_code == 302


def test_a_name_too_long_to_store_is_still_counted(client):
    name = "x" * 1000

    statuses = [
        client.post(LOGIN, {"username": name, "password": "wrong"}).status_code for _ in range(5)
    ]

    assert statuses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get().username == "x" * 255


@pytest.mark.parametrize(
    "forwarded",
    [
        "garbage",
        "[2001:db8::1]:443",
        "203.0.113.7:8080",
        "",
        " , ",
        "203.0.113.7, ",
        "fe80::1%eth0",
        "1.2.3.4.5",
        "x" * 1000,
        "203.0.113.7\x00",
    ],
)
def test_a_forwarded_value_that_is_no_address_counts_the_connections_address(
    client, user, settings, forwarded
):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"

    statuses = [
        sign_in(client, "ada", "wrong guess", HTTP_X_FORWARDED_FOR=forwarded).status_code
        for _ in range(5)
    ]

    assert statuses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_a_forwarded_address_is_stored_in_its_normal_form(client, user, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"

    sign_in(client, "ada", "wrong guess", HTTP_X_FORWARDED_FOR="10.0.0.1, 2001:DB8:0:0::7 ")

    assert AccessAttempt.objects.get().ip_address == "2001:db8::7"


PASSWORD_CHANGE = reverse("password_change")
DELETE = reverse("accounts:delete")
NEW = "tangerine-orbit-lantern-77"


def change_password(client, current):
    return client.post(
        PASSWORD_CHANGE, {"old_password": current, "new_password1": NEW, "new_password2": NEW}
    )


def delete_account(client, current):
    return client.post(DELETE, {"password": current})


@pytest.mark.parametrize("submit", [change_password, delete_account])
def test_five_wrong_current_passwords_lock_the_form_even_for_the_right_one(
    client_logged_in, user, submit
):
    statuses = [submit(client_logged_in, "wrong guess").status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 200, 429]
    response = submit(client_logged_in, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert AccessAttempt.objects.get().username == "ada"


@pytest.mark.parametrize("submit", [change_password, delete_account])
def test_wrong_current_passwords_count_with_failed_sign_ins(client, user, submit):
    for _ in range(3):
        sign_in(client, "ada", "wrong guess")
    client.force_login(user)
    for _ in range(2):
        submit(client, "wrong guess")
    client.logout()

    assert sign_in(client, "ada", PASSWORD).status_code == 429


@pytest.mark.parametrize("submit", [change_password, delete_account])
def test_a_locked_form_opens_again_after_15_minutes(client_logged_in, user, submit):
    for _ in range(5):
        submit(client_logged_in, "wrong guess")

    last_failure_was(timedelta(minutes=15, seconds=1))
    response = submit(client_logged_in, PASSWORD)

    assert response.status_code == 302
