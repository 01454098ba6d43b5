from django.conf import settings
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from todos import changes
from todos.models import Task
from todos.services import ensure_inbox


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="todos_inbox_for_new_user")
def create_inbox(sender, instance, created, raw=False, **kwargs):
    """Give every new account its Inbox, however the account is made."""
    if created and not raw:
        ensure_inbox(instance)


@receiver(m2m_changed, sender=Task.tags.through, dispatch_uid="todos_tags_changed")
def tags_changed(sender, instance, action, **kwargs):
    """Renew the owner's caches when a task's tags change, from either side of the link."""
    if action.startswith("pre_"):
        changes.data_changed([instance.owner_id])
