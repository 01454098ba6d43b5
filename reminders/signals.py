"""Receivers that keep reminders and push subscriptions in step with the rest of the app."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from reminders.models import PushSubscription
from reminders.push_views import session_digest


@receiver(user_logged_out, dispatch_uid="unsubscribe_signed_out_browser")
def unsubscribe_signed_out_browser(sender, request, user, **kwargs):
    """Stop pushing to the browser that signs out: its notifications would show to whoever is next."""
    digest = session_digest(request, create=False) if request is not None else ""
    if digest:
        PushSubscription.objects.filter(session_digest=digest).delete()
