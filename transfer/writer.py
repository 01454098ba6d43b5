"""Write a Plan into a person's account, all or nothing, through the services the pages use."""

from collections.abc import Callable
from datetime import datetime

from django.db import transaction

from reminders import schedule
from reminders.models import Reminder
from todos import services
from todos.models import Comment, Completion, Project, Task
from transfer.plan import Plan


def free_name(user, name: str) -> str:
    """Return the name, or "name (imported)", "name (imported 2)" … if the person has it."""
    candidate, n = name, 1
    while services.project_name_taken(user, candidate):
        n += 1
        suffix = " (imported)" if n == 2 else f" (imported {n - 1})"
        candidate = name[: 100 - len(suffix)] + suffix
    return candidate


@transaction.atomic
def write(
    plan: Plan, user, *, now: datetime, advance: Callable[[int], None] | None = None
) -> dict:
    """Create what the plan holds for `user`; return the counts created."""
    advance = advance or (lambda count: None)
    if plan.profile:
        for field, value in plan.profile.items():
            setattr(user, field, value)
        user.save(update_fields=list(plan.profile))
    projects: dict[str, Project] = {}
    for name, planned in plan.projects.items():
        if planned.is_inbox:
            project = services.ensure_inbox(user)
        else:
            # A clash keeps both: the imported tasks go to a new project beside the old one.
            project = services.create_project(
                owner=user, name=free_name(user, name), colour=planned.colour
            )
        fields = {
            "is_archived": planned.is_archived,
            "is_favourite": planned.is_favourite,
            "colour": planned.colour,
        }
        if planned.position is not None:
            fields["position"] = planned.position
        if planned.created_at is not None:
            fields["created_at"] = planned.created_at
        Project.objects.filter(pk=project.pk).update(**fields)
        projects[name] = project
    new_tags = set(services.new_tag_names(user, plan.tags))
    tags = {}
    for tag in services.tags_named(user, plan.tags):
        tags[tag.name.casefold()] = tag
        if tag.name in new_tags and plan.tags.get(tag.name) != tag.colour:
            tag.colour = plan.tags[tag.name]
            tag.save(update_fields=["colour"])
    made: list[Task] = []
    reminders = []
    for planned in plan.tasks:
        task = services.create_task(
            owner=user,
            project=projects[planned.project],
            title=planned.title,
            notes=planned.notes,
            due_date=planned.due_date,
            due_time=planned.due_time,
            priority=planned.priority,
            tags=[tags[name.casefold()] for name in planned.tags],
            parent=made[planned.parent] if planned.parent is not None else None,
            recurrence=planned.recurrence,
            recurrence_mode=planned.recurrence_mode,
            assignee=user if planned.assigned_to_me else None,
        )
        made.append(task)
        fields = {
            name: value
            for name in ("position", "completed_at", "deleted_at", "created_at", "updated_at")
            if (value := getattr(planned, name)) is not None
        }
        if fields:
            # updated_at is set by every save: only an update() keeps the file's.
            Task.objects.filter(pk=task.pk).update(**fields)
        Completion.objects.bulk_create(
            Completion(
                task=task,
                owner_id=task.owner_id,
                completed_by=user if done["mine"] else None,
                completed_at=done["completed_at"],
                due_date=done["due_date"],
            )
            for done in planned.completions
        )
        for said in planned.comments:
            comment = Comment.objects.create(
                task=task, author=user if said["mine"] else None, body=said["body"]
            )
            stamps = {key: said[key] for key in ("created_at", "edited_at") if said.get(key)}
            if stamps:
                Comment.objects.filter(pk=comment.pk).update(**stamps)
        if planned.comments:
            Task.objects.filter(pk=task.pk).update(comment_count=len(planned.comments))
        for when in planned.reminders:
            kind = Reminder.Kind.AT if "at" in when else Reminder.Kind.BEFORE
            reminders.append(Reminder(task=task, owner_id=user.pk, kind=kind, **when))
        advance(1)
    Reminder.objects.bulk_create(reminders)
    schedule.resync([task.pk for task in made], now=now)
    # A reminder whose moment passed before the import does not go off now.
    Reminder.objects.filter(task__in=made, fired_at__isnull=True, remind_at__lt=now).update(
        fired_at=now
    )
    return plan.counts
