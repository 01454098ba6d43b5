import re
import time
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from accounts import emails
from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.test_signup_and_signin import signup_data

pytestmark = pytest.mark.django_db

SETTINGS = reverse("accounts:settings")
RESEND = reverse("accounts:resend_confirmation")
CANCEL = reverse("accounts:cancel_email_change")
LOGIN = reverse("login")
CONFIRM_LINK = re.compile(r"http://testserver(/accounts/email/confirm/[^/\s]+/)")


def change_email(client, address: str):
    response = client.post(
        SETTINGS, {"email": address, "timezone": "UTC", "week_start": 0, "display_name": ""}
    )
    client.get(response.url)  # as the browser does, which shows and so uses up the messages
    return response


def link_in(message) -> str:
    return CONFIRM_LINK.search(message.body).group(1)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def signs_in(name: str) -> bool:
    client = Client()
    client.post(LOGIN, {"username": name, "password": PASSWORD})
    return SESSION_KEY in client.session


def test_a_new_address_waits_until_its_link_is_opened(client_logged_in, user):
    response = change_email(client_logged_in, "ada@new.example")

    assert response.url == SETTINGS
    assert messages_of(response) == [
        "Your settings have been saved.",
        "We sent a link to ada@new.example to confirm it. Until you open it, "
        "your address stays ada@example.com.",
    ]
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("ada@example.com", "ada@new.example")
    (message,) = mail.outbox
    assert message.to == ["ada@new.example"]
    assert not signs_in("ada@new.example")
    assert signs_in("ada@example.com")


def test_settings_show_the_waiting_address_with_resend_and_cancel(client_logged_in, user):
    change_email(client_logged_in, "ada@new.example")

    html = client_logged_in.get(SETTINGS).content.decode()

    assert 'value="ada@new.example"' in html
    assert "Waiting for confirmation: we sent a link to <strong>ada@new.example</strong>" in html
    assert "your address stays <strong>ada@example.com</strong>" in html
    assert f'action="{RESEND}" id="resend-confirmation"' in html
    assert 'form="resend-confirmation"' in html
    assert 'form="cancel-email-change"' in html


def test_opening_the_link_shows_the_address_and_confirming_makes_it_the_accounts(
    client_logged_in, user
):
    change_email(client_logged_in, "Ada@New.example")
    link = link_in(mail.outbox[0])

    page = client_logged_in.get(link)
    assert page.status_code == 200
    assert "Make <strong>Ada@new.example</strong> the email address" in page.content.decode()
    user.refresh_from_db()
    assert user.email == "ada@example.com"  # a GET changes nothing
    confirmed = client_logged_in.post(link)

    assert confirmed.url == SETTINGS
    assert messages_of(confirmed) == [
        "Ada@new.example is now your email address. You can sign in with it."
    ]
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("Ada@new.example", "")
    assert signs_in("ada@new.example")
    assert not signs_in("ada@example.com")
    assert "Waiting for confirmation" not in client_logged_in.get(SETTINGS).content.decode()


def test_a_confirmed_address_gets_the_password_reset_mail(client_logged_in, user):
    change_email(client_logged_in, "ada@new.example")
    Client().post(reverse("password_reset"), {"email": "ada@new.example"})
    assert len(mail.outbox) == 1  # only the confirmation link

    client_logged_in.post(link_in(mail.outbox[0]))
    Client().post(reverse("password_reset"), {"email": "ada@new.example"})

    assert mail.outbox[-1].subject == "Reset your Ticklist password"
    assert mail.outbox[-1].to == ["ada@new.example"]


def test_a_link_works_once(client_logged_in, user):
    change_email(client_logged_in, "ada@new.example")
    link = link_in(mail.outbox[0])
    client_logged_in.post(link)

    again = client_logged_in.post(link)

    assert again.status_code == 200
    assert "This link no longer works" in again.content.decode()


def link_sent_ago(client, monkeypatch, age: timedelta) -> str:
    """Change the email with the link's signature dated `age` ago, and return the link."""
    sent = int(time.time() - age.total_seconds())
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(sent)
    )
    change_email(client, "ada@new.example")
    monkeypatch.undo()
    return link_in(mail.outbox[-1])


def test_a_link_older_than_three_days_no_longer_works(client_logged_in, user, monkeypatch):
    link = link_sent_ago(client_logged_in, monkeypatch, timedelta(days=3, minutes=1))

    response = client_logged_in.post(link)

    assert "This link no longer works" in response.content.decode()
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("ada@example.com", "ada@new.example")


def test_a_link_still_works_at_the_end_of_its_third_day(client_logged_in, user, monkeypatch):
    link = link_sent_ago(client_logged_in, monkeypatch, timedelta(days=3, minutes=-1))

    client_logged_in.post(link)

    user.refresh_from_db()
    assert user.email == "ada@new.example"


def test_a_link_for_a_replaced_address_no_longer_works(client_logged_in, user):
    change_email(client_logged_in, "first@new.example")
    change_email(client_logged_in, "second@new.example")

    response = client_logged_in.post(link_in(mail.outbox[0]))

    assert "This link no longer works" in response.content.decode()
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("ada@example.com", "second@new.example")


