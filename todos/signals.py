from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from todos.services import ensure_inbox


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="todos_inbox_for_new_user")
def create_inbox(sender, instance, created, raw=False, **kwargs):
    """Give every new account its Inbox, however the account is made."""
    if created and not raw:
        ensure_inbox(instance)
