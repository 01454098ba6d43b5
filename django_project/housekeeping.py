"""Rows that are only kept for a while: what `manage.py prune_records` deletes each day."""

from datetime import datetime, timedelta

from todos.models import Tombstone
from transfer.models import PendingImport
from webhooks.models import Delivery

# An upload waits this long for its confirmation; a finished import's note, a week.
IMPORT_PREVIEW = timedelta(days=1)
IMPORT_DONE = timedelta(days=7)
# A client that has not synced for longer reads everything again.
TOMBSTONES = timedelta(days=90)
# Long enough to see why a receiver failed last month.
DELIVERIES = timedelta(days=30)


def prune(*, now: datetime, dry_run: bool = False) -> dict[str, int]:
    """Delete what has outlived its use; return how many of each kind."""
    stale = {
        "import previews": PendingImport.objects.filter(
            state=PendingImport.State.PREVIEW, created_at__lt=now - IMPORT_PREVIEW
        ),
        "finished imports": PendingImport.objects.filter(
            state__in=[PendingImport.State.DONE, PendingImport.State.FAILED],
            created_at__lt=now - IMPORT_DONE,
        ),
        "tombstones": Tombstone.objects.filter(deleted_at__lt=now - TOMBSTONES),
        "webhook deliveries": Delivery.objects.filter(created_at__lt=now - DELIVERIES).exclude(
            status=Delivery.Status.PENDING
        ),
    }
    counts = {}
    for kind, rows in stale.items():
        counts[kind] = rows.count() if dry_run else rows.delete()[0]
    return counts
