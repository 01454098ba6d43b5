"""Two gunicorn instances on one PostgreSQL database and one Redis act as one site.

These talk to real servers over HTTP, so they need no test database of their own.
"""

import psycopg
import pytest
import redis

from bench import load
from bench.server import Browser
from conftest import skip_or_fail

WRONG_PASSWORD = "not-the-password"


@pytest.fixture(scope="module")
def site():
    reason = load.unreachable(load.POSTGRES_URL, load.REDIS_URL)
    if reason:
        skip_or_fail(reason)
    usernames = ["ada", "grace", "linus", "margaret"]
    with load.cluster(usernames=usernames, workers=2) as cluster:
        yield cluster


def sign_in(site, username: str, *, on: int) -> tuple[Browser, str]:
    browser = Browser(site.urls[on])
    return browser, browser.sign_in(username, site.passwords[username])


def today_with(site, session: str, *, on: int) -> tuple[int, str]:
    """Open Today on one instance with nothing but this session cookie."""
    browser = Browser(site.urls[on])
    status, _ = browser.get("/today/", headers={"Cookie": f"sessionid={session}"})
    return status, browser.headers.get("Location", "")


def test_session_from_one_instance_works_on_the_other(site):
    _, session = sign_in(site, "ada", on=0)

    assert today_with(site, session, on=1) == (200, "")
    # In the shared database, beside its user; never only in one process or in Redis.
    with psycopg.connect(site.database_url) as connection:
        row = connection.execute(
            "SELECT user_id IS NOT NULL FROM accounts_session WHERE session_key = %s", (session,)
        ).fetchone()
    assert row == (True,)
    assert not any(redis.Redis.from_url(site.redis_url).scan_iter(match=f"*{session}"))


def test_logout_on_one_instance_ends_the_session_on_the_other(site):
    browser, session = sign_in(site, "grace", on=0)
    assert today_with(site, session, on=1)[0] == 200

    status, _ = browser.post("/accounts/logout/")

    assert status == 302
    assert today_with(site, session, on=1) == (302, "/accounts/login/?next=/today/")


def test_lockout_earned_on_one_instance_holds_on_the_other(site):
    browser = Browser(site.urls[0])
    failures = [browser.attempt_sign_in("linus", WRONG_PASSWORD) for _ in range(5)]

    assert failures == [200, 200, 200, 200, 429]
    assert Browser(site.urls[1]).attempt_sign_in("linus", site.passwords["linus"]) == 429


def test_failures_on_both_instances_add_up_to_a_lockout(site):
    for on in [0, 1, 0, 1]:
        assert Browser(site.urls[on]).attempt_sign_in("margaret", WRONG_PASSWORD) == 200

    assert Browser(site.urls[1]).attempt_sign_in("margaret", WRONG_PASSWORD) == 429
    assert Browser(site.urls[0]).attempt_sign_in("margaret", site.passwords["margaret"]) == 429
