"""What a delivery says about a task or a comment: one function per object.

Kept apart so that it can become the API's serializer of the same object.
"""


def _time(value):
    return value.isoformat() if value is not None else None


def task_payload(task, *, tags: list[str] | None = None) -> dict:
    """Return a task's fields as a delivery's `data`."""
    return {
        "id": task.pk,
        "title": task.title,
        "notes": task.notes,
        "project_id": task.project_id,
        "parent_id": task.parent_id,
        "owner_id": task.owner_id,
        "assignee_id": task.assignee_id,
        "due_date": _time(task.due_date),
        "due_time": _time(task.due_time),
        "priority": task.priority,
        "recurrence": task.recurrence,
        "tags": sorted(tags or []),
        "completed": task.completed_at is not None,
        "completed_at": _time(task.completed_at),
        "deleted_at": _time(task.deleted_at),
        "created_at": _time(task.created_at),
        "version": task.version,
    }


def comment_payload(comment) -> dict:
    """Return a comment's fields as a delivery's `data`."""
    return {
        "id": comment.pk,
        "task_id": comment.task_id,
        "author_id": comment.author_id,
        "body": comment.body,
        "created_at": _time(comment.created_at),
    }
