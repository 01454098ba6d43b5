"""Fixtures shared by every test: fast settings, users, and the browser set-up.

`user` owns things, `other_user` should have no access to them, and
`client_logged_in` is a test client signed in as `user`.
"""

import os
import shutil
from pathlib import Path

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


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    from todos.rows import drawn
    from todos.templatetags.todos_tags import rendered_options

    memos = (cache, drawn, rendered_options)
    for memo in memos:
        memo.clear()
    yield
    for memo in memos:
        memo.clear()


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
