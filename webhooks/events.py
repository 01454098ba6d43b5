"""Turn recorded changes into deliveries for the webhooks of everyone who can see them."""

import json
import uuid

from django.db.models import OuterRef, Q, Subquery
from django.tasks import task
from django.utils import timezone

from todos.models import Comment, Project, Task
from webhooks.models import Delivery, Event, Webhook
from webhooks.payloads import comment_payload, task_payload


def _classify(record) -> str | None:
    """Return the event a task's record is, None for one already told (a purge from the trash)."""
    if record.history_type == "+":
        return Event.TASK_CREATED
    if record.history_type == "-":
        return None if record.deleted_at is not None else Event.TASK_DELETED
    if record.deleted_at is not None and record.was_deleted is None:
        return Event.TASK_DELETED
    if record.completed_at is not None and record.was_completed is None:
        return Event.TASK_COMPLETED
    if record.deleted_at is not None:
        return None
    return Event.TASK_UPDATED


def body_of(event: str, data: dict, when=None) -> str:
    """Return the JSON a delivery sends."""
    when = when or timezone.now()
    return json.dumps(
        {"type": event, "timestamp": when.isoformat(), "data": data}, separators=(",", ":")
    )


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def _task_events(ids: list[int]) -> list[tuple[str, object]]:
    history = Task.history.model.objects
    earlier = history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by(
        "-history_id"
    )
    records = history.filter(history_id__in=ids).annotate(
        was_completed=Subquery(earlier.values("completed_at")[:1]),
        was_deleted=Subquery(earlier.values("deleted_at")[:1]),
    )
    return [(event, r) for r in records.order_by("history_id") if (event := _classify(r))]


def _comment_events(ids: list[int]) -> list[tuple[str, object]]:
    records = Comment.history.model.objects.filter(history_id__in=ids, history_type="+")
    return [(Event.COMMENT_ADDED, record) for record in records.order_by("history_id")]


class Audience:
    """Which of the tasks an event is about a webhook's owner can see, read once per owner."""

    def __init__(self, task_of: dict[int, tuple[int, int]]):
        # task id -> (owner id, project id), as the task was at its last record.
        self.task_of = task_of
        self.seen: dict[int, tuple[set[int], set[int]]] = {}

    def sees(self, owner, task_id: int) -> bool:
        if owner.pk not in self.seen:
            ids = list(self.task_of)
            tasks = set(
                Task.objects.owned_by(owner).filter(pk__in=ids).values_list("pk", flat=True)
            )
            projects = {project for _, project in self.task_of.values()}
            shared = set(
                Project.objects.for_user(owner)
                .filter(pk__in=projects)
                .values_list("pk", flat=True)
            )
            self.seen[owner.pk] = (tasks, shared)
        tasks, projects = self.seen[owner.pk]
        if task_id in tasks:
            return True
        # A purged task is gone from the door: it was theirs, or in a project they see.
        owner_id, project_id = self.task_of[task_id]
        exists = Task._base_manager.filter(pk=task_id).exists()
        return not exists and (owner_id == owner.pk or project_id in projects)


@task()
def fan_out(records: list[list]) -> int:
    """Make and queue the deliveries of these history records (["task"|"comment", id])."""
    if not Webhook.objects.filter(is_active=True).exists():
        return 0
    events = _task_events([pk for label, pk in records if label == "task"])
    events += _comment_events([pk for label, pk in records if label == "comment"])
    if not events:
        return 0
    task_of = {
        r.id: (r.owner_id, r.project_id) for event, r in events if event != Event.COMMENT_ADDED
    }
    comment_tasks = {r.task_id for event, r in events if event == Event.COMMENT_ADDED}
    for pk, owner_id, project_id in Task._base_manager.filter(pk__in=comment_tasks).values_list(
        "pk", "owner_id", "project_id"
    ):
        task_of[pk] = (owner_id, project_id)
    owners = {owner for owner, _ in task_of.values()}
    projects = {project for _, project in task_of.values()}
    webhooks = (
        Webhook.objects.filter(is_active=True)
        .filter(Q(owner_id__in=owners) | Q(owner__memberships__project_id__in=projects))
        .select_related("owner")
        .distinct()
    )
    tags: dict[int, list[str]] = {}
    for task_id, name in Task.tags.through.objects.filter(task_id__in=list(task_of)).values_list(
        "task_id", "tag__name"
    ):
        tags.setdefault(task_id, []).append(name)
    audience = Audience(task_of)
    deliveries = []
    for webhook in webhooks:
        for event, record in events:
            if event not in webhook.events:
                continue
            task_id = record.task_id if event == Event.COMMENT_ADDED else record.id
            if task_id not in task_of or not audience.sees(webhook.owner, task_id):
                continue
            if event == Event.COMMENT_ADDED:
                data = comment_payload(record.instance)
                label = "comment"
            else:
                data = task_payload(record.instance, tags=tags.get(record.id))
                label = "task"
            deliveries.append(
                Delivery(
                    webhook=webhook,
                    message_id=new_message_id(),
                    event=event,
                    source=f"{label}:{record.history_id}",
                    body=body_of(event, data, record.history_date),
                )
            )
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    from webhooks.delivery import deliver

    made = Delivery.objects.filter(message_id__in=[d.message_id for d in deliveries])
    count = 0
    for pk in made.values_list("pk", flat=True):
        deliver.enqueue(pk)
        count += 1
    return count
