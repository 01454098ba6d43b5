"""Load two Ticklist servers that share PostgreSQL and Redis, then prove no write was lost.

    python bench/load.py [--clients 32] [--seconds 60] [--users 4]
                         [--team-clients 8] [--team-users 4]
                         [--postgres-url URL | --database-url URL] [--redis-url URL]

Creates a throwaway database (unless `--database-url` names one to use), starts
two gunicorn instances the production way, signs every client in through the
login form and lets the clients add, edit, complete and delete tasks, each request
going to the next instance in turn. All clients of one user keep editing the same
"hot" task, each appending a unique marker to the notes it last read.

Beside them, a team of other people (`--team-users`, at least 4 by default) shares one
project: its owner's and the members' clients edit the same hot tasks of that
project with the full form, add tasks to it, complete and reopen the ones they
added and reorder it, so every write there renews several people's caches at once.

Afterwards the database is read directly: every write the app acknowledged must
be there, and every hot edit it refused must have been answered 409 and left no
trace. A negative control then does the same read-modify-write without the version
check, straight through psycopg, and must lose writes; if it does not, the checker
is blind. Exits non-zero on any 5xx, lost write or blind control.
"""

from __future__ import annotations

import argparse
import contextlib
import html.parser
import http.client
import http.cookiejar
import json
import os
import random
import re
import secrets
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis
from psycopg import sql

# Run as `python bench/load.py`, the project root is not on the path yet.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import server

POSTGRES_URL = os.environ.get(
    "SCALEOUT_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/3")
START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
START_REDIS = 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'

MARKER = re.compile(r"[a-z]\d+\.\d+;")
# The first task link in quick add's htmx answer is the task just added.
TASK_LINK = re.compile(rb'"/tasks/(\d+)/')
# Task.notes holds at most 10,000 characters; a hot task this full is retired.
NOTES_ROOM = 9_900
MAX_OPERATIONS_PER_CLIENT = 20_000
CONTROL_WRITES_PER_THREAD = 50
READ_PAGES = ("/today/", "/inbox/", "/upcoming/")
WEIGHTS = {"edit": 45, "create": 20, "toggle": 15, "delete": 8, "read": 12}
# The shared project of the team scenario, and what its members do in it.
TEAM = "Team"
TEAM_WEIGHTS = {"edit": 35, "create": 15, "toggle": 15, "reorder": 20, "read": 15}
# A row that can be dragged: an open task of the project page's list.
DRAGGABLE = re.compile(rb'data-task-id="(\d+)" draggable')
# What a refused edit says when someone else made the change it missed.
NAMED = b"changed it meanwhile."


def unreachable(postgres_url: str, redis_url: str) -> str | None:
    """Return why PostgreSQL or Redis cannot be used, or None when both answer."""
    try:
        with psycopg.connect(postgres_url, connect_timeout=3):
            pass
    except psycopg.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
        return (
            f"PostgreSQL is not reachable at {postgres_url} ({first_line}). Start it with "
            f"'{START_POSTGRES}' or point SCALEOUT_POSTGRES_URL at a server (user with CREATEDB)."
        )
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        return (
            f"Redis is not reachable at {redis_url} ({error}). Start it with "
            f"'{START_REDIS}' or point SCALEOUT_REDIS_URL at one (a database number nobody else uses)."
        )
    return None


@contextlib.contextmanager
def scratch_database(postgres_url: str, name: str) -> Iterator[str]:
    """Create an empty database on `postgres_url`'s server, yield its URL, then drop it."""
    database = sql.Identifier(name)
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(database))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(database))
    try:
        yield urlsplit(postgres_url)._replace(path="/" + name).geturl()
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as connection:
            # A worker killed mid-request can leave its connection behind for a moment.
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(database))


