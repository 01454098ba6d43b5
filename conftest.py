"""Fixtures shared by every test: fast settings, users, and the browser set-up.

`user` owns things, `other_user` should have no access to them, and
`client_logged_in` is a test client signed in as `user`. Background tasks run
at once, inside the test; `smtp_server` and `worker` give a real mail server
and a real worker process (`manage.py worker`) for the tests about the
background path itself.
"""

import os
import shutil
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest

# live_server runs in a thread while sync Playwright holds an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(message: str) -> None:
    """Skip a test whose tool is missing here, but fail in CI, which must run everything."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def base_url():
    """Replace pytest-playwright's fallback fixture, which pytest 9 deprecates."""
    return None


@pytest.fixture(scope="session", autouse=True)
def _static_root(tmp_path_factory):
    """Give whitenoise an existing STATIC_ROOT before the live server starts."""
    from django.conf import settings

    settings.STATIC_ROOT = tmp_path_factory.mktemp("static")


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest storage needs collectstatic first; tests serve from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """Keep a SQLite test database in a file, which a worker process can open too."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Run background tasks inside the test, as soon as they are queued."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def tasks_in_database(settings):
    """Queue background tasks in the database, as the site does, for a worker to run."""
    if settings.TASKS_BACKEND != "database":
        # The tasks were made for that backend when this process imported them.
        pytest.skip(
            f"Needs the database backend; this run has TASKS_BACKEND={settings.TASKS_BACKEND}"
        )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _empty_cache():
    from todos.changes import clear_caches

    clear_caches()
    yield
    clear_caches()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        skip_or_fail(
            f"No Chromium at {CHROMIUM}: install it with 'apt-get install chromium' "
            "or point CHROMIUM_EXECUTABLE at one."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            # Tests only talk to loopback; never look up an outside host.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
        ],
    }


@pytest.fixture(scope="session")
def java() -> str:
    path = shutil.which("java")
    if path is None:
        skip_or_fail(
            "No Java runtime for the HTML validator: install it with 'apt-get install default-jre-headless'."
        )
    return path


@pytest.fixture
def user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(username="ada", email="ada@example.com")


@pytest.fixture
def other_user(db):
    """Someone who should have no access to `user`'s things."""
    from accounts.tests.factories import UserFactory

    return UserFactory(username="mallory", email="mallory@example.com")


@pytest.fixture
def client_logged_in(client, user):
    client.force_login(user)
    return client


class MailCollector:
    """An aiosmtpd handler that keeps every message it accepts; it refuses the `refused` addresses."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()
        self.arrived = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.arrived:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class SMTPServer:
    """A real SMTP server on a free loopback port, which a test can stop and start again."""

    def __init__(self):
        self.collector = MailCollector()
        self.port = 0
        self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.collector.messages

    @property
    def running(self) -> bool:
        return self.controller is not None

    def start(self) -> None:
        """Listen on the port of the last start, or on one the system picks at the first."""
        from aiosmtpd.controller import Controller

        class OnAFreePort(Controller):
            def _trigger_server(self):
                # Bound to port 0: take the port the system chose.
                self.port = self.server.sockets[0].getsockname()[1]
                super()._trigger_server()

        # A stopped controller's event loop is closed: each start needs a new one.
        self.controller = OnAFreePort(self.collector, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.port = self.controller.port

    def stop(self) -> None:
        self.controller.stop()
        self.controller = None

    def wait_for(self, count: int, timeout: float = 30) -> list[EmailMessage]:
        """Return the messages once there are `count` of them; fail after `timeout` seconds."""
        with self.collector.arrived:
            arrived = self.collector.arrived.wait_for(
                lambda: len(self.messages) >= count, timeout=timeout
            )
        assert arrived, f"{len(self.messages)} of {count} messages arrived in {timeout} s"
        return list(self.messages)


@pytest.fixture
def smtp_server(settings):
    """Start a real SMTP server, and send this process's mail to it."""
    server = SMTPServer()
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    yield server
    if server.running:
        server.stop()


def database_url(database: dict) -> str:
    """Return a DATABASE_URL that opens the database these Django settings open."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(database['NAME']).resolve()}"
    credentials = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{quote(database['NAME'], safe='')}"


class Worker:
    """`manage.py worker` in a process of its own, on the test database."""

    def __init__(self, env: dict, log: Path):
        self.env = env
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "worker", "--no-startup-delay", "--interval=0.2"],
                cwd=Path(__file__).parent,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.running:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.process = None

    def output(self) -> str:
        return self.log.read_text() if self.log.exists() else ""


@pytest.fixture
def worker_env(transactional_db, smtp_server) -> dict:
    """The environment of a worker on the test database, with the database backend, mailing `smtp_server`."""
    from django.db import connection

    return {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "TASKS_BACKEND": "database",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_server.port),
        "SMTP_TIMEOUT": "5",
        "REMINDER_TICK_SECONDS": "0.5",
        # Printed when a test fails: what the worker did.
        "LOG_LEVEL": "INFO",
        "ENV_FILE": "/nonexistent",
    }


@pytest.fixture
def worker(worker_env, tasks_in_database, tmp_path):
    """Give a real worker process on the test database that mails `smtp_server`.

    The test starts it (`worker.start()`), so it can first see what waits in the queue.
    """
    process = Worker(worker_env, tmp_path / "worker.log")
    yield process
    process.stop()
    print(process.output())  # shown by pytest when the test failed


def wait_until(condition, timeout: float = 30, every: float = 0.1) -> bool:
    """Return True as soon as condition() holds, False if it does not within timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()
