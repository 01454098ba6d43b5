import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from django_project.progress import progress_bar
from todos.management.demo_week import PROJECTS, TAGS, WEEK, WEEK_TASKS, Todo
from todos.models import INBOX_NAME, Colour, Project, Tag, Task
from todos.services import ensure_inbox

DEMO_PASSWORD = "ticklist-demo"  # noqa: S105  (demo data only; printed on purpose)
BATCH = 2000


class Command(BaseCommand):
    help = (
        "Create demo accounts: one person's week of projects, tags and tasks, and more on request."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=1, help="demo accounts (default 1)")
        parser.add_argument(
            "--tasks",
            type=int,
            default=WEEK_TASKS,
            help=f"tasks per account (default {WEEK_TASKS}: the written week; "
            "beyond it, more of the same on other days)",
        )
        parser.add_argument(
            "--reset", action="store_true", help="delete existing demo accounts first"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when any account exists already"
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="random seed, for repeatable data"
        )

    def handle(self, *args, users, tasks, reset, if_empty, seed, **options):
        if users < 1 or tasks < 0:
            raise CommandError("--users must be at least 1 and --tasks zero or more.")
        User = get_user_model()
        if if_empty and (existing := User.objects.count()):
            self.stdout.write(
                f"Skipped: the database already has {existing} user{pluralize(existing)}, "
                "and --if-empty adds demo data only to an empty one."
            )
            return
        names = ["demo", *(f"demo{n}" for n in range(2, users + 1))]
        if reset:
            deleted = User.objects.filter(username__in=names).delete()[1].get(User._meta.label, 0)
            if deleted:
                self.stdout.write(f"Deleted {deleted} existing demo account{pluralize(deleted)}.")
        elif User.objects.filter(username__in=names).exists():
            raise CommandError("Demo accounts exist already; pass --reset to replace them.")
        rng = random.Random(seed)  # noqa: S311  (demo data, not secrets)
        accounts = []
        with progress_bar(self.stdout, total=users * tasks, label="tasks") as advance:
            for name in names:
                with transaction.atomic():
                    user = User.objects.create_user(name, f"{name}@example.com", DEMO_PASSWORD)
                    seed_account(user, tasks=tasks, rng=rng, advance=advance)
                accounts.append(user)
        others = "demo2" if users == 2 else f"demo2…demo{users}"
        made = Task.objects.filter(owner__in=accounts)
        self.stdout.write(
            f"Created {users} demo account{pluralize(users)} with "
            f"{Project.objects.filter(owner__in=accounts).count()} projects, "
            f"{Tag.objects.filter(owner__in=accounts).count()} tags and "
            f"{made.count()} tasks ({made.completed().count()} completed)"
            + (" in all." if users > 1 else ".")
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo account ready: username “demo”, password “{DEMO_PASSWORD}”"
                + (f" (and {others} with the same password)" if users > 1 else "")
            )
        )


@dataclass(frozen=True)
class Planned:
    """One task to create, in its project, with its sub-tasks."""

    project: str
    todo: Todo
    completed_at: datetime | None
    steps: tuple[tuple[Todo, datetime | None], ...]


def the_week(now: datetime):
    """Yield the written week, a task of every project in turn, so any prefix spans them all."""
    lists = [[(name, item) for item in items] for name, (_, items) in WEEK.items()]
    for name, item in itertools.chain.from_iterable(
        itertools.zip_longest(*lists, fillvalue=(None, None))
    ):
        if name is not None:
            yield Planned(
                name,
                item,
                ticked_off(item, now),
                tuple((step, ticked_off(step, now)) for step in item.steps),
            )


def ticked_off(item: Todo, now: datetime) -> datetime | None:
    """Return when a done task was completed: on its due day, or yesterday."""
    if not item.done:
        return None
    return now - timedelta(days=max(-(item.due or 0), 1), hours=2)


