"""Sharing a project: invitations, members and their roles, and handing a project over.

The owner invites, withdraws invitations, changes roles, removes members and
hands the project over; the invited person accepts or declines; a member
leaves. An invitation names an account, or waits at an address no account has
confirmed yet: it becomes the invitation of whoever confirms that address later
(`invitations_for`), so signing up after being invited just works.

Nothing here mails anyone from the request: an account hears through its
notifications (in the app, and by email or push as the person chose, from the
worker); a bare address gets its invitation from the worker, once the
transaction that made the invitation has committed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, FilteredRelation, Q, QuerySet
from django.db.models.functions import Lower
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.backends import find_user
from django_project.mail import send_later
from reminders import dispatch
from reminders.models import Notification, Reminder
from todos import access, changes, rows
from todos.models import Completion, Invitation, Membership, Project, Role, Task
from todos.services import project_name_taken

INVITATION_DAYS = 14
# Invitations waiting in one project at a time: enough for a team, too few to spam with.
MAX_WAITING = 50

# What each role may do, in the words invitations and the members page use.
ROLE_POWERS = {
    Role.OWNER: "everything, including members",
    Role.EDITOR: "add, change, complete and delete its tasks",
    Role.VIEWER: "read its tasks and comment on them",
}


class Refused(Exception):
    """What was asked cannot be done; the message tells the person who asked why."""


@dataclass(frozen=True, slots=True)
class Person:
    """Someone in a project, as its members list and avatars show them."""

    pk: int
    username: str
    display_name: str
    role: str
    since: datetime | None = None

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def initials(self) -> str:
        return rows.initials_of(self.name)

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


def people_in(project: Project) -> list[Person]:
    """Return the project's owner, then its members in the order they joined (one query)."""
    # The owner has no membership row: the filtered join leaves their role empty.
    rows = (
        get_user_model()
        .objects.annotate(
            here=FilteredRelation("memberships", condition=Q(memberships__project=project.pk))
        )
        .filter(Q(pk=project.owner_id) | Q(here__isnull=False))
        .order_by(F("here__created_at").asc(nulls_first=True), "pk")
        .values_list("pk", "username", "display_name", "here__role", "here__created_at")
    )
    return [
        Person(pk, username, display_name, role or Role.OWNER, since)
        for pk, username, display_name, role, since in rows
    ]


def _with_lower_email(invitations: QuerySet) -> QuerySet:
    # Matched on LOWER(email), the expression todos_invitation_email_idx holds.
    return invitations.alias(email_lower=Lower("email"))


def _addressed_to(user=None, email: str = "") -> Q:
    """Match the invitations to an account, or to an address, in any case."""
    if user is not None:
        mine = Q(user=user)
        if user.email:
            mine |= Q(user__isnull=True, email_lower=user.email.lower())
        return mine
    return Q(user__isnull=True, email_lower=email.lower())


def invitations_for(user) -> QuerySet:
    """Return every invitation to the person: to their account, or to their confirmed address."""
    return _with_lower_email(Invitation.objects.all()).filter(_addressed_to(user))


def waiting_for(user, *, now: datetime | None = None) -> QuerySet:
    """Return the invitations the person may still accept (not yet expired)."""
    return invitations_for(user).filter(expires_at__gt=now or timezone.now())


def is_addressed_to(invitation: Invitation, user) -> bool:
    if invitation.user_id is not None:
        return invitation.user_id == user.pk
    return bool(user.email) and invitation.email.lower() == user.email.lower()


def _invitee(who: str):
    """Return (account, address) for what the owner typed: an account, or an address without one."""
    text = who.strip()
    if text.startswith("@") and text.count("@") == 1:
        # "@sam", as people write usernames in comments.
        text = text[1:]
    if not text:
        raise Refused("Type the username or email address of the person to invite.")
    user = find_user(text)
    if user is not None and user.is_active:
        return user, ""
    if "@" not in text:
        raise Refused(
            f"No one here has the username “{text}”. Check the spelling, or invite them "
            "by email address: they can sign up and join."
        )
    try:
        validate_email(text)
    except ValidationError:
        raise Refused(f"“{text}” is not an email address.") from None
    if user is not None:
        raise Refused(f"The account of {text} is closed: it cannot be invited.")
    return None, text


