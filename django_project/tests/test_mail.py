"""Mail queued for the background worker: what is queued, how it is sent, and shown in development."""

import json
import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import console
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from django_project.mail import RETRY_DELAYS, ConsoleBackend, as_json, send_email, send_later
from django_project.tests.test_settings import PRODUCTION, read_settings

pytestmark = pytest.mark.django_db

LINK = "https://todo.example.com/accounts/reset/MQ/" + "c4w9l1-" * 6 + "f3a8e0b2c1d4e5f6a7b8/"


def a_message() -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        "Réinitialiser",
        f"Bonjour Zoé,\n\n{LINK}\n",
        "Ticklist <noreply@example.com>",
        ["ada@example.com"],
        cc=["cc@example.com"],
        bcc=["bcc@example.com"],
        reply_to=["help@example.com"],
        headers={"X-Ticklist": "reset"},
    )
    message.attach_alternative(f'<a href="{LINK}">Reset</a>', "text/html")
    return message


def test_a_queued_message_is_plain_json_and_is_sent_whole():
    send_later(a_message())

    (sent,) = mail.outbox
    assert (sent.subject, sent.body, sent.from_email) == (
        "Réinitialiser",
        f"Bonjour Zoé,\n\n{LINK}\n",
        "Ticklist <noreply@example.com>",
    )
    assert (sent.to, sent.cc, sent.bcc, sent.reply_to) == (
        ["ada@example.com"],
        ["cc@example.com"],
        ["bcc@example.com"],
        ["help@example.com"],
    )
    assert sent.extra_headers["X-Ticklist"] == "reset"
    assert sent.extra_headers["Message-ID"].startswith("<")
    assert list(sent.alternatives) == [(f'<a href="{LINK}">Reset</a>', "text/html")]
    assert json.loads(json.dumps(as_json(a_message()))) == as_json(a_message())


def test_a_message_with_an_attachment_is_not_queued():
    message = a_message()
    message.attach("notes.txt", "hello", "text/plain")

    with pytest.raises(ValueError, match="attachments"):
        send_later(message)
    assert mail.outbox == []


def test_a_mail_server_that_is_down_gets_the_message_again_later(smtp_server, tasks_in_database):
    smtp_server.stop()

    with pytest.raises(ConnectionRefusedError):
        send_email.call(as_json(a_message()))

    retry = DBTaskResult.objects.get()
    assert retry.task_path == "django_project.mail.send_email"
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    due = timezone.now() + timedelta(seconds=RETRY_DELAYS[0])
    assert abs(retry.run_after - due) < timedelta(seconds=2)
    # Every try sends the same Message-ID, so a copy that did get through can be spotted.
    (queued,) = retry.args_kwargs["args"]
    smtp_server.start()
    send_email.call(queued, attempt=2)
    (received,) = smtp_server.wait_for(1)
    assert received["Message-ID"] == queued["headers"]["Message-ID"]


def test_a_message_the_server_refuses_for_good_is_not_tried_again(smtp_server, tasks_in_database):
    smtp_server.collector.refused = {"ada@example.com", "cc@example.com", "bcc@example.com"}

    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send_email.call(as_json(a_message()))

    assert not DBTaskResult.objects.exists()


def test_the_last_try_gives_the_message_up(smtp_server, tasks_in_database):
    smtp_server.stop()

    with pytest.raises(ConnectionRefusedError):
        send_email.call(as_json(a_message()), attempt=len(RETRY_DELAYS) + 1)

    assert not DBTaskResult.objects.exists()


def printed_by(backend_class) -> str:
    stream = StringIO()
    backend_class(stream=stream).send_messages([a_message()])
    return stream.getvalue()


def test_development_mail_shows_links_whole_and_text_decoded():
    printed = printed_by(ConsoleBackend)

    assert LINK in printed.splitlines()
    assert "Bonjour Zoé," in printed
    assert "Subject: Réinitialiser" in printed
    assert "To: ada@example.com" in printed
    assert "[text/html]" in printed
    # Django's own console backend prints the encoded message, where the link breaks.
    assert LINK not in printed_by(console.EmailBackend)


def test_mail_and_background_work_wait_in_the_database_by_default():
    configured = read_settings("[s.TASKS, s.MAILERS['default']['BACKEND']]", **PRODUCTION)

    assert configured == [
        {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
        "django.core.mail.backends.smtp.EmailBackend",
    ]
