"""A Redis outage slows Ticklist down and nothing more, checked against a real redis-server.

Each test starts a private Redis on a port of its own, points the cache and the
cached sessions at it, and stops, pauses or restarts it mid-test. The shared Redis
on 6379 is never touched.
"""

import logging
import os
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from accounts.tests.factories import PASSWORD
from conftest import skip_or_fail
from django_project.tests.test_security import PUBLIC, SAMPLE_ARGS, named_urls, url_of
from todos.models import Project, Task
from todos.tests.factories import ProjectFactory, one_of_each

pytestmark = pytest.mark.django_db

RETRY_AFTER = 0.3
_ports_used: set[int] = set()


def free_port() -> int:
    """Return a free port no earlier test used, so no test sees another's cache state."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _ports_used:
            _ports_used.add(port)
            return port


class PrivateRedis:
    """A redis-server of the test's own, to stop, pause and start again."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--bind", "127.0.0.1", "--port", str(self.port)),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client().ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        self.resume()
        self.process.terminate()
        self.process.wait(timeout=10)

    def pause(self) -> None:
        """Freeze the server: connections are accepted but never answered, its data kept."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=2)

    def stored_keys(self) -> list[str]:
        return [key.decode() for key in self.client().keys("*")]


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        skip_or_fail("No redis-server: install it with 'apt-get install redis-server'.")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def resilient_cache(location: str, retry_after: float = RETRY_AFTER) -> dict:
    return {
        "default": {
            "BACKEND": "django_project.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "ticklist",
            "RETRY_AFTER": retry_after,
        },
        # Each process's own, as in production.
        "local": settings.CACHES["local"],
    }


@pytest.fixture
def redis_cache(settings, private_redis):
    """Point the cache at the private Redis, as REDIS_URL does."""
    settings.CACHES = resilient_cache(private_redis.url)
    return private_redis


def wait_out_the_backoff() -> None:
    time.sleep(RETRY_AFTER * 1.5)


def sign_in(client, username: str = "ada") -> None:
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    assert response.url == reverse("todos:today")


@pytest.fixture
def objects(user):
    return one_of_each(user)


def signed_in_pages(objects) -> dict[str, str]:
    """Return the URL of every page for signed-in people, as the URLconf has them now."""
    urls = {}
    for name, pattern in named_urls():
        if name in PUBLIC or (pattern.pattern.regex.groups and name not in SAMPLE_ARGS):
            continue
        urls[name] = url_of(name, pattern, objects)
    return urls


def walk(client, urls: dict[str, str]) -> dict[str, int]:
    return {name: client.get(url).status_code for name, url in urls.items()}


def test_every_page_and_write_works_while_redis_is_down(client, user, objects, redis_cache):
    urls = signed_in_pages(objects)
    assert {"todos:today", "todos:task_detail", "accounts:settings"} <= set(urls)
    sign_in(client)
    with_redis = walk(client, urls)
    assert any(key.startswith("ticklist:") for key in redis_cache.stored_keys())

    redis_cache.stop()
    without_redis = walk(client, urls)

    assert without_redis == with_redis
    assert {name: status for name, status in without_redis.items() if status >= 500} == {}
    added = client.post(reverse("todos:quick_add"), {"text": "Buy milk tomorrow #Home"})
    assert added.status_code == 302
    milk = Task.objects.get(owner=user, title="Buy milk")
    assert client.post(reverse("todos:task_toggle", args=[milk.pk])).status_code == 302
    milk.refresh_from_db()
    assert milk.completed_at is not None
    created = client.post(reverse("todos:project_create"), {"name": "Garden", "colour": "green"})
    assert created.status_code == 302
    assert Project.objects.filter(owner=user, name="Garden").exists()
    today = client.get(reverse("todos:today")).content.decode()
    assert "Garden" in today  # the sidebar is counted afresh, not served stale


def test_people_sign_in_and_out_while_redis_is_down(client, user, redis_cache):
    redis_cache.stop()

    sign_in(client)
    assert client.get(reverse("todos:today")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("todos:today")).url.startswith(reverse("login"))


def test_healthz_reports_the_cache_down_and_back_but_stays_up(client, redis_cache):
    assert client.get(reverse("pages:healthz")).json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
    }

    redis_cache.stop()
    down = client.get(reverse("pages:healthz"))
    redis_cache.start()
    wait_out_the_backoff()
    back = client.get(reverse("pages:healthz"))

    assert down.status_code == 200
    assert down.json() == {"status": "ok", "database": "ok", "cache": "unavailable"}
    assert back.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_the_outage_is_logged_once_when_it_starts_and_once_when_it_ends(
    client, user, objects, redis_cache, caplog
):
    sign_in(client)
    urls = signed_in_pages(objects)
    caplog.set_level(logging.WARNING)

    redis_cache.stop()
    for _ in range(3):  # each round outlasts the back-off, so Redis is tried again
        walk(client, urls)
        wait_out_the_backoff()
    redis_cache.start()
    wait_out_the_backoff()
    walk(client, urls)

    messages = [r.getMessage() for r in caplog.records if r.name == "django_project.cache"]
    assert len(messages) == 2, messages
    assert messages[0].startswith(f"cache unreachable at {redis_cache.url}")
    assert messages[1].startswith(f"cache reachable again at {redis_cache.url}")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_the_app_uses_redis_again_once_it_is_back(client, user, redis_cache):
    sign_in(client)
    redis_cache.stop()
    client.get(reverse("todos:today"))

    redis_cache.start()
    wait_out_the_backoff()
    # A change: the sidebar of the new data version is nowhere yet, so it goes to Redis.
    ProjectFactory(owner=user, name="Garden")
    client.get(reverse("todos:today"))
    cache.set("after-the-outage", "stored")

    keys = redis_cache.stored_keys()
    assert "ticklist:1:after-the-outage" in keys
    assert any(key.startswith(f"ticklist:1:todos:sidebar:{user.pk}.") for key in keys)


def test_a_redis_restart_between_requests_goes_unnoticed(client, user, redis_cache, caplog):
    sign_in(client)
    client.get(reverse("todos:today"))

    redis_cache.stop()
    redis_cache.start()
    ProjectFactory(owner=user, name="Garden")  # so the next page must ask Redis
    response = client.get(reverse("todos:today"))

    assert response.status_code == 200
    # The pooled connection the restart closed is replaced at once, not taken for an outage.
    assert [r for r in caplog.records if r.name == "django_project.cache"] == []
    assert any(
        key.startswith(f"ticklist:1:todos:sidebar:{user.pk}.") for key in redis_cache.stored_keys()
    )


def test_a_session_signed_out_while_redis_was_away_stays_signed_out(client, user, redis_cache):
    sign_in(client)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Sessions are read from the database only: Redis never holds a copy to go stale.
    assert not any(old_cookie in key for key in redis_cache.stored_keys())

    # A partition: Redis keeps its data but cannot be reached while the person signs out.
    redis_cache.pause()
    assert client.post(reverse("logout")).status_code == 302
    redis_cache.resume()
    wait_out_the_backoff()
    client.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = client.get(reverse("todos:today"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


class Silent:
    """A TCP server that accepts connections and never answers: a hung Redis."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self):
        self.listener.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def hung_redis(settings):
    server = Silent()
    settings.CACHES = resilient_cache(server.url, retry_after=60)
    yield server
    server.close()


