"""Mail leaves through the background worker, never from inside a web request.

`send_later(message)` queues a message as plain JSON; the worker (`make worker`)
sends it through the `default` mailer and tries again later when the mail
server cannot be reached.
"""

import logging
import smtplib
from datetime import timedelta

from django.core.mail import DNS_NAME, EmailMessage, EmailMultiAlternatives, make_msgid
from django.core.mail.backends import console
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger("ticklist.mail")

# Seconds to wait before each new try: from a blip of the mail server to an
# outage of a few hours. After the last one the message is given up, with an error.
RETRY_DELAYS = (5, 30, 120, 600, 3600, 4 * 3600)


def send_later(message: EmailMessage) -> None:
    """Queue a message for the background worker to send."""
    send_email.enqueue(as_json(message))


@task()
def send_email(message: dict, attempt: int = 1) -> None:
    """Send a queued message; after a failure that may pass, queue it again for later."""
    if attempt == 1:
        # Made once, so every try carries the same Message-ID and a copy that
        # got through before a dropped connection can be recognised.
        message = {
            **message,
            "headers": {"Message-ID": make_msgid(domain=DNS_NAME)} | message["headers"],
        }
    try:
        from_json(message).send()
    except (OSError, smtplib.SMTPException) as error:
        if attempt > len(RETRY_DELAYS) or is_permanent(error) or not can_wait():
            raise
        delay = RETRY_DELAYS[attempt - 1]
        send_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            message, attempt=attempt + 1
        )
        logger.warning(
            "mail not sent, trying again later",
            extra={"attempt": attempt, "retry_in_seconds": delay, "error": str(error)},
        )
        raise


def as_json(message: EmailMessage) -> dict:
    """Return what a message is made of as JSON-serialisable values."""
    if message.attachments:
        raise ValueError("Messages with attachments cannot be queued.")
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def from_json(data: dict) -> EmailMultiAlternatives:
    """Rebuild a message queued by send_later()."""
    return EmailMultiAlternatives(
        data["subject"],
        data["body"],
        data["from_email"],
        data["to"],
        bcc=data["bcc"],
        cc=data["cc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(alternative) for alternative in data["alternatives"]],
    )


def is_permanent(error: Exception) -> bool:
    """Tell whether the mail server refused the message for good (a 5xx answer)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    return getattr(error, "smtp_code", 0) >= 500


def can_wait() -> bool:
    """Tell whether the task backend can hold a task back until a later time."""
    return send_email.get_backend().supports_defer


class ConsoleBackend(console.EmailBackend):
    """Print messages for a developer to read: headers and text bodies decoded.

    Django's console backend prints the raw message, where quoted-printable
    breaks long links over two lines and garbles their “=” signs.
    """

    shown_headers = ("From", "To", "Cc", "Bcc", "Reply-To", "Subject", "Date", "Message-ID")

    def write_message(self, message):
        mime = message.message()
        lines = [f"{name}: {mime[name]}" for name in self.shown_headers if mime[name]]
        for part in mime.walk():
            if part.get_content_maintype() == "text":
                lines += ["", f"[{part.get_content_type()}]", part.get_content().rstrip()]
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
