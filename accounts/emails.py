"""Account mail, written by the background worker: password resets for now.

The worker looks an address up and writes the mail, so a request takes as long
whether or not an address belongs to an account, and never says which.
"""

from django.contrib.auth import forms as auth_forms
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string

from django_project.mail import send_later


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