def create_users(env: dict[str, str], passwords: dict[str, str], team: list[str] = ()) -> None:
    """Create accounts with these usernames and passwords in one manage.py process.

    The first of `team` owns a project named TEAM that the others edit as members.
    """
    code = (
        "import json, os\n"
        "from django.contrib.auth import get_user_model\n"
        "from todos.models import Membership, Project, Role\n"
        "for name, password in json.loads(os.environ['SCALEOUT_USERS']).items():\n"
        "    get_user_model().objects.create_user(name, f'{name}@example.com', password)\n"
        "team = json.loads(os.environ['SCALEOUT_TEAM'])\n"
        "if team:\n"
        "    people = get_user_model().objects.in_bulk(team, field_name='username')\n"
        f"    project = Project.objects.create(owner=people[team[0]], name={TEAM!r})\n"
        "    for name in team[1:]:\n"
        "        Membership.objects.create(project=project, user=people[name], role=Role.EDITOR)\n"
    )
    extra = {"SCALEOUT_USERS": json.dumps(passwords), "SCALEOUT_TEAM": json.dumps(list(team))}
    server.manage({**env, **extra}, "shell", "-c", code)


@dataclass
class Cluster:
    """Servers sharing one database and one Redis, and the accounts made for them."""

    database_url: str
    redis_url: str
    instances: list[server.Instance]
    passwords: dict[str, str]
    # The shared project of the team, if there is one.
    team_project: int | None = None

    @property
    def urls(self) -> list[str]:
        return [instance.url for instance in self.instances]


@contextlib.contextmanager
def cluster(
    *,
    usernames: Iterable[str],
    postgres_url: str = POSTGRES_URL,
    redis_url: str = REDIS_URL,
    database_url: str | None = None,
    instances: int = 2,
    workers: int | None = None,
    name: str = "",
    team: Iterable[str] = (),
) -> Iterator[Cluster]:
    """Start `instances` servers on one database (a throwaway one unless given) and Redis.

    The `team` (usernames, its owner first) gets a shared project (create_users).
    """
    team = list(team)
    usernames = [*usernames, *team]
    passwords = {username: secrets.token_urlsafe(16) for username in usernames}
    with contextlib.ExitStack() as stack:
        if database_url is None:
            database_url = stack.enter_context(
                scratch_database(postgres_url, name or f"ticklist_scaleout_{os.getpid()}")
            )
        # Sessions cached by an earlier run must not outlive its database.
        redis.Redis.from_url(redis_url).flushdb()
        env = server.production_env(database_url=database_url, redis_url=redis_url)
        server.collect_static(env)
        server.manage(env, "migrate", "--no-input")
        create_users(env, passwords, team)
        project = None
        if team:
            with psycopg.connect(database_url) as connection:
                (project,) = connection.execute(
                    "SELECT id FROM todos_project WHERE name = %s", (TEAM,)
                ).fetchone()
        running: list[server.Instance] = []
        stack.callback(lambda: [instance.stop() for instance in running])
        for _ in range(instances):
            running.append(server.start(env, workers=workers))
        yield Cluster(database_url, redis_url, running, passwords, project)


