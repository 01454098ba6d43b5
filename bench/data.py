"""Build the benchmark's accounts and measure pages in-process, inside Django.

`bench.py` runs these through `manage.py shell -c` with the production
environment, so they see exactly the database and settings gunicorn sees. The
tasks themselves come from `seed_demo`'s `seed_account`, the same generator as
the demo data: 21 projects (Inbox included), 30 tags, one level of sub-tasks,
60% with due dates from 10 days ago to 40 ahead, 30% completed.

Each growth account also gets a fixed page's worth of tasks (FULL_PAGE open ones
due today in Work, COMPLETED_SHOWN completed), so Today and Work show full pages
at every size: from 100 to 100,000 tasks only the data around them grows, not
what is rendered.

The shared account (SHARED) has tasks of its own like the others, and is an
editor of SHARED_PROJECTS projects of other accounts, each with SHARED_MEMBERS
more members and `shared_tasks` tasks spread as seed_demo spreads them; a
quarter are assigned to it, a quarter to another member, the rest to nobody.

The measured account also has a personal access token that reads and writes;
its secret is in the targets, for the API endpoints.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from time import perf_counter

# The bare views' addresses (bench/urls.py), served with bench/settings.py only.
BARE_PATH = "/bench/bare/"
BARE_SIGNED_IN_PATH = "/bench/bare-signed-in/"
PASSWORD = "bench-password-not-secret"  # noqa: S105  (throwaway accounts in a throwaway database)
MAIN = "bench"
PROJECT = "Work"
TAG = "bills"
# Tasks on today's plan (My Day), as a person keeps one.
MY_DAY = 12
SEARCH = "rent"
TOGGLE_PROJECT = "Ideas"
TOGGLE_POOL = 200
FULL_PAGE = 60
COMPLETED_SHOWN = 20
# What the API's quick add is sent: a date, a time, a priority and a project to parse.
API_QUICK_ADD = "Call the bank tomorrow 9am p2 #Work"
SHARED = "sharer"
SHARED_PROJECTS = 20
SHARED_MEMBERS = 4


@dataclass(frozen=True)
class Plan:
    """How much data to build: the measured account, the others, the growth steps."""

    main_tasks: int
    others: int
    other_tasks: int
    growth: tuple[int, ...]
    # Tasks in each of the shared account's SHARED_PROJECTS projects.
    shared_tasks: int = 500


# The growth target compares 10,000 tasks with 100,000, which only the full plan
# builds; the quick one stops at 10,000 and compares 1,000 with it (bench.flat_sizes).
FULL = Plan(main_tasks=10_000, others=50, other_tasks=1_000, growth=(100, 1_000, 10_000, 100_000))
QUICK = Plan(
    main_tasks=10_000, others=10, other_tasks=500, growth=(100, 1_000, 10_000), shared_tasks=250
)


def growth_username(size: int) -> str:
    return f"grow{size}"


def make_account(username: str, tasks: int, rng: random.Random, *, password: str | None):
    """Create one user and fill it with seed_demo's generator."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from todos.management.commands.seed_demo import seed_account

    with transaction.atomic():
        user = get_user_model()(username=username, email=f"{username}@example.com")
        # Argon2 costs ~50 ms a user; only accounts that sign in need a password.
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        seed_account(user, tasks=tasks, rng=rng, advance=lambda count: None)
    return user


def fill_pages(user, rng: random.Random) -> None:
    """Give Today and the Work project a full page whatever the account's size."""
    from django.db.models import Max
    from django.utils import timezone

    from todos.management.demo_week import titles
    from todos.models import Project, Tag, Task

    project = Project.objects.get(owner=user, name=PROJECT)
    tags = list(Tag.objects.for_user(user))
    top = Task.objects.filter(project=project).aggregate(top=Max("position"))["top"] or 0
    now, today = timezone.now(), timezone.localdate()
    created = Task.objects.bulk_create(
        Task(
            owner=user,
            project=project,
            position=top + n,
            title=rng.choice(titles(PROJECT)),
            due_date=today,
            completed_at=now if n > FULL_PAGE else None,
        )
        for n in range(1, FULL_PAGE + COMPLETED_SHOWN + 1)
    )
    # Tagged like seed_demo's tasks, so these rows cost what the others do.
    Task.tags.through.objects.bulk_create(
        Task.tags.through(task_id=task.pk, tag_id=tag.pk)
        for task in created
        if rng.random() < 0.4
        for tag in rng.sample(tags, rng.randint(1, 2))
    )


