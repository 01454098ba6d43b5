"""Run Ticklist the production way for benchmarks and multi-process tests.

Starts gunicorn with `gunicorn.conf.py` and `DEBUG` off against a database and
(optionally) Redis named by the caller, waits for `/healthz/`, and signs people
in through the real login form. Used by `bench/` and by the scale-out tests.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def production_env(*, database_url: str, redis_url: str = "", **extra: str) -> dict[str, str]:
    """Return an environment for a production-like run on plain HTTP over loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        # The test runner's own settings must not leak into the server.
        if not key.startswith(("PYTEST_", "DJANGO_"))
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=env.get("SECRET_KEY") or "bench-secret-key-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        # TLS would end at a proxy in production; here the client talks plain HTTP.
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        GUNICORN_ACCESSLOG="",
        # A .env in the working tree must not change what is measured.
        ENV_FILE=os.devnull,
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, quiet: bool = True) -> None:
    """Run a manage.py command with `env`, raising if it fails."""
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def collect_static(env: dict[str, str]) -> None:
    """Collect static files: with DEBUG off the manifest storage cannot render a page without them."""
    manage(env, "collectstatic", "--no-input")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Instance:
    """One gunicorn server: its address and process."""

    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """Return the pids of this server's worker processes."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(
    env: dict[str, str],
    *,
    port: int | None = None,
    workers: int | None = None,
    log_dir: Path | None = None,
    timeout: float = 30,
) -> Instance:
    """Start gunicorn with the project's configuration and wait until it is healthy."""
    port = port or free_port()
    run_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    if workers is not None:
        run_env["WEB_CONCURRENCY"] = str(workers)
    log = (log_dir or Path(tempfile.gettempdir())) / f"gunicorn-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=run_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    instance = Instance(port, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{instance.url}/healthz/", timeout=2) as response:
                if response.status == 200:
                    return instance
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    instance.stop()
    raise RuntimeError(f"gunicorn did not answer /healthz/ within {timeout} s:\n{log.read_text()}")


@dataclass
class Browser:
    """A minimal HTTP client with a cookie jar, CSRF handling and no redirect following."""

    base_url: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        # The last response's headers, for its Location; each thread has its own Browser.
        self.headers: Message = Message()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def request(
        self,
        method: str,
        path: str,
        data: dict | None = None,
        headers: dict | None = None,
        *,
        as_json: bool = False,
    ) -> tuple[int, bytes]:
        """Send a request; a POST carries the CSRF cookie's token in its header."""
        body = None
        if method == "POST" and as_json:
            body = json.dumps(data or {}).encode()
        elif method == "POST":
            body = urllib.parse.urlencode(data or {}, doseq=True).encode()
        request = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers=dict(headers or {})
        )
        if method == "POST":
            form = "application/x-www-form-urlencoded"
            request.add_header("Content-Type", "application/json" if as_json else form)
            request.add_header("X-CSRFToken", self.cookie("csrftoken") or "")
        try:
            with self.opener.open(request, timeout=30) as response:
                self.headers = response.headers
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            self.headers = error.headers
            return error.code, error.read()

    def get(self, path: str, **kwargs) -> tuple[int, bytes]:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs) -> tuple[int, bytes]:
        return self.request("POST", path, data, **kwargs)

    def attempt_sign_in(self, username: str, password: str) -> int:
        """Submit the login form once; return the status it answers with."""
        status, page = self.get("/accounts/login/")
        match = CSRF_FIELD.search(page)
        if status != 200 or match is None:
            raise RuntimeError(f"login page answered {status} without a CSRF token")
        status, _ = self.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": password,
            },
        )
        return status

    def sign_in(self, username: str, password: str) -> str:
        """Sign in through the login form; return the session id."""
        status = self.attempt_sign_in(username, password)
        session = self.cookie("sessionid")
        if status != 302 or session is None:
            raise RuntimeError(f"signing in as {username} failed with {status}")
        return session


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