class FormFields(html.parser.HTMLParser):
    """Collect what a browser would submit from one form: its named fields' values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, list[str]] = defaultdict(list)
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            if kind not in {"submit", "button", "file"}:
                self.fields[name].append(
                    attributes.get("value", "on" if kind == "checkbox" else "")
                )
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name].append("")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields[self._select].append(attributes.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            # Browsers drop the newline that opens a textarea's content.
            value = self.fields[self._textarea][-1]
            self.fields[self._textarea][-1] = value.removeprefix("\r\n").removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea][-1] += data


def form_fields(page: bytes, action: str) -> dict[str, list[str]]:
    """Return the fields of the form posting to `action` on `page`."""
    text = page.decode()
    start = text.find(f'action="{action}"')
    if start == -1:
        raise ValueError(f"no form posting to {action}")
    parser = FormFields()
    parser.feed(text[text.rfind("<form", 0, start) : text.find("</form>", start)])
    parser.close()
    return dict(parser.fields)


def lost_writes(acknowledged: Iterable[str], notes: str) -> list[str]:
    """Return the acknowledged markers missing from `notes`."""
    present = set(MARKER.findall(notes))
    return [marker for marker in acknowledged if marker not in present]


@dataclass
class OwnTask:
    """A task one client created and alone changes, with the state it should now have."""

    completed: bool = False
    deleted: bool = False


@dataclass
class Client:
    """One person's browser session, sending each request to the next server in turn."""

    number: int
    urls: list[str]
    username: str
    password: str
    run: str
    deadline: float = 0.0
    rng: random.Random = field(default_factory=random.Random)
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    instances: Counter = field(default_factory=Counter)
    operations: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    hot: list[int] = field(default_factory=list)
    hot_index: int = 0
    edits_acknowledged: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    edits_refused: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    conflicts_htmx: int = 0
    conflicts_plain: int = 0
    created: list[str] = field(default_factory=list)
    own: dict[int, OwnTask] = field(default_factory=dict)
    toggles: int = 0
    deletes: int = 0
    sequence: int = 0
    # Refusals that named the person who made the change the edit missed.
    conflicts_named: int = 0

    # What this client does, how often: see act().
    weights = WEIGHTS
    # Added to each quick-add line: where the task goes (the Inbox when empty).
    destination = ""

    def __post_init__(self) -> None:
        jar = http.cookiejar.CookieJar()
        # Cookies ignore the port, so one jar is one browser behind a load balancer.
        self.browsers = [server.Browser(url, jar) for url in self.urls]

    def sign_in(self) -> None:
        self.browsers[self.number % len(self.browsers)].sign_in(self.username, self.password)

    def send(
        self, method: str, path: str, data: dict | None = None, *, htmx: bool = False
    ) -> tuple[int, bytes, str] | None:
        """Send one request; return its status, body and Location, or None if it failed."""
        browser = self.browsers[self.requests % len(self.browsers)]
        self.requests += 1
        self.instances[browser.base_url] += 1
        headers = {"HX-Request": "true"} if htmx else {}
        try:
            status, body = browser.request(method, path, data, headers)
        except (OSError, http.client.HTTPException) as error:
            self.errors.append(f"{method} {browser.base_url}{path}: {error!r}")
            return None
        self.statuses[status] += 1
        return status, body, browser.headers.get("Location", "")

    def accepted(
        self, answer: tuple[int, bytes, str], method: str, path: str, *, htmx: bool
    ) -> bool:
        """Tell whether the app did what was asked: a partial for htmx, else a redirect."""
        status, _, location = answer
        if status == (200 if htmx else 302) and not location.startswith("/accounts/login/"):
            return True
        self.unexpected.append(
            f"{method} {path}{' (htmx)' if htmx else ''} -> {status} {location}"
        )
        return False

    def quick_add(self, title: str, *, htmx: bool) -> int | None:
        """Add a task; return its id when the answer shows it (htmx), else None."""
        path = "/tasks/quick-add/"
        # Quotes keep the parser from reading a date or a priority into the title.
        answer = self.send("POST", path, {"text": f'"{title}"{self.destination}'}, htmx=htmx)
        if answer is None or not self.accepted(answer, "POST", path, htmx=htmx):
            return None
        self.created.append(title)
        match = TASK_LINK.search(answer[1]) if htmx else None
        return int(match.group(1)) if match else None

    def create_hot(self, index: int) -> int:
        task_id = self.quick_add(f"hot {self.run} {self.username} {index}", htmx=True)
        if task_id is None:
            why = (self.unexpected + self.errors)[-1:] or ["no task link in the answer"]
            raise RuntimeError(f"setting up hot task {index} for {self.username} failed: {why}")
        return task_id

    def run_load(self) -> None:
        """Act until the deadline; a crash counts as an error rather than ending quietly."""
        try:
            self.act()
        except Exception as error:
            self.errors.append(f"client {self.number} stopped: {error!r}")

    def act(self) -> None:
        operations = list(self.weights)
        weights = list(self.weights.values())
        for _ in range(MAX_OPERATIONS_PER_CLIENT):
            if time.monotonic() >= self.deadline:
                break
            operation = self.rng.choices(operations, weights)[0]
            live = [pk for pk, task in self.own.items() if not task.deleted]
            if operation in {"toggle", "delete"} and not live:
                operation = "create"
            if operation == "edit" and self.hot_index >= len(self.hot):
                operation = "read"
            self.operations[operation] += 1
            if operation == "edit":
                self.edit_hot()
            elif operation == "create":
                self.create()
            elif operation == "toggle":
                self.toggle(self.rng.choice(live))
            elif operation == "delete":
                self.delete(self.rng.choice(live))
            elif operation == "reorder":
                self.reorder()
            else:
                self.read()

    def page(self, path: str) -> bytes | None:
        """Read a page; return its body, or None (noted unless the request failed) if not 200."""
        answer = self.send("GET", path)
        if answer is None:
            return None
        if answer[0] != 200:
            self.unexpected.append(f"GET {path} -> {answer[0]} {answer[2]}")
            return None
        return answer[1]

    def edit_hot(self) -> None:
        task_id = self.hot[self.hot_index]
        path = f"/tasks/{task_id}/edit/"
        form = self.page(path)
        if form is None:
            return
        try:
            fields = form_fields(form, path)
        except ValueError as error:
            self.unexpected.append(f"GET {path}: {error}")
            return
        notes = fields.get("notes", [""])[0]
        if len(notes) > NOTES_ROOM:
            self.hot_index += 1
            return
        self.sequence += 1
        marker = f"c{self.number}.{self.sequence};"
        fields["notes"] = [notes + marker]
        htmx = self.rng.random() < 0.5
        answer = self.send("POST", path, fields, htmx=htmx)
        if answer is None:
            return
        status, _, location = answer
        if status == 302 and location == f"/tasks/{task_id}/":
            self.edits_acknowledged[task_id].append(marker)
        elif status == 409:
            self.edits_refused[task_id].append(marker)
            self.conflicts_named += NAMED in answer[1]
            if htmx:
                self.conflicts_htmx += 1
            else:
                self.conflicts_plain += 1
        else:
            self.unexpected.append(f"POST {path} -> {status} {location}")

    def create(self) -> None:
        self.sequence += 1
        htmx = self.rng.random() < 0.5
        task_id = self.quick_add(f"load {self.run} c{self.number} n{self.sequence}", htmx=htmx)
        if task_id is not None:
            self.own[task_id] = OwnTask()

    def toggle(self, task_id: int) -> None:
        """Complete an open task or reopen a done one, saying which, as the row's button does."""
        path = f"/tasks/{task_id}/toggle/"
        htmx = self.rng.random() < 0.5
        wanted = "0" if self.own[task_id].completed else "1"
        answer = self.send("POST", path, {"completed": wanted}, htmx=htmx)
        if answer is not None and self.accepted(answer, "POST", path, htmx=htmx):
            self.own[task_id].completed = not self.own[task_id].completed
            self.toggles += 1

    def delete(self, task_id: int) -> None:
        path = f"/tasks/{task_id}/delete/"
        htmx = self.rng.random() < 0.5
        answer = self.send("POST", path, {}, htmx=htmx)
        if answer is not None and self.accepted(answer, "POST", path, htmx=htmx):
            self.own[task_id].deleted = True
            self.deletes += 1

    def pages(self) -> list[str]:
        return [*READ_PAGES, *(f"/tasks/{pk}/" for pk in self.hot[:1])]

    def read(self) -> None:
        self.page(self.rng.choice(self.pages()))

    def reorder(self) -> None:
        """Only a member of a shared project reorders (TeamClient)."""
        self.read()