def more_of_the_same(rng: random.Random, now: datetime):
    """Yield tasks without end: the week's own, on other days and some of them done.

    Dates, times and completion are spread as the benchmark expects: 60% due from
    ten days ago to 40 ahead, a third of those at a time of day, 30% completed.
    """
    names = [INBOX_NAME, *PROJECTS]
    while True:
        name = rng.choice(names)
        item = rng.choice(WEEK[name][1])
        due = rng.randint(-10, 40) if rng.random() < 0.6 else None
        at = None
        if due is not None and (item.at or rng.random() < 0.3):
            at = item.at or time(rng.randint(7, 20))
        item = replace(item, due=due, at=at)
        done = now - timedelta(hours=rng.randint(1, 500)) if rng.random() < 0.3 else None
        steps = item.steps if rng.random() < 0.5 else ()
        yield Planned(
            name,
            item,
            done,
            tuple((step, done or done_lately(rng, now)) for step in steps),
        )


def done_lately(rng: random.Random, now: datetime) -> datetime | None:
    """Return, for three sub-tasks in ten, when in the last few days it was ticked off."""
    return now - timedelta(hours=rng.randint(1, 100)) if rng.random() < 0.3 else None


def seed_account(user, *, tasks: int, rng: random.Random, advance: Callable[[int], None]) -> None:
    """Fill one account: the written week first, then as many more tasks as asked for."""
    now = timezone.now()
    today = timezone.localdate()
    projects = {INBOX_NAME: ensure_inbox(user)}
    projects.update(
        (project.name, project)
        for project in Project.objects.bulk_create(
            Project(owner=user, name=name, colour=WEEK[name][0], position=n)
            for n, name in enumerate(PROJECTS, start=1)
        )
    )
    colours = list(Colour.values)
    tags = {
        tag.name: tag
        for tag in Tag.objects.bulk_create(
            Tag(owner=user, name=name, colour=rng.choice(colours)) for name in TAGS
        )
    }
    plan = itertools.chain(the_week(now), more_of_the_same(rng, now))
    positions = dict.fromkeys(projects, 0)
    made = 0
    while made < tasks:
        budget, batch = min(BATCH, tasks - made), []
        while budget > 0:
            planned = next(plan)
            planned = replace(planned, steps=planned.steps[: budget - 1])
            batch.append(planned)
            budget -= 1 + len(planned.steps)
        created = create(user, batch, projects, tags, positions, today)
        made += created
        advance(created)


def create(user, batch: list[Planned], projects, tags, positions, today: date) -> int:
    """Create a batch of planned tasks, their sub-tasks and tags in three queries."""

    def task(item: Todo, project: Project, position: int, completed_at, parent=None) -> Task:
        return Task(
            owner=user,
            project=project,
            parent=parent,
            position=position,
            title=item.title,
            notes=item.notes,
            due_date=today + timedelta(days=item.due) if item.due is not None else None,
            due_time=item.at if item.due is not None else None,
            priority=item.priority,
            completed_at=completed_at,
            recurrence=item.repeat if item.due is not None and not completed_at else "",
        )

    parents = []
    for planned in batch:
        positions[planned.project] += 1
        parents.append(
            task(
                planned.todo,
                projects[planned.project],
                positions[planned.project],
                planned.completed_at,
            )
        )
    parents = Task.objects.bulk_create(parents)
    children, items = [], [planned.todo for planned in batch]
    for parent, planned in zip(parents, batch, strict=True):
        for n, (step, completed_at) in enumerate(planned.steps, start=1):
            children.append(task(step, parent.project, n, completed_at, parent=parent))
            items.append(step)
    children = Task.objects.bulk_create(children)
    Link = Task.tags.through
    Link.objects.bulk_create(
        Link(task_id=created.pk, tag_id=tags[name].pk)
        for created, item in zip(parents + children, items, strict=True)
        for name in item.tags
    )
    return len(parents) + len(children)
