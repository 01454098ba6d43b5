"""One SQLite file, kept connections, many writers at once: nothing refused as locked, nothing lost.

Two gunicorn servers of two workers each take quick adds and ticks from eight
clients while the background worker sends and records a webhook delivery for
every one of those writes, all on one database file, as a single machine runs.
"""

import re
import secrets
import sqlite3
import subprocess
import sys
import threading
import time

from bench import load, server
from webhooks.tests.conftest import Receiver

SECONDS = 8
CLIENTS = 8
TASK_ID = re.compile(rb'id="task-(\d+)"')


def add_webhooks(env: dict, usernames: list[str], url: str) -> None:
    """Give each account a webhook to `url` for every task event."""
    code = (
        "from django.contrib.auth import get_user_model\n"
        "from webhooks.models import Event, Webhook\n"
        f"for user in get_user_model().objects.filter(username__in={usernames!r}):\n"
        f"    Webhook.objects.create(owner=user, url={url!r}, events=list(Event.values))\n"
    )
    server.manage(env, "shell", "-c", code)


class Writer(threading.Thread):
    """A signed-in client adding tasks and ticking them off until told to stop."""

    def __init__(self, base_url: str, username: str, password: str, number: int, stop):
        super().__init__(daemon=True)
        self.browser = server.Browser(base_url)
        self.browser.sign_in(username, password)
        self.number = number
        self.stop = stop
        self.added: list[str] = []
        self.statuses: list[int] = []

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            title = f"Write {self.number}-{n}"
            status, page = self.browser.post(
                "/tasks/quick-add/", {"text": title}, headers={"HX-Request": "true"}
            )
            self.statuses.append(status)
            if status == 200:
                self.added.append(title)
                found = TASK_ID.findall(page)
                if found:
                    status, _ = self.browser.post(
                        f"/tasks/{int(found[-1])}/toggle/",
                        {"completed": "1"},
                        headers={"HX-Request": "true"},
                    )
                    self.statuses.append(status)
            n += 1


def test_servers_and_the_worker_write_one_sqlite_file_at_once(tmp_path):
    database = tmp_path / "site.sqlite3"
    receiver = Receiver()
    receiver.start()
    env = server.production_env(
        database_url=f"sqlite:///{database}",
        TASKS_BACKEND="database",
        WEBHOOKS_ALLOW_PRIVATE="true",
    )
    server.collect_static(env)
    server.manage(env, "migrate", "--no-input")
    passwords = {f"writer{i}": secrets.token_urlsafe(12) for i in range(CLIENTS // 2)}
    load.create_users(env, passwords)
    add_webhooks(env, list(passwords), receiver.url)
    instances = [server.start(env, workers=2, log_dir=tmp_path) for _ in range(2)]
    worker_log = tmp_path / "worker.log"
    with worker_log.open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--no-startup-delay", "--interval=0.2"],
            cwd=server.ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        stop = threading.Event()
        names = list(passwords)
        writers = [
            Writer(
                instances[i % 2].url,
                names[i % len(names)],
                passwords[names[i % len(names)]],
                i,
                stop,
            )
            for i in range(CLIENTS)
        ]
        for writer in writers:
            writer.start()
        time.sleep(SECONDS)
        stop.set()
        for writer in writers:
            writer.join(timeout=60)
        # The worker catches up with the deliveries the writes queued.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(receiver.requests) < CLIENTS:
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        for instance in instances:
            instance.stop()
        receiver.stop()

    statuses = [status for writer in writers for status in writer.statuses]
    added = {title for writer in writers for title in writer.added}
    logs = "\n".join(
        path.read_text(errors="replace") for path in [worker_log, *(i.log for i in instances)]
    )
    with sqlite3.connect(database) as connection:
        stored = {title for (title,) in connection.execute("SELECT title FROM todos_task")}
        recorded = connection.execute(
            "SELECT count(*) FROM webhooks_delivery WHERE status != 'pending'"
        ).fetchone()[0]
        (mode,) = connection.execute("PRAGMA journal_mode").fetchone()

    assert len(added) > CLIENTS, "the servers took too few writes to test anything"
    assert set(statuses) == {200}, sorted(set(statuses))
    assert added <= stored
    assert "database is locked" not in logs
    assert recorded >= CLIENTS  # the worker wrote beside the servers
    assert mode == "wal"