@dataclass
class TeamClient(Client):
    """A person of the team: works in its shared project, whose hot tasks every member edits.

    The tasks it adds land in the project; it alone completes and reopens them, while
    everyone reorders the project by dragging two of its rows past each other.
    """

    project: int = 0
    reorders: int = 0

    weights = TEAM_WEIGHTS
    destination = f" #{TEAM}"

    def pages(self) -> list[str]:
        return [f"/projects/{self.project}/", "/today/", *(f"/tasks/{pk}/" for pk in self.hot[:1])]

    def reorder(self) -> None:
        """Swap two open rows of the project page, as a drag and drop sends the new order."""
        page = self.page(f"/projects/{self.project}/")
        if page is None:
            return
        order = [pk.decode() for pk in DRAGGABLE.findall(page)]
        if len(order) < 2:
            return
        first, second = self.rng.sample(range(len(order)), 2)
        order[first], order[second] = order[second], order[first]
        path = f"/projects/{self.project}/reorder/"
        htmx = self.rng.random() < 0.5
        answer = self.send("POST", path, {"order": order}, htmx=htmx)
        if answer is None:
            return
        status, _, location = answer
        if status == (204 if htmx else 302) and not location.startswith("/accounts/login/"):
            self.reorders += 1
        else:
            self.unexpected.append(f"POST {path}{' (htmx)' if htmx else ''} -> {status}")