def test_a_link_for_another_account_changes_nothing(client_logged_in, user, other_user):
    change_email(client_logged_in, "ada@new.example")
    mallory = Client()
    mallory.force_login(other_user)

    response = mallory.post(link_in(mail.outbox[0]))

    assert "This link no longer works" in response.content.decode()
    for account in (user, other_user):
        account.refresh_from_db()
    assert (user.email, user.pending_email) == ("ada@example.com", "ada@new.example")
    assert (other_user.email, other_user.pending_email) == ("mallory@example.com", "")


def test_a_tampered_link_no_longer_works(client_logged_in, user):
    change_email(client_logged_in, "ada@new.example")
    forged = emails.confirmation_token(user, "ada@new.example")[:-2] + "xx"

    response = client_logged_in.get(reverse("accounts:confirm_email", args=[forged]))

    assert "This link no longer works" in response.content.decode()


def test_the_link_asks_a_visitor_to_sign_in_first(client_logged_in, user):
    change_email(client_logged_in, "ada@new.example")
    link = link_in(mail.outbox[0])

    response = Client().get(link)

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?{urlencode({'next': link}, safe='/')}"


def test_an_address_another_account_confirmed_first_is_not_taken_from_it(
    client_logged_in, user, other_user
):
    change_email(client_logged_in, "shared@example.com")
    link = link_in(mail.outbox[0])
    other_user.email = "shared@example.com"
    other_user.save(update_fields=["email"])

    response = client_logged_in.post(link)

    assert "This link no longer works" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "ada@example.com"


def test_using_another_accounts_address_looks_the_same_and_tells_its_owner(
    client_logged_in, user, other_user
):
    response = change_email(client_logged_in, "MALLORY@example.com")

    assert messages_of(response) == [
        "Your settings have been saved.",
        "We sent a link to MALLORY@example.com to confirm it. Until you open it, "
        "your address stays ada@example.com.",
    ]
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("ada@example.com", "MALLORY@example.com")
    (message,) = mail.outbox
    assert message.to == ["mallory@example.com"]
    assert "add this address to another Ticklist account" in message.body
    assert "/accounts/email/confirm/" not in message.body
    assert "ada" not in message.body.replace("mallory", "")


def test_sending_the_confirmed_address_again_cancels_the_waiting_one(client_logged_in, user):
    change_email(client_logged_in, "ada@new.example")

    change_email(client_logged_in, "Ada@Example.com")

    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("Ada@example.com", "")
    assert len(mail.outbox) == 1


def test_saving_other_settings_does_not_send_the_link_again(client_logged_in, user):
    change_email(client_logged_in, "ada@new.example")

    change_email(client_logged_in, "ada@new.example")

    assert len(mail.outbox) == 1


def test_resend_sends_a_new_link_that_works(client_logged_in, user):
    change_email(client_logged_in, "ada@new.example")

    response = client_logged_in.post(RESEND)

    assert response.url == SETTINGS
    assert messages_of(response) == [
        "We sent a link to ada@new.example to confirm it. Until you open it, "
        "your address stays ada@example.com."
    ]
    assert [m.to for m in mail.outbox] == [["ada@new.example"], ["ada@new.example"]]
    client_logged_in.post(link_in(mail.outbox[1]))
    user.refresh_from_db()
    assert user.email == "ada@new.example"


def test_cancel_drops_the_waiting_address_and_its_link(client_logged_in, user):
    change_email(client_logged_in, "ada@new.example")

    response = client_logged_in.post(CANCEL)

    assert response.url == SETTINGS
    assert messages_of(response) == ["ada@new.example will not become your email address."]
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("ada@example.com", "")
    late = client_logged_in.post(link_in(mail.outbox[0]))
    assert "This link no longer works" in late.content.decode()


def test_resend_and_cancel_without_a_waiting_address_change_nothing(client_logged_in, user):
    for url in (RESEND, CANCEL):
        assert client_logged_in.post(url).url == SETTINGS

    assert mail.outbox == []
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("ada@example.com", "")


@pytest.mark.parametrize("url", [RESEND, CANCEL])
def test_resend_and_cancel_need_post(client_logged_in, url):
    assert client_logged_in.get(url).status_code == 405


@pytest.mark.parametrize("url", [RESEND, CANCEL])
def test_resend_and_cancel_send_visitors_to_sign_in(client, url):
    response = client.post(url)

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={url}"


def test_a_new_account_confirms_its_first_address_with_the_link(client):
    client.post(reverse("accounts:signup"), signup_data())
    html = client.get(SETTINGS).content.decode()
    assert 'value="grace@example.com"' in html
    assert "Until you open it, sign in with your username." in html

    client.post(link_in(mail.outbox[0]))

    grace = User.objects.get(username="grace")
    assert (grace.email, grace.pending_email) == ("grace@example.com", "")


def test_a_link_mailed_before_its_address_was_replaced_is_not_sent(user):
    """The worker sends nothing for an address that is no longer the one waiting."""
    UserFactory(username="grace", email="", pending_email="now@example.com")

    emails.send_email_confirmation.call(
        user_id=User.objects.get(username="grace").pk,
        address="before@example.com",
        reason=emails.Reason.CHANGE,
        domain="testserver",
        use_https=False,
    )

    assert mail.outbox == []
