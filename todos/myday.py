"""My Day: the tasks a person plans to do today, and the tasks worth suggesting for it.

A plan is the person's MyDayEntry rows for one day, their local today. Nothing
empties it: at the start of their next day the entries are simply for another
day, and the tasks themselves were never touched. Old entries are purged when
the person next adds one, a week after their day.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from todos import changes
from todos.models import MyDayEntry, Task
from todos.querysets import BY_DAY
from todos.rows import TaskRow

# Entries this many days older than the day being planned are purged.
KEEP_DAYS = 7
# "Due soon" is the next three days; "Recently added" what was added yesterday or today.
SOON_DAYS = 3
RECENT_DAYS = 2
SUGGESTIONS_PER_GROUP = 5

OVERDUE, DUE_TODAY, DUE_SOON, RECENT = range(4)
GROUP_NAMES = {
    OVERDUE: "Overdue",
    DUE_TODAY: "Due today",
    DUE_SOON: "Due soon",
    RECENT: "Recently added",
}


def planned(user, day: date):
    """Return the person's tasks on their plan for a day, those in the trash left out."""
    return Task.objects.for_user(user).filter(my_day_entries__owner=user, my_day_entries__day=day)


def planned_ids(user, day: date) -> frozenset[int]:
    """Return the ids of the tasks on the person's plan for a day."""
    return frozenset(planned(user, day).values_list("pk", flat=True))


@transaction.atomic
def add(user, task: Task, *, day: date) -> bool:
    """Put one of the person's tasks on their plan for a day; return whether it was not there yet.

    Raise Task.DoesNotExist for a task that is not theirs or is in the trash.
    """
    Task.objects.for_user(user).filter(pk=task.pk).get()
    _, created = MyDayEntry.objects.get_or_create(owner=user, task=task, day=day)
    if created:
        # Nothing shows these; no cache depends on them.
        MyDayEntry.objects.filter(owner=user, day__lt=day - timedelta(days=KEEP_DAYS)).delete()
    return created


@transaction.atomic
def remove(user, task: Task, *, day: date) -> bool:
    """Take a task off the person's plan for a day; return whether it was on it."""
    entry = MyDayEntry.objects.filter(owner=user, task=task, day=day).first()
    if entry is None:
        return False
    # The model's delete renews the person's caches (todos.models.Owned).
    entry.delete()
    return True


def group_of(row: TaskRow, day: date) -> int:
    """Return the suggestion group of an open task, by its due date."""
    if row.due_date is None:
        return RECENT
    if row.due_date < day:
        return OVERDUE
    return DUE_TODAY if row.due_date == day else DUE_SOON


def suggestions(
    user, day: date, limit: int = SUGGESTIONS_PER_GROUP, *, archived=()
) -> list[tuple[str, list[TaskRow]]]:
    """Return the groups of open tasks to suggest for a day's plan, up to `limit` in each.

    Overdue, due today, due in the next SOON_DAYS days, and added in the last
    RECENT_DAYS days without a date; tasks already planned and those of the
    `archived` projects are left out. One query: each group is numbered by a
    window function and cut at `limit`.
    """
    since = datetime.combine(
        day - timedelta(days=RECENT_DAYS - 1), time.min, tzinfo=timezone.get_current_timezone()
    )
    group = Case(
        When(due_date__lt=day, then=Value(OVERDUE)),
        When(due_date=day, then=Value(DUE_TODAY)),
        When(due_date__isnull=False, then=Value(DUE_SOON)),
        default=Value(RECENT),
        output_field=IntegerField(),
    )
    tasks = (
        Task.objects.for_user(user)
        .outside_projects(archived)
        .open()
        .filter(
            Q(due_date__lte=day + timedelta(days=SOON_DAYS))
            | Q(due_date__isnull=True, created_at__gte=since)
        )
        .exclude(pk__in=planned(user, day).values("pk"))
        .annotate(
            suggestion_group=group,
            suggestion_rank=Window(
                RowNumber(), partition_by=group, order_by=[*BY_DAY, "-created_at", "-pk"]
            ),
        )
        .filter(suggestion_rank__lte=limit)
        .order_by("suggestion_group", "suggestion_rank")
    )
    groups = {number: [] for number in GROUP_NAMES}
    for row in tasks.as_rows():
        groups[group_of(row, day)].append(row)
    return [(GROUP_NAMES[number], found) for number, found in groups.items() if found]


# How long suggestions are kept; any change to the person's data renames them at once.
SUGGESTIONS_SECONDS = 300


def suggestions_for(user, day: date, *, archived=()) -> list[tuple[str, list[TaskRow]]]:
    """Return `suggestions`, cached per person, data version and day like the sidebar.

    Ranking every overdue task to pick five read a long backlog on each visit;
    the suggestions change only when the person's data does.
    """
    key = f"todos:my_day_suggestions:{changes.person_key(user)}:{day.isoformat()}"
    return changes.remembered(
        key, lambda: suggestions(user, day, archived=archived), SUGGESTIONS_SECONDS
    )
