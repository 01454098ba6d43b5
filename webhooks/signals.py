"""Every recorded change of a task or comment, from any write path, becomes webhook events.

django-simple-history records every write (saves through its own signal, queryset
updates and bulk inserts through todos.history, which sends the same signal for
the records it writes), so listening to `post_create_historical_record` hears
the web, the admin, commands, the worker and the API alike. Nothing is looked at
here: the record ids of a transaction go to the worker once it commits.
"""

from django.db import transaction
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from todos.models import Comment, Task


@receiver(post_create_historical_record, sender=Task.history.model, dispatch_uid="webhooks_task")
@receiver(
    post_create_historical_record, sender=Comment.history.model, dispatch_uid="webhooks_comment"
)
def _queue_record(sender, history_instance, using=None, **kwargs):
    """Note the record; after the commit, hand the transaction's records to the worker."""
    label = "comment" if sender is Comment.history.model else "task"
    record = (label, history_instance.history_id)
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _send([record])
        return
    # The records of a transaction wait on its outermost block. Each gets its own
    # callback, since a rolled-back savepoint drops the callbacks made inside it:
    # the first to run after the commit takes them all, the others find none.
    outermost = connection.atomic_blocks[0]
    records = getattr(outermost, "webhook_records", None)
    if records is None:
        records = outermost.webhook_records = []
    records.append(record)
    transaction.on_commit(lambda: _flush(outermost), using=using)


def _flush(outermost) -> None:
    records, outermost.webhook_records = getattr(outermost, "webhook_records", None) or [], []
    if records:
        _send(records)


def _send(records: list) -> None:
    from webhooks.events import fan_out

    # A record of a rolled-back savepoint may be among them: fan_out skips ids
    # it cannot find, and makes one delivery per webhook and record at most.
    fan_out.enqueue(list(dict.fromkeys(records)))
