from django import template

from reminders import push
from reminders.models import PushSubscription
from reminders.push_views import session_digest

register = template.Library()


@register.simple_tag(takes_context=True)
def push_settings(context) -> dict:
    """Return what the browser-notifications section needs: keys, and whether this sign-in is on."""
    request = context["request"]
    digest = session_digest(request, create=False)
    return {
        "configured": push.is_configured(),
        "public_key": push.public_key(),
        # The browser may still hold a subscription this sign-in no longer owns
        # (the server dropped it when someone signed out there): then it shows as off.
        "on_here": bool(digest)
        and PushSubscription.objects.filter(user=request.user, session_digest=digest).exists(),
    }