def share_projects(member, others: list, tasks: int, rng: random.Random) -> list:
    """Make `member` an editor of SHARED_PROJECTS new projects of the others; return them."""
    from datetime import timedelta

    from django.utils import timezone

    from todos.management.demo_week import titles
    from todos.models import Membership, Project, Role, Tag, Task

    now, today = timezone.now(), timezone.localdate()
    names = titles(PROJECT)
    tags = list(Tag.objects.for_user(member))
    projects = []
    for n in range(SHARED_PROJECTS):
        owner = others[n % len(others)]
        project = Project.objects.create(owner=owner, name=f"Shared {n + 1}", position=100 + n)
        fellows = [other for other in others if other != owner]
        company = rng.sample(fellows, min(SHARED_MEMBERS, len(fellows)))
        for person in (member, *company):
            # One by one, so each member's count of shared projects follows (todos.signals).
            Membership.objects.create(project=project, user=person, role=Role.EDITOR)

        def assignee(company=company):
            roll = rng.random()
            if roll < 0.25 or (roll < 0.5 and not company):
                return member
            return rng.choice(company) if roll < 0.5 else None

        created = Task.objects.bulk_create(
            Task(
                owner=owner,
                project=project,
                position=position,
                title=rng.choice(names),
                due_date=today + timedelta(days=rng.randint(-10, 40))
                if rng.random() < 0.6
                else None,
                completed_at=now - timedelta(hours=rng.randint(1, 500))
                if rng.random() < 0.3
                else None,
                assignee=assignee(),
            )
            for position in range(1, tasks + 1)
        )
        # The member's own tags on some of them, as seed_demo tags its tasks.
        Task.tags.through.objects.bulk_create(
            Task.tags.through(task_id=task.pk, tag_id=rng.choice(tags).pk)
            for task in created
            if rng.random() < 0.2
        )
        projects.append(project)
    member.refresh_from_db()
    return projects


def targets(user) -> dict:
    """Return what the benchmark requests for this user: ids and paths."""
    from django.db.models import Count

    from todos.models import Project, Tag, Task

    tasks = Task.objects.for_user(user)
    project = Project.objects.get(owner=user, name=PROJECT)
    tag = Tag.objects.get(owner=user, name=TAG)
    # Task detail is measured on a parent, so its sub-task list is rendered too.
    detail = (
        tasks.annotate(children=Count("subtasks"))
        .filter(children__gt=0, tags__isnull=False)
        .order_by("pk")
        .first()
    )
    pool = (
        tasks.filter(project__name=TOGGLE_PROJECT, parent__isnull=True, subtasks__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:TOGGLE_POOL]
    )
    from django.utils import timezone

    from todos import feed, myday

    today = timezone.localdate()
    for task in tasks.open().order_by("pk")[:MY_DAY]:
        myday.add(user, task, day=today)
    return {
        "username": user.username,
        "calendar_token": feed.token_for(user),
        "tasks": tasks.count(),
        "project": project.pk,
        "tag": tag.pk,
        "task": detail.pk if detail else tasks.order_by("pk").first().pk,
        "toggle_pool": list(pool),
    }


def api_token(user) -> str:
    """Make the account a read-and-write personal access token; return its secret."""
    from accounts import tokens
    from accounts.models import TokenScope

    _, secret = tokens.create(owner=user, name="bench", scope=TokenScope.WRITE)
    return secret


