"""Comments on tasks: who may write, edit and delete them, and whom they mention.

Any member who can see a task may comment on it (the caller fetched the task
through the one door, `Task.objects.for_user`). Its author may edit or delete a
comment for EDIT_WINDOW after writing it; the project's owner may delete any
comment at any time. `@username` tells that member of the project (its owner
too) once per comment, however often it is edited; a name that is no member's
tells nobody, and nothing says whether such an account exists.
"""

import re
from collections.abc import Container, Iterator
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import Truncator

from reminders import dispatch
from reminders.models import Notification
from todos.models import Comment, Membership, Task

MAX_LENGTH = 5000
EDIT_WINDOW = timedelta(minutes=15)
# How much of a comment a notification of a mention quotes.
QUOTED = 280

EMPTY = "Write something before sending the comment."
TOO_LONG = "A comment can be at most 5,000 characters long; this one has %(length)s."
NULL = "A comment cannot contain null characters."
NOT_YOURS = "Only its author can edit a comment."
TOO_LATE = (
    "A comment can be edited or deleted for 15 minutes after it is written, and this one is older."
)
NOT_DELETABLE = (
    "Only its author, in the first 15 minutes, or the project's owner can delete a comment."
)

# A link: http or https and everything up to a space or a character no URL holds unquoted.
# One pass, no backtracking: the run after the scheme ends at the first such character.
URL = re.compile(r"\bhttps?://[^\s<>\"]+", re.IGNORECASE)
# @username with the characters usernames allow (accounts.validators.UsernameValidator),
# not in the middle of a word or an email address.
MENTION = re.compile(r"(?<![\w.+@-])@([\w.+-]+)")
# What ends a sentence around a link rather than the link itself.
TRAILING = frozenset(".,;:!?'*")