def _pending_refusal(invitation: Invitation, name: str) -> Refused:
    until = timezone.localdate(invitation.expires_at)
    return Refused(
        f"An invitation to {name} is already waiting for an answer (until {until:%-d %B}). "
        "Withdraw it first to send another."
    )


@transaction.atomic
def invite(
    project: Project, *, by, who: str, role: str, now: datetime | None = None
) -> Invitation:
    """Invite someone by username or email address to a project, in a role.

    Refused (with the reason) for the Inbox, the owner, a member, someone with an
    invitation waiting already, and a username nobody has.
    """
    access.require_owner(by, project)
    if project.is_inbox:
        raise Refused("Your Inbox is yours alone: it cannot be shared. Share a project instead.")
    if role not in (Role.EDITOR, Role.VIEWER):
        raise Refused("Pick a role: editor or viewer.")
    now = now or timezone.now()
    # Two invitations sent at once to the same person: the second waits here, then sees the first.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    user, email = _invitee(who)
    if user is not None:
        if user.pk == project.owner_id:
            raise Refused("That is you: you own this project already.")
        if Membership.objects.filter(project=project, user=user).exists():
            raise Refused(f"{user.name} is already a member of “{project.name}”.")
    invitations = _with_lower_email(Invitation.objects.filter(project=project))
    to_them = invitations.filter(_addressed_to(user, email))
    # An expired invitation makes way for the new one.
    to_them.filter(expires_at__lte=now).delete()
    if waiting := to_them.first():
        raise _pending_refusal(waiting, user.name if user else email)
    if invitations.filter(expires_at__gt=now).count() >= MAX_WAITING:
        raise Refused(
            f"{MAX_WAITING} invitations to “{project.name}” are waiting for an answer: "
            "withdraw some before sending more."
        )
    invitation = Invitation.objects.create(
        project=project,
        invited_by=by,
        user=user,
        email=email,
        role=role,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    if user is not None:
        dispatch.notify(
            user,
            Notification.Kind.INVITATION,
            title=f"{by.name} invited you to “{project.name}”",
            body=(
                f"As {as_role(role)}, you can "
                f"{ROLE_POWERS[role]}. Accept or decline on your invitations page; "
                f"the invitation waits for {INVITATION_DAYS} days."
            ),
            path=reverse("todos:invitations"),
            now=now,
        )
    else:
        transaction.on_commit(partial(send_invitation.enqueue, invitation.pk))
    return invitation


def as_role(role: str) -> str:
    """Return "an editor" or "a viewer"."""
    return f"{'an' if role == Role.EDITOR else 'a'} {Role(role).label.lower()}"


def _audience_of(invitation: Invitation):
    """Return the ids of the accounts an invitation shows up for (their sidebars count it)."""
    if invitation.user_id is not None:
        return [invitation.user_id]
    users = get_user_model().objects.alias(email_lower=Lower("email"))
    return users.filter(email_lower=invitation.email.lower()).values("pk")


def _answered(invitation: Invitation) -> bool:
    """Take the invitation away; False when another request had already taken it."""
    deleted, _ = Invitation.objects.filter(pk=invitation.pk).delete()
    if deleted:
        changes.data_changed(_audience_of(invitation))
    return bool(deleted)


@transaction.atomic
def accept(invitation: Invitation, user, *, now: datetime | None = None) -> Membership | None:
    """Join the project in the invitation's role; the invitation is used up.

    Return the membership, or None when the project is the person's own by now.
    """
    if not is_addressed_to(invitation, user):
        raise Refused("This invitation is for someone else.")
    if invitation.expires_at <= (now or timezone.now()):
        inviter = invitation.invited_by.name if invitation.invited_by else "its owner"
        raise Refused(
            f"This invitation ran out on {timezone.localdate(invitation.expires_at):%-d %B}: "
            f"ask {inviter} to invite you again."
        )
    if not _answered(invitation):
        raise Refused("This invitation is no longer waiting: it was answered or withdrawn.")
    project = invitation.project
    if project.owner_id == user.pk:
        return None
    membership, _ = Membership.objects.get_or_create(
        project=project, user=user, defaults={"role": invitation.role}
    )
    return membership


def decline(invitation: Invitation, user) -> bool:
    """Say no to an invitation; False if it was no longer waiting."""
    if not is_addressed_to(invitation, user):
        raise Refused("This invitation is for someone else.")
    return _answered(invitation)


def withdraw(invitation: Invitation, *, by) -> bool:
    """Take back an invitation before it is answered; False if it was no longer waiting."""
    access.require_owner(by, invitation.project)
    return _answered(invitation)


def _membership(project: Project, user) -> Membership:
    membership = Membership.objects.filter(project=project, user=user).first()
    if membership is None:
        raise Refused(f"{user.name} is not a member of “{project.name}”.")
    return membership


def _drop(project: Project, user) -> bool:
    """End a membership; the member's tasks in the project go to nobody. False if none."""
    membership = Membership.objects.filter(project=project, user=user).first()
    if membership is None:
        return False
    Task.objects.filter(project=project, assignee=user).update(assignee=None)
    membership.delete()
    return True


@transaction.atomic
def leave(project: Project, user) -> bool:
    """Leave a project shared with you; False if you were no longer a member."""
    if project.owner_id == user.pk:
        raise Refused(f"You own “{project.name}”: hand it over to a member first, or delete it.")
    return _drop(project, user)


@transaction.atomic
def remove_member(project: Project, *, by, user) -> bool:
    """Take a member out of the project (owner only); False if they had left already."""
    access.require_owner(by, project)
    return _drop(project, user)


@transaction.atomic
def change_role(project: Project, *, by, user, role: str) -> bool:
    """Make a member an editor or a viewer (owner only); False if they were that already."""
    access.require_owner(by, project)
    if role not in (Role.EDITOR, Role.VIEWER):
        raise Refused("Pick a role: editor or viewer.")
    membership = _membership(project, user)
    if membership.role == role:
        return False
    membership.role = role
    # Saved (not updated) so the signal renews the member's caches: their controls change.
    membership.save(update_fields=["role"])
    return True


@transaction.atomic
def hand_over(project: Project, *, by, to) -> Project:
    """Make a member the project's owner; the old owner stays on as an editor.

    Every task of the project (sub-tasks and the trash's too) belongs to its
    project's owner, so they all move to the new one, with what is denormalised
    from them. Refused when the new owner has a project of that name already.
    """
    access.require_owner(by, project)
    membership = _membership(project, to)
    if project_name_taken(to, project.name):
        raise Refused(
            f"{to.name} already has a project called “{project.name}”: "
            "rename this one first, then hand it over."
        )
    old_owner_id = project.owner_id
    membership.delete()
    Membership.objects.create(project=project, user_id=old_owner_id, role=Role.EDITOR)
    moved = Project.objects.filter(pk=project.pk, owner_id=old_owner_id).update(
        owner=to,
        position=Project.objects.owned_by(to).count(),
        # A pin in the old owner's sidebar, not the new owner's choice.
        is_favourite=False,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not moved:
        raise Refused(f"“{project.name}” is no longer yours to hand over.")
    Task.objects.filter(project=project).update(owner=to)
    Completion.objects.filter(task__project=project).update(owner=to)
    Reminder.objects.filter(task__project=project).update(owner=to)
    project.refresh_from_db()
    return project


def signup_url() -> str:
    return f"{settings.SITE_URL}{reverse('accounts:signup')}"


@task()
def send_invitation(invitation_id: int) -> str:
    """Mail an invitation to an address without an account: what it offers and how to join."""
    invitation = (
        Invitation.objects.filter(pk=invitation_id, user__isnull=True)
        .select_related("project", "invited_by")
        .first()
    )
    if invitation is None:
        # Answered or withdrawn before the worker came to it.
        return "no longer waiting"
    context = {
        "invitation": invitation,
        "inviter": invitation.invited_by.name if invitation.invited_by else "Someone",
        "role": as_role(invitation.role),
        "powers": ROLE_POWERS[invitation.role],
        "days": INVITATION_DAYS,
        "signup_url": signup_url(),
        "invitations_url": f"{settings.SITE_URL}{reverse('todos:invitations')}",
    }
    subject = render_to_string("todos/email/invitation_subject.txt", context)
    body = render_to_string("todos/email/invitation_message.txt", context)
    send_later(EmailMultiAlternatives(" ".join(subject.split()), body, to=[invitation.email]))
    return "queued"
