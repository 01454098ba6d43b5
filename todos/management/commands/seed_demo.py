import random
import sys
from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from todos.models import Colour, Project, Tag, Task
from todos.services import ensure_inbox

DEMO_PASSWORD = "ticklist-demo"  # noqa: S105  (demo data only; printed on purpose)
PROJECTS = [
    "Work",
    "Home",
    "Errands",
    "Health",
    "Side project",
    "Garden",
    "Trip to Lisbon",
    "Finances",
    "Reading list",
    "Family",
    "Car",
    "Learning",
    "Music",
    "Friends",
    "Volunteering",
    "Kitchen",
    "Taxes",
    "Fitness",
    "Photography",
    "Ideas",
]
TAGS = [
    "bills",
    "phone",
    "email",
    "waiting",
    "errand",
    "computer",
    "quick",
    "deep-work",
    "weekend",
    "someday",
    "urgent",
    "shopping",
    "call",
    "read",
    "write",
    "plan",
    "review",
    "fix",
    "buy",
    "book",
    "meet",
    "clean",
    "cook",
    "study",
    "pay",
    "renew",
    "send",
    "ask",
    "check",
    "order",
]
VERBS = [
    "Call",
    "Email",
    "Buy",
    "Fix",
    "Plan",
    "Book",
    "Pay",
    "Read",
    "Write",
    "Clean",
    "Check",
    "Renew",
    "Order",
    "Send",
    "Review",
    "Prepare",
    "Cancel",
    "Schedule",
]
THINGS = [
    "the dentist",
    "rent",
    "groceries",
    "the bike",
    "holiday tickets",
    "insurance",
    "the quarterly report",
    "a birthday present",
    "the garden hose",
    "library books",
    "the tax return",
    "team notes",
    "the car service",
    "passport photos",
    "the plumber",
    "a thank-you card",
    "the budget",
    "running shoes",
    "the gym membership",
    "flowers",
]
BATCH = 2000


class Command(BaseCommand):
    help = "Create demo accounts full of realistic projects, tags and tasks."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=1, help="demo accounts (default 1)")
        parser.add_argument(
            "--tasks", type=int, default=300, help="tasks per account (default 300)"
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
        if if_empty and User.objects.exists():
            return
        names = ["demo", *(f"demo{n}" for n in range(2, users + 1))]
        if reset:
            User.objects.filter(username__in=names).delete()
        elif User.objects.filter(username__in=names).exists():
            raise CommandError("Demo accounts exist already; pass --reset to replace them.")
        rng = random.Random(seed)  # noqa: S311  (demo data, not secrets)
        progress = Progress(total=users * tasks, out=self.stdout)
        for name in names:
            with transaction.atomic():
                user = User.objects.create_user(name, f"{name}@example.com", DEMO_PASSWORD)
                seed_account(user, tasks=tasks, rng=rng, progress=progress)
        progress.finish()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo account ready: username “demo”, password “{DEMO_PASSWORD}”"
                + (f" (and demo2…demo{users} with the same password)" if users > 1 else "")
            )
        )


class Progress:
    """A one-line progress bar that redraws itself in place."""

    def __init__(self, *, total: int, out, width: int = 30):
        self.total, self.out, self.width, self.done = max(total, 1), out, width, 0
        self.tty = sys.stdout.isatty()

    def advance(self, count: int) -> None:
        self.done += count
        filled = self.width * self.done // self.total
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} tasks"
        self.out.write(("\r" if self.tty else "") + line, ending="" if self.tty else "\n")
        self.out.flush()

    def finish(self) -> None:
        if self.tty:
            self.out.write("")


def seed_account(user, *, tasks: int, rng: random.Random, progress: Progress) -> None:
    """Fill one account: projects, tags, tasks with dates around today, some done."""
    now = timezone.now()
    today = timezone.localdate()
    colours = list(Colour.values)
    inbox = ensure_inbox(user)
    projects = [
        inbox,
        *Project.objects.bulk_create(
            Project(owner=user, name=name, colour=rng.choice(colours), position=n)
            for n, name in enumerate(PROJECTS, start=1)
        ),
    ]
    tags = Tag.objects.bulk_create(
        Tag(owner=user, name=name, colour=rng.choice(colours)) for name in TAGS
    )
    positions = dict.fromkeys((p.pk for p in projects), 0)
    Link = Task.tags.through
    made = 0
    while made < tasks:
        batch = []
        for _ in range(min(BATCH, tasks - made)):
            project = rng.choice(projects)
            positions[project.pk] += 1
            due = today + timedelta(days=rng.randint(-10, 40)) if rng.random() < 0.6 else None
            done = rng.random() < 0.3
            batch.append(
                Task(
                    owner=user,
                    project=project,
                    position=positions[project.pk],
                    title=f"{rng.choice(VERBS)} {rng.choice(THINGS)}",
                    notes="See https://example.com/details" if rng.random() < 0.1 else "",
                    due_date=due,
                    due_time=time(rng.randint(7, 20)) if due and rng.random() < 0.3 else None,
                    priority=rng.choice([1, 2, 3, 4, 4, 4]),
                    completed_at=now - timedelta(hours=rng.randint(1, 500)) if done else None,
                )
            )
        created = Task.objects.bulk_create(batch)
        Link.objects.bulk_create(
            Link(task_id=task.pk, tag_id=tag.pk)
            for task in created
            if rng.random() < 0.4
            for tag in rng.sample(tags, rng.randint(1, 2))
        )
        # One level of sub-tasks: a few tasks become children of a neighbour.
        parents = created[::20]
        children = []
        for parent in parents:
            for child in rng.sample(created, 2):
                if child.pk != parent.pk and child not in parents:
                    child.parent_id, child.project_id = parent.pk, parent.project_id
                    children.append(child)
        Task.objects.bulk_update(children, ["parent", "project"], batch_size=BATCH)
        made += len(created)
        progress.advance(len(created))