def clean_body(body: str) -> str:
    """Return a comment's text as it is kept: line breaks as \\n, no spaces around it."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError(EMPTY, code="empty")
    if "\x00" in text:
        raise ValidationError(NULL, code="null_characters_not_allowed")
    if len(text) > MAX_LENGTH:
        raise ValidationError(TOO_LONG, code="too_long", params={"length": f"{len(text):,}"})
    return text


# Reading a comment: its links and mentions


def _link_end(text: str, start: int, end: int) -> int:
    """Return where a link found at text[start:end] really ends, before closing punctuation.

    A ")" closes the link only while the link has opened more "(" than it closed
    (Wikipedia's addresses); counted once, so a run of them costs one pass.
    """
    opened = text.count("(", start, end)
    closed = text.count(")", start, end)
    while end > start:
        last = text[end - 1]
        if last in TRAILING:
            end -= 1
        elif last == ")" and closed > opened:
            closed -= 1
            end -= 1
        else:
            break
    return end


def _mentions(text: str, names: Container[str]) -> Iterator[tuple[str, str]]:
    """Split plain text (no links) into ("text", ...) and ("mention", name) pieces."""
    position = 0
    for match in MENTION.finditer(text):
        # "@sam." ends a sentence: "sam." is a username only if someone has it.
        name = match.group(1)
        if name.casefold() not in names:
            name = name.rstrip(".")
            if not name or name.casefold() not in names:
                continue
        if match.start() > position:
            yield "text", text[position : match.start()]
        yield "mention", name
        position = match.start() + 1 + len(name)
    if position < len(text):
        yield "text", text[position:]


def pieces(text: str, names: Container[str] = ()) -> Iterator[tuple[str, str]]:
    """Split a comment into ("text", …), ("link", url) and ("mention", name) pieces, in order.

    `names` are the casefolded usernames that count as mentions: the members of the
    task's project as it is written, those it told as it is shown. The pieces' values put together give the text back; the cost
    grows with the length of the text and nothing else.
    """
    position = 0
    for match in URL.finditer(text):
        end = _link_end(text, match.start(), match.end())
        if text[match.start() : end].endswith("://"):
            continue
        yield from _mentions(text[position : match.start()], names)
        yield "link", text[match.start() : end]
        position = end
    yield from _mentions(text[position:], names)


def members_by_name(task: Task) -> dict:
    """Return the people of the task's project, its owner and members, by casefolded username."""
    members = Membership.objects.filter(project_id=task.project_id).values("user_id")
    people = get_user_model().objects.filter(
        Q(pk=task.owner_id) | Q(pk__in=members), is_active=True
    )
    return {person.username.casefold(): person for person in people}


def mentioned(text: str, members: dict) -> list:
    """Return the members a text mentions, each once, in the order it names them."""
    people = {}
    for kind, name in pieces(text, members):
        if kind == "mention":
            person = members[name.casefold()]
            people.setdefault(person.pk, person)
    return list(people.values())


def _newly_mentioned(comment: Comment) -> list:
    """Return the members its text mentions who were not told yet, and note them as told.

    Its author is never told of their own comment.
    """
    if "@" not in comment.body:
        return []
    told = set(comment.mentioned)
    people = [
        person
        for person in mentioned(comment.body, members_by_name(comment.task))
        if person.pk != comment.author_id and person.username.casefold() not in told
    ]
    comment.mentioned = [*comment.mentioned, *(person.username.casefold() for person in people)]
    return people


def _tell(comment: Comment, people: list) -> None:
    task = comment.task
    title = f"{comment.author.name} mentioned you on “{task.title}”"
    quote = Truncator(comment.body).chars(QUOTED)
    for person in people:
        dispatch.notify(person, Notification.Kind.MENTION, title=title, body=quote, task=task)


# Who may do what


def in_window(comment: Comment, now: datetime) -> bool:
    return now - comment.created_at <= EDIT_WINDOW


def may_edit(comment: Comment, user, now: datetime) -> bool:
    return (
        comment.author_id is not None and comment.author_id == user.pk and in_window(comment, now)
    )


def may_delete(comment: Comment, user, now: datetime) -> bool:
    """Say whether the person may delete it: its author for a while, the project's owner always.

    A task belongs to its project's owner (todos.models.Task.owner).
    """
    return may_edit(comment, user, now) or comment.task.owner_id == user.pk


def require_author(comment: Comment, user) -> None:
    """Refuse (403) anyone but its author the edit page of a comment."""
    if comment.author_id is None or comment.author_id != user.pk:
        raise PermissionDenied(NOT_YOURS)


def require_edit(comment: Comment, user, now: datetime) -> None:
    require_author(comment, user)
    if not in_window(comment, now):
        raise PermissionDenied(TOO_LATE)


def require_delete(comment: Comment, user, now: datetime) -> None:
    if not may_delete(comment, user, now):
        raise PermissionDenied(NOT_DELETABLE)


# Writes


@transaction.atomic
def add(task: Task, author, body: str) -> Comment:
    """Write a comment on a task the author can see; tell the members it mentions."""
    comment = Comment(task=task, author=author, body=clean_body(body))
    told = _newly_mentioned(comment)
    comment._history_user = author
    comment.save()
    # The row shows the count; a comment is not an edit of the task, so no new version.
    Task.objects.filter(pk=task.pk).update(comment_count=F("comment_count") + 1)
    _tell(comment, told)
    return comment


@transaction.atomic
def edit(comment: Comment, by, body: str, *, now: datetime | None = None) -> bool:
    """Change its author's comment in its first minutes; tell only the newly mentioned.

    Return whether the text changed (sending it again as it is marks nothing edited).
    """
    now = now or timezone.now()
    require_edit(comment, by, now)
    text = clean_body(body)
    if text == comment.body:
        return False
    comment.body, comment.edited_at = text, now
    told = _newly_mentioned(comment)
    comment._history_user = by
    comment.save(update_fields=["body", "edited_at", "mentioned"])
    _tell(comment, told)
    return True


@transaction.atomic
def delete(comment: Comment, by, *, now: datetime | None = None) -> bool:
    """Delete a comment its author or the project's owner may delete; False if already gone."""
    require_delete(comment, by, now or timezone.now())
    comment._history_user = by
    return remove(comment)


@transaction.atomic
def remove(comment: Comment) -> bool:
    """Delete a comment whoever asks (staff, in the admin), keeping its task's count right."""
    deleted, _ = comment.delete()
    if deleted:
        Task.objects.filter(pk=comment.task_id, comment_count__gt=0).update(
            comment_count=F("comment_count") - 1
        )
    return bool(deleted)


# Reads


def listed(task: Task, viewer, *, now: datetime | None = None) -> list[Comment]:
    """Return the task's comments for its page, in one query: each with its author and what
    the viewer may do with it."""
    now = now or timezone.now()
    comments = list(task.comments.select_related("author"))
    for comment in comments:
        comment.may_edit = may_edit(comment, viewer, now)
        comment.may_delete = may_delete(comment, viewer, now)
    return comments