def build(plan: dict, out: str, seed: int = 1) -> None:
    """Create every account in `plan` (a Plan as a dict) and write the targets as JSON to `out`."""
    from django.db import connection

    plan = Plan(**{**plan, "growth": tuple(plan["growth"])})
    rng = random.Random(seed)  # noqa: S311  (repeatable data, not secrets)
    # The measured account sits between the others, so its rows are not the table's edge.
    half = plan.others // 2
    others = [make_account(f"other{n}", plan.other_tasks, rng, password=None) for n in range(half)]
    main = make_account(MAIN, plan.main_tasks, rng, password=PASSWORD)
    others += [
        make_account(f"other{n}", plan.other_tasks, rng, password=None)
        for n in range(half, plan.others)
    ]
    sharer = make_account(SHARED, plan.other_tasks, rng, password=PASSWORD)
    shared = share_projects(sharer, others, plan.shared_tasks, rng)
    growth = {}
    for size in plan.growth:
        rest = max(size - FULL_PAGE - COMPLETED_SHOWN, 0)
        user = make_account(growth_username(size), rest, rng, password=PASSWORD)
        fill_pages(user, rng)
        growth[str(size)] = user
    if connection.vendor == "postgresql":
        # Autovacuum would analyze a production database soon after such a load;
        # without statistics the planner guesses one row everywhere and picks odd plans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result = {
        "plan": asdict(plan),
        "database": database_name(connection),
        "cache": cache_name(),
        "main": {**targets(main), "api_token": api_token(main)},
        "shared": {
            "username": sharer.username,
            "shared_projects": sharer.shared_projects,
            "project": shared[0].pk,
        },
        "growth": {size: targets(user) for size, user in growth.items()},
    }
    Path(out).write_text(json.dumps(result))


def cache_name() -> str:
    """Return the cache backend and the session engine, e.g. "ResilientRedisCache, sessions
    accounts.sessions"."""
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[1]
    engine = settings.SESSION_ENGINE.removeprefix("django.contrib.sessions.backends.")
    return f"{backend}, sessions {engine}"


def database_name(connection) -> str:
    """Return the database engine and its version, e.g. "PostgreSQL 15.10"."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"{connection.display_name} {sqlite3.sqlite_version}"


def count_queries(requests: list[dict], out: str, explain: list[str] = ()) -> None:
    """Send each request through Django's test client and record status and query count.

    A request is {"key", "username", "method", "path", "data", "headers", "json"},
    with username None for one without a session (anonymous, or signed in by an
    Authorization header); "json" sends a POST's data as a JSON body. Each is sent
    twice: first with an empty cache (what a page costs after a change or in a
    fresh process), then again (what it costs with whatever the app cached); "ms"
    and "ms_cached" are how long each took, on one request, in this process. The
    requests whose keys are in `explain` also get the database's plan for each
    first-time query on the task table.
    """
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from todos.changes import clear_caches

    users = get_user_model().objects.in_bulk(
        {r["username"] for r in requests if r["username"]}, field_name="username"
    )
    results = {}
    for r in requests:
        client = Client(HTTP_HOST="127.0.0.1", headers=r.get("headers") or {})
        if r["username"]:
            client.force_login(users[r["username"]])
        if r["method"] != "POST":
            send = client.get
        elif r.get("json"):
            send = partial(client.post, content_type="application/json")
        else:
            send = client.post
        clear_caches()
        runs = []
        for _ in range(2):
            started = perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = send(r["path"], r.get("data") or {})
            ms = round(1000 * (perf_counter() - started), 2)
            runs.append((response.status_code, captured.captured_queries, ms))
        (status, first, ms), (_, second, ms_cached) = runs
        sql = [(q["sql"], float(q["time"])) for q in first]
        results[r["key"]] = {
            "status": status,
            "queries": len(first),
            "queries_cached": len(second),
            "ms": ms,
            "ms_cached": ms_cached,
            "sql": sql,
        }
        if r["key"] in explain:
            results[r["key"]]["plans"] = [
                (text, _explain(connection, text))
                for text, _ in sql
                if '"todos_task"' in text and text.lstrip().upper().startswith("SELECT")
            ]
    Path(out).write_text(json.dumps(results))


def _explain(connection, sql: str) -> str:
    """Return the plan of one captured query; ANALYZE on PostgreSQL, so it shows real times."""
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS)" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {sql}")
        return "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())
