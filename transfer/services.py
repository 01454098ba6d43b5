"""Importing a file: read it into a plan for the preview, then write it once confirmed."""

from datetime import datetime
from pathlib import PurePath

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from transfer import importers
from transfer.models import PendingImport
from transfer.plan import Plan, Unreadable, decode, described
from transfer.writer import write

# A plan of more tasks is written by the background worker, within no request's time limit.
INLINE_TASKS = 2000


def read(format: str, text: str, *, user, filename: str = "", now: datetime) -> Plan:
    """Return what importing the text would create (Unreadable when it would create nothing)."""
    plan = importers.read(
        format, text, now=now, timezone=user.timezone, name=PurePath(filename).stem[:60]
    )
    if plan.empty:
        raise Unreadable("The file holds nothing Ticklist can import.")
    return plan


def upload(*, user, format: str, data: bytes, filename: str, now: datetime) -> PendingImport:
    """Keep an uploaded file for its preview, in place of the person's earlier one."""
    text = decode(data)
    read(format, text, user=user, filename=filename, now=now)
    with transaction.atomic():
        pending_of(user).filter(state=PendingImport.State.PREVIEW).delete()
        return PendingImport.objects.create(
            owner=user, format=format, filename=filename[:255], text=text
        )


def pending_of(user):
    """Return the person's pending imports: the one door to them."""
    return PendingImport.objects.filter(owner=user)


def confirm(pending: PendingImport, *, now: datetime) -> dict | None:
    """Write the import now, or hand a large one to the worker (None); return the counts."""
    plan = read(
        pending.format, pending.text, user=pending.owner, filename=pending.filename, now=now
    )
    if len(plan.tasks) > INLINE_TASKS:
        PendingImport.objects.filter(pk=pending.pk).update(state=PendingImport.State.QUEUED)
        transaction.on_commit(lambda: run_import.enqueue(pending.pk))
        return None
    counts = write(plan, pending.owner, now=now)
    pending.delete()
    return counts


@task()
def run_import(pending_id: int) -> None:
    """Write a confirmed import in the background; its page shows how it ended."""
    pending = PendingImport.objects.select_related("owner").filter(pk=pending_id).first()
    if pending is None or pending.state != PendingImport.State.QUEUED:
        return
    now = timezone.now()
    try:
        plan = read(
            pending.format, pending.text, user=pending.owner, filename=pending.filename, now=now
        )
        counts = write(plan, pending.owner, now=now)
    except Unreadable as error:
        pending.state, pending.message = PendingImport.State.FAILED, str(error)
    else:
        pending.state = PendingImport.State.DONE
        pending.message = summary(counts)
    pending.text = ""
    pending.save(update_fields=["state", "message", "text"])


def summary(counts: dict) -> str:
    made = ", ".join(described(counts))
    return f"Imported {made or 'nothing new'}."
