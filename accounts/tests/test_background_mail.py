"""Account mail through the real path: a worker process, the test database and an SMTP server."""

import re

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from accounts.tests.test_signup_and_signin import signup_data
from conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

RESET_LINK = re.compile(r"http://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)")
CONFIRM_LINK = re.compile(r"http://testserver(/accounts/email/confirm/[^/\s]+/)")


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_the_reset_mail_reaches_smtp_through_the_worker_and_its_link_works(
    client, user, worker, smtp_server
):
    response = client.post(reverse("password_reset"), {"email": "ADA@example.com"})
    assert response.url == reverse("password_reset_done")
    assert smtp_server.messages == []

    worker.start()
    (message,) = smtp_server.wait_for(1)

    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Reset your Ticklist password"
    link = RESET_LINK.search(body(message)).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True


def test_reset_requests_answer_alike_while_smtp_is_down_and_the_mail_comes_when_it_is_back(
    client, user, worker, smtp_server
):
    smtp_server.stop()

    known = client.post(reverse("password_reset"), {"email": "ada@example.com"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert (
        DBTaskResult.objects.filter(task_path="accounts.emails.send_password_reset").count() == 2
    )

    worker.start()
    mail_tasks = DBTaskResult.objects.filter(task_path="django_project.mail.send_email")
    # The first try finds the server down and leaves a second one for later.
    assert wait_until(lambda: mail_tasks.filter(status="FAILED").exists()), worker.output()
    assert mail_tasks.filter(status="READY").count() == 1
    smtp_server.start()

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "ada@example.com"
    assert wait_until(lambda: not mail_tasks.filter(status="READY").exists())
    assert len(smtp_server.messages) == 1


def test_the_signup_link_reaches_smtp_through_the_worker_and_confirms(client, worker, smtp_server):
    client.post(reverse("accounts:signup"), signup_data())

    worker.start()
    (message,) = smtp_server.wait_for(1)

    assert message["To"] == "grace@example.com"
    client.post(CONFIRM_LINK.search(body(message)).group(1))
    assert User.objects.get(username="grace").email == "grace@example.com"
