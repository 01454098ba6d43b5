from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from todos import changes, history
from todos.models import Membership, Project, Task
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
        # A member's own tags on a shared task: the members' caches hold its row too.
        projects = [instance.project_id] if isinstance(instance, Task) else None
        changes.data_changed([instance.owner_id], projects)


@receiver(post_save, sender=Membership, dispatch_uid="todos_membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="todos_membership_deleted")
def membership_changed(sender, instance, raw=False, **kwargs):
    """Count the person's shared projects again and renew their caches (their sidebar)."""
    if raw:
        return
    # The owner's too: their sidebar marks the project shared, and their rows offer its
    # members to assign (todos.assignment). First, so the people's rows are locked in
    # the order every write locks them (todos.changes).
    owner = Project.objects.filter(pk=instance.project_id).values_list("owner_id", flat=True)
    changes.data_changed([instance.user_id, *owner], [instance.project_id])
    count = Membership.objects.filter(user_id=instance.user_id).count()
    get_user_model().objects.filter(pk=instance.user_id).update(shared_projects=count)


@receiver(post_delete, sender=Membership, dispatch_uid="todos_membership_assignments_freed")
def membership_ended(sender, instance, **kwargs):
    """Give nobody the tasks of the project its former member was to do (todos.assignment)."""
    Task.objects.filter(project_id=instance.project_id, assignee_id=instance.user_id).update(
        assignee=None, version=F("version") + 1, updated_at=timezone.now()
    )


@receiver(post_delete, sender=Project, dispatch_uid="todos_project_history_deleted")
def project_deleted(sender, instance, **kwargs):
    """A project's history goes with it."""
    history.forget_project(instance.pk)


@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="todos_author_forgotten")
def account_deleted(sender, instance, **kwargs):
    """A deleted account is named by no record: its entries read "A former member"."""
    history.forget_author(instance.pk)