@dataclass
class Verdict:
    """What the database holds compared with what the app acknowledged."""

    acknowledged: int = 0
    lost: list[str] = field(default_factory=list)
    inconsistent: list[str] = field(default_factory=list)


def verify(database_url: str, clients: list[Client]) -> Verdict:
    """Compare the database with every acknowledged and refused write."""
    verdict = Verdict()
    acknowledged: dict[int, list[str]] = defaultdict(list)
    refused: dict[int, list[str]] = defaultdict(list)
    for client in clients:
        for task_id, markers in client.edits_acknowledged.items():
            acknowledged[task_id] += markers
        for task_id, markers in client.edits_refused.items():
            refused[task_id] += markers
    hot_ids = sorted({pk for client in clients for pk in client.hot})
    created = [title for client in clients for title in client.created]
    own = {pk: task for client in clients for pk, task in client.own.items()}
    verdict.acknowledged = (
        sum(map(len, acknowledged.values()))
        + len(created)
        + sum(client.toggles + client.deletes for client in clients)
    )
    with psycopg.connect(database_url) as connection:
        hot_rows = {
            pk: (notes, version)
            for pk, notes, version in connection.execute(
                "SELECT id, notes, version FROM todos_task WHERE id = ANY(%s)", (hot_ids,)
            )
        }
        counts = dict(
            connection.execute(
                "SELECT title, count(*) FROM todos_task WHERE title = ANY(%s) GROUP BY title",
                (created,),
            ).fetchall()
        )
        states = {
            pk: (completed, deleted)
            for pk, completed, deleted in connection.execute(
                "SELECT id, completed_at IS NOT NULL, deleted_at IS NOT NULL"
                " FROM todos_task WHERE id = ANY(%s)",
                (list(own),),
            )
        }
    clean = not any(client.errors for client in clients)
    for task_id in hot_ids:
        # A missing row loses every edit acknowledged for it.
        notes, version = hot_rows.get(task_id, ("", None))
        verdict.lost += [
            f"edit {m} of task {task_id}" for m in lost_writes(acknowledged[task_id], notes)
        ]
        markers = MARKER.findall(notes)
        present = set(markers)
        verdict.inconsistent += [
            f"refused edit {m} of task {task_id} was applied"
            for m in refused[task_id]
            if m in present
        ]
        if len(markers) != len(present):
            verdict.inconsistent.append(f"task {task_id} has a marker twice")
        if clean:
            verdict.inconsistent += [
                f"edit {m} of task {task_id} was applied but never acknowledged"
                for m in present - set(acknowledged[task_id]) - set(refused[task_id])
            ]
        # Only these edits touch a hot task, each adding one to its version.
        if clean and version is not None and version - 1 != len(acknowledged[task_id]):
            verdict.inconsistent.append(
                f"task {task_id} is at version {version} after {len(acknowledged[task_id])} edits"
            )
    for title in created:
        if counts.get(title, 0) == 0:
            verdict.lost.append(f"created task {title!r}")
        elif counts[title] > 1:
            verdict.inconsistent.append(f"task {title!r} was created {counts[title]} times")
    for task_id, expected in own.items():
        completed, deleted = states.get(task_id, (None, None))
        if completed is None:
            verdict.lost.append(f"task {task_id} is gone")
            continue
        if clean and completed != expected.completed:
            verdict.lost.append(
                f"task {task_id} completed={completed}, expected {expected.completed}"
            )
        if expected.deleted and not deleted:
            verdict.lost.append(f"deletion of task {task_id}")
        elif deleted and not expected.deleted:
            verdict.inconsistent.append(f"task {task_id} deleted without an acknowledged delete")
    return verdict


