"""Account mail: password resets, and confirming an address before it becomes an account's.

Both are looked up and written by the background worker, so a request takes
as long whether or not an address belongs to an account, and never says which.
"""

from datetime import timedelta

from django.contrib.auth import forms as auth_forms
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from django_project.mail import send_later

CONFIRMATION_SALT = "accounts.emails.confirmation"
CONFIRMATION_MAX_AGE = timedelta(days=3)


class Reason:
    """Why an address is to be confirmed; it changes what its owner is told."""

    SIGNUP = "signup"
    CHANGE = "change"


def ask_to_confirm(user: User, request: HttpRequest, *, reason: str) -> None:
    """Queue the mail about the user's pending address: a link, or a word to its owner."""
    send_email_confirmation.enqueue(
        user_id=user.pk,
        address=user.pending_email,
        reason=reason,
        domain=request.get_host(),
        use_https=request.is_secure(),
    )


def confirmation_token(user: User, address: str) -> str:
    """Return the signed, expiring token of a link that confirms address for user."""
    return signing.dumps({"user": user.pk, "email": address}, salt=CONFIRMATION_SALT)


def address_confirmed_by(token: str, user: User) -> str:
    """Return the pending address a link's token confirms for user, or "" if it no longer does.

    A link works for three days, for its own account, and only while the
    address is still the one waiting: a confirmed, cancelled or replaced
    address makes older links stop working.
    """
    try:
        claim = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.BadSignature:
        return ""
    pending = user.pending_email
    if claim.get("user") != user.pk or not pending or claim.get("email") != pending:
        return ""
    return pending


def confirm(user: User, address: str) -> bool:
    """Make a pending address the account's email; False if another account has it by now."""
    user.email, user.pending_email = address, ""
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "pending_email"])
    except IntegrityError:
        user.refresh_from_db(fields=["email", "pending_email"])
        return False
    return True


def site_context(domain: str, use_https: bool) -> dict:
    return {"domain": domain, "protocol": "https" if use_https else "http"}


def mail(template: str, context: dict, to: str) -> EmailMultiAlternatives:
    """Return a message written by templates/accounts/email/<template>_subject.txt and .txt."""
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    body = render_to_string(f"accounts/email/{template}.txt", context)
    return EmailMultiAlternatives(" ".join(subject.split()), body, to=[to])


@task()
def send_email_confirmation(
    *, user_id: int, address: str, reason: str, domain: str, use_https: bool
) -> None:
    """Send the link that confirms an address, or tell the owner if it is another account's."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or user.pending_email != address:
        # Cancelled, replaced or confirmed since: nothing to send.
        return
    context = {**site_context(domain, use_https), "user": user, "address": address}
    owner = User.objects.filter(email__iexact=address).exclude(pk=user.pk).first()
    if owner is not None:
        # Only the owner learns that someone tried; the new account hears
        # nothing different, so it cannot tell that the address is taken.
        context |= {"owner": owner, "signing_up": reason == Reason.SIGNUP}
        send_later(mail("address_in_use", context, to=owner.email))
        return
    context["path"] = reverse("accounts:confirm_email", args=[confirmation_token(user, address)])
    send_later(mail("confirm_email", context, to=address))


class PasswordResetMailForm(auth_forms.PasswordResetForm):
    """Django's reset form, as the worker runs it: its messages go through send_later()."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = render_to_string(subject_template_name, context)
        body = render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(" ".join(subject.split()), body, from_email, [to_email])
        if html_email_template_name is not None:
            message.attach_alternative(
                render_to_string(html_email_template_name, context), "text/html"
            )
        send_later(message)


@task()
def send_password_reset(*, email: str, domain: str, use_https: bool) -> None:
    """Mail a reset link to each active account whose confirmed address this is."""
    form = PasswordResetMailForm({"email": email})
    if form.is_valid():
        form.save(domain_override=domain, use_https=use_https)