def test_a_hung_redis_costs_one_short_wait_then_nothing(client_logged_in, hung_redis):
    started = time.monotonic()
    assert client_logged_in.get(reverse("todos:today")).status_code == 200
    first = time.monotonic() - started
    tried = len(hung_redis.connections)

    for name in ["todos:upcoming", "todos:inbox", "todos:search", "accounts:settings"]:
        assert client_logged_in.get(reverse(name)).status_code == 200

    assert tried >= 1
    assert first < 3  # the socket timeouts, not the worker's 30 s
    assert len(hung_redis.connections) == tried  # nobody dialled Redis during the back-off


def test_the_warning_names_redis_without_its_password(client, settings, caplog):
    nowhere = f"redis://:s3cret-password@127.0.0.1:{free_port()}/2"
    settings.CACHES = resilient_cache(nowhere)

    assert client.get(reverse("pages:healthz")).json()["cache"] == "unavailable"

    [warning] = [r.getMessage() for r in caplog.records if r.name == "django_project.cache"]
    assert warning.startswith(f"cache unreachable at redis://127.0.0.1:{nowhere.split(':')[-1]}")
    assert "s3cret" not in warning


def commands_served(redis_server: PrivateRedis) -> int:
    """Return how many commands the server has answered, not counting the test's own questions."""
    stats = redis_server.client().info("commandstats")
    ours = ("cmdstat_info", "cmdstat_hello")
    return sum(v["calls"] for k, v in stats.items() if k not in ours)


def test_a_page_seen_again_costs_no_redis_round_trip(client, user, redis_cache):
    sign_in(client)
    first = commands_served(redis_cache)
    assert client.get(reverse("todos:today")).status_code == 200
    # The first view reads the sidebar and the team from Redis, or makes and stores them.
    assert commands_served(redis_cache) - first > 1
    before = commands_served(redis_cache)

    for name in ["todos:today", "todos:upcoming", "todos:inbox"]:
        assert client.get(reverse(name)).status_code == 200

    # The session comes from the database with its user; what is named by the data
    # version (the sidebar, the team, their HTML), from this process's memory.
    assert commands_served(redis_cache) == before


def test_a_change_elsewhere_is_seen_at_once_despite_what_this_process_remembers(
    client, user, redis_cache
):
    sign_in(client)
    assert "Garden" not in client.get(reverse("todos:today")).content.decode()

    # As another process would: the write moves the person's data version.
    ProjectFactory(owner=user, name="Garden")

    assert "Garden" in client.get(reverse("todos:today")).content.decode()