def control(database_url: str, task_id: int, *, threads: int, seconds: float) -> tuple[int, int]:
    """Append markers with a naive read-modify-write; return (acknowledged, lost)."""
    acknowledged: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def write(number: int) -> None:
        rng = random.Random(number)  # noqa: S311  (timing jitter, not a secret)
        with psycopg.connect(database_url, autocommit=True) as connection:
            for sequence in range(CONTROL_WRITES_PER_THREAD):
                if time.monotonic() >= deadline:
                    break
                (notes,) = connection.execute(
                    "SELECT notes FROM todos_task WHERE id = %s", (task_id,)
                ).fetchone()
                # The moment between loading a form and saving it, shortened.
                time.sleep(rng.uniform(0, 0.002))
                marker = f"x{number}.{sequence};"
                cursor = connection.execute(
                    "UPDATE todos_task SET notes = %s WHERE id = %s", (notes + marker, task_id)
                )
                if cursor.rowcount == 1:
                    with lock:
                        acknowledged.append(marker)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(write, range(threads)))
    with psycopg.connect(database_url) as connection:
        (notes,) = connection.execute(
            "SELECT notes FROM todos_task WHERE id = %s", (task_id,)
        ).fetchone()
    return len(acknowledged), len(lost_writes(acknowledged, notes))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--seconds", type=float, default=60, help="length of the load (60)")
    parser.add_argument("--users", type=int, default=4, help="accounts the clients share (4)")
    parser.add_argument("--workers", type=int, help="gunicorn workers per instance")
    parser.add_argument("--seed", type=int, help="random seed for the clients' choices")
    parser.add_argument(
        "--postgres-url",
        default=POSTGRES_URL,
        help="server to create the throwaway database on (SCALEOUT_POSTGRES_URL)",
    )
    parser.add_argument(
        "--database-url", help="use this PostgreSQL database instead; it is migrated and kept"
    )
    parser.add_argument(
        "--redis-url",
        default=REDIS_URL,
        help="Redis database to share; flushed (SCALEOUT_REDIS_URL)",
    )
    parser.add_argument(
        "--team-clients",
        type=int,
        default=8,
        help="clients working in one shared project at the same time (8; 0 for none)",
    )
    parser.add_argument(
        "--team-users", type=int, default=4, help="people sharing that project, its owner too (4)"
    )
    args = parser.parse_args(argv)
    if args.clients < 1 or args.users < 1 or args.seconds <= 0:
        parser.error("--clients, --users and --seconds must be positive")
    if args.team_clients and not 2 <= args.team_users <= args.team_clients:
        parser.error("--team-users must be at least 2 and at most --team-clients")

    reason = unreachable(args.database_url or args.postgres_url, args.redis_url)
    if reason:
        print(reason, file=sys.stderr)
        return 2
    run = secrets.token_hex(3)
    seed = args.seed if args.seed is not None else secrets.randbits(32)
    users = min(args.users, args.clients)
    usernames = [f"load{number}-{run}" for number in range(users)]
    team = [f"team{n}-{run}" for n in range(args.team_users)] if args.team_clients else []
    # Notes fill up; enough hot tasks that the clients never run out.
    pool_size = 2 + int(args.seconds // 20)
    phases: dict[str, float] = {}
    mark = time.monotonic()
    with cluster(
        usernames=usernames,
        postgres_url=args.postgres_url,
        redis_url=args.redis_url,
        database_url=args.database_url,
        workers=args.workers,
        name=f"ticklist_load_{os.getpid()}",
        team=team,
    ) as running:
        clients = [
            Client(
                number,
                running.urls,
                usernames[number % users],
                running.passwords[usernames[number % users]],
                run,
                rng=random.Random(seed + number),  # noqa: S311  (replayable choices)
            )
            for number in range(args.clients)
        ]
        print(
            f"load: {args.clients} clients as {users} users on {running.urls}, "
            f"{args.seconds:g} s, seed {seed}, database {urlsplit(running.database_url).path[1:]}, "
            f"server logs {' '.join(str(instance.log) for instance in running.instances)}",
            flush=True,
        )
        members = [
            TeamClient(
                args.clients + number,
                running.urls,
                team[number % len(team)],
                running.passwords[team[number % len(team)]],
                run,
                rng=random.Random(seed + args.clients + number),  # noqa: S311
                project=running.team_project or 0,
            )
            for number in range(args.team_clients)
        ]
        if members:
            print(
                f"team: {len(members)} clients as {len(team)} people in project "
                f"{running.team_project} ({TEAM}), owned by {team[0]}",
                flush=True,
            )
        mark = lap(phases, "servers", mark)
        hot = prepare(clients, users, pool_size)
        shared_hot = prepare_team(members, pool_size)
        mark = lap(phases, "sign-in", mark)
        deadline = time.monotonic() + args.seconds
        for client in clients:
            client.hot = hot[client.username]
        for member in members:
            member.hot = shared_hot
        for client in [*clients, *members]:
            client.deadline = deadline
        started = time.monotonic()
        threads = [threading.Thread(target=c.run_load) for c in [*clients, *members]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        elapsed = time.monotonic() - started
        stuck = sum(thread.is_alive() for thread in threads)
        mark = lap(phases, "load", mark)
        verdict = verify(running.database_url, clients)
        team_verdict = verify(running.database_url, members) if members else None
        if team_verdict is not None:
            team_verdict.inconsistent += shared_positions(running.database_url, members[0].project)
        mark = lap(phases, "check", mark)
        control_acknowledged, control_lost = control(
            running.database_url,
            hot[usernames[0]][0],
            threads=max(4, min(args.clients, 16)),
            seconds=min(args.seconds, 5),
        )
        mark = lap(phases, "control", mark)
    lap(phases, "teardown", mark)
    print("phases: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items()))
    failed = team_report(members, team_verdict, elapsed) if members else False
    status = report(
        clients, verdict, elapsed, stuck, control_acknowledged, control_lost, pool_size
    )
    return 1 if failed else status


def lap(phases: dict[str, float], name: str, since: float) -> float:
    """Record how long the phase `name` took since `since`; return the time now."""
    now = time.monotonic()
    phases[name] = now - since
    return now


def prepare(clients: list[Client], users: int, pool_size: int) -> dict[str, list[int]]:
    """Sign every client in and have them make their users' hot tasks, several at once."""

    def setup(client: Client) -> list[tuple[str, int, int]]:
        client.sign_in()
        rank = client.number // users
        sharers = len(range(client.number % users, len(clients), users))
        return [
            (client.username, index, client.create_hot(index))
            for index in range(rank, pool_size, sharers)
        ]

    # Several clients of one user start at once, as people do on a first visit.
    with ThreadPoolExecutor(8) as pool:
        made = [row for rows in pool.map(setup, clients) for row in rows]
    hot: dict[str, list[int]] = defaultdict(list)
    for username, _, task_id in sorted(made):
        hot[username].append(task_id)
    for client in clients:
        # Setup requests are not part of the measured load.
        client.requests = 0
        client.statuses.clear()
        client.instances.clear()
        client.created.clear()
    return hot


def prepare_team(members: list[TeamClient], pool_size: int) -> list[int]:
    """Sign the team's clients in and have them add the project's hot tasks, several at once."""

    def setup(member: TeamClient) -> list[tuple[int, int]]:
        member.sign_in()
        share = range(member.number - members[0].number, pool_size, len(members))
        return [(index, member.create_hot(index)) for index in share]

    with ThreadPoolExecutor(8) as pool:
        made = sorted(row for rows in pool.map(setup, members) for row in rows)
    for member in members:
        member.requests = 0
        member.statuses.clear()
        member.instances.clear()
        member.created.clear()
    return [task_id for _, task_id in made]


def shared_positions(database_url: str, project: int) -> list[str]:
    """Return a line for each place in the shared project's order that two tasks hold."""
    with psycopg.connect(database_url) as connection:
        taken = connection.execute(
            "SELECT position, count(*) FROM todos_task WHERE project_id = %s"
            " AND parent_id IS NULL AND deleted_at IS NULL GROUP BY position HAVING count(*) > 1",
            (project,),
        ).fetchall()
    return [
        f"position {position} of the shared project held by {n} tasks" for position, n in taken
    ]


@dataclass
class Totals:
    """What a group of clients did, added up, and whether anything went wrong."""

    requests: int
    statuses: Counter
    operations: Counter
    instances: Counter
    errors: list[str]
    unexpected: list[str]
    conflicts: int

    @classmethod
    def of(cls, clients: list[Client]) -> Totals:
        return cls(
            requests=sum(client.requests for client in clients),
            statuses=sum((client.statuses for client in clients), Counter()),
            operations=sum((client.operations for client in clients), Counter()),
            instances=sum((client.instances for client in clients), Counter()),
            errors=[error for client in clients for error in client.errors],
            unexpected=[line for client in clients for line in client.unexpected],
            conflicts=sum(client.conflicts_htmx + client.conflicts_plain for client in clients),
        )

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def show(self, verdict: Verdict, prefix: str = "") -> bool:
        """Print the operations, statuses and first problems; return whether there were any."""
        print(f"{prefix}operations: {dict(sorted(self.operations.items()))}")
        print(
            f"{prefix}statuses: {dict(sorted(self.statuses.items()))}, "
            f"per instance: {dict(self.instances)}"
        )
        for title, lines in (
            ("connection errors", self.errors),
            ("unexpected answers", self.unexpected),
            ("lost writes", verdict.lost),
            ("inconsistencies", verdict.inconsistent),
        ):
            if lines:
                print(f"{prefix}{title} ({len(lines)}), first ones:")
                for line in lines[:10]:
                    print(f"  {line}")
        return bool(
            self.server_errors
            or self.errors
            or self.unexpected
            or verdict.lost
            or verdict.inconsistent
        )


def team_report(members: list[TeamClient], verdict: Verdict, elapsed: float) -> bool:
    """Print what the team did in its shared project and its summary line; True if it failed."""
    totals = Totals.of(members)
    failed = totals.show(verdict, prefix="team ")
    print(
        f"shared: people={len({member.username for member in members})} clients={len(members)} "
        f"requests={totals.requests} rps={totals.requests / elapsed:.1f} "
        f"5xx={totals.server_errors} errors={len(totals.errors)} "
        f"unexpected={len(totals.unexpected)} conflicts={totals.conflicts} "
        f"conflicts_naming_who={sum(member.conflicts_named for member in members)} "
        f"reorders={sum(member.reorders for member in members)} "
        f"acknowledged_writes={verdict.acknowledged} lost_writes={len(verdict.lost)} "
        f"inconsistent={len(verdict.inconsistent)} result={'FAIL' if failed else 'ok'}",
        flush=True,
    )
    return failed


def report(
    clients: list[Client],
    verdict: Verdict,
    elapsed: float,
    stuck: int,
    control_acknowledged: int,
    control_lost: int,
    pool_size: int,
) -> int:
    """Print what happened and the one-line summary; return the exit status."""
    totals = Totals.of(clients)
    conflicts_htmx = sum(client.conflicts_htmx for client in clients)
    conflicts_plain = sum(client.conflicts_plain for client in clients)
    hot_edits = sum(len(m) for client in clients for m in client.edits_acknowledged.values())
    hot_used = max(client.hot_index for client in clients) + 1
    failed = totals.show(verdict) or bool(stuck)
    print(
        f"hot edits: {hot_edits} acknowledged, {conflicts_htmx} refused with 409 to htmx and "
        f"{conflicts_plain} to plain posts; up to {hot_used} of {pool_size} hot tasks per user used"
    )
    blind = control_lost == 0
    if stuck:
        print(f"{stuck} clients were still running when they should have stopped")
    if blind:
        print("the control lost no write: the checker cannot be trusted to see losses")
    print(
        f"summary: requests={totals.requests} rps={totals.requests / elapsed:.1f} "
        f"5xx={totals.server_errors} errors={len(totals.errors)} "
        f"unexpected={len(totals.unexpected)} conflicts={totals.conflicts} "
        f"acknowledged_writes={verdict.acknowledged} lost_writes={len(verdict.lost)} "
        f"inconsistent={len(verdict.inconsistent)} "
        f"control_lost_writes={control_lost}/{control_acknowledged} "
        f"result={'FAIL' if failed or blind else 'ok'}",
        flush=True,
    )
    return 1 if failed or blind else 0


if __name__ == "__main__":
    sys.exit(main())
