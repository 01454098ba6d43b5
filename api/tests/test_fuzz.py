"""Schemathesis fuzzes the API of a real server from its own schema.

Nothing it sends may give a 5xx, a status the schema does not list, or a body or
content type other than the one documented for that status. The server is gunicorn,
started the production way on this run's test database.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import server
from conftest import database_url

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
# Enough cases per operation to reach past the happy path, few enough that the whole
# run takes about a minute on the two slow cores CI has.
EXAMPLES_PER_OPERATION = 20


@pytest.fixture
def objects(transactional_db):
    """Someone's project, tasks, tag and comment, a stranger's task, and a token of the first."""
    from datetime import date, time

    from accounts import tokens
    from accounts.models import TokenScope
    from accounts.tests.factories import UserFactory
    from todos.tests.factories import CommentFactory, ProjectFactory, TagFactory, TaskFactory

    owner = UserFactory(username="ada", email="ada@example.com")
    project = ProjectFactory(owner=owner, name="Home")
    tag = TagFactory(owner=owner, name="bills")
    # Due at a time, so a reminder can be set on it.
    rent = TaskFactory(
        project=project, title="Pay rent", tags=[tag], due_date=date(2030, 1, 1), due_time=time(9)
    )
    ours = [
        project,
        tag,
        rent,
        TaskFactory(project=project, parent=rent, title="Find the landlord's IBAN"),
        CommentFactory(task=rent, author=owner, body="Paid by transfer"),
    ]
    # Ids a stranger's things have: asking for them is a 404 like any unknown id.
    strangers = TaskFactory(title="Someone else's", project__owner=UserFactory(username="mallory"))
    _, secret = tokens.create(owner=owner, name="fuzzer", scope=TokenScope.WRITE)
    ids = {thing.pk for thing in ours} | {strangers.pk, strangers.project.pk}
    return {"secret": secret, "ids": sorted(ids)}


@pytest.fixture
def api_server(transactional_db, tmp_path):
    """Serve this run's test database with gunicorn, as in production."""
    from django.db import connection

    env = server.production_env(
        database_url=database_url(connection.settings_dict),
        redis_url=os.environ.get("REDIS_URL", ""),
        # The fuzzer sends far more than anyone would; it tests the answers, not the limits.
        API_RATE_PER_TOKEN="1000000/minute",
        API_RATE_PER_USER="1000000/minute",
    )
    # With DEBUG off an HTML error page needs the collected files to render at all.
    server.collect_static(env)
    instance = server.start(env, workers=1, log_dir=tmp_path)
    yield instance
    instance.stop()


def config_file(folder: Path, ids: list[int]) -> Path:
    """Write a schemathesis.toml that sends the token and often picks ids that exist."""
    path = folder / "schemathesis.toml"
    path.write_text(
        f"""
# Each run starts afresh: what failed last time is not replayed first.
[cache]
enabled = false

[auth.openapi.personalAccessToken]
bearer = "${{FUZZ_TOKEN}}"

# Strings of digits, which fit both an id in a URL and an integer field.
[dictionaries.existing]
values = {json.dumps([str(pk) for pk in ids])}

# Random ids are nearly always 404s: half the time, take one of the objects made above,
# in the URL (where an id is a string of digits) and in bodies and filters.
[generation.dictionaries.integer]
dictionary = "existing"
probability = 0.5

[parameters]
"path.id" = {{ dictionary = "existing", probability = 0.5 }}

# A schema cannot say which ids are someone else's, which names are taken, which time
# zones exist, or that a write needs If-Match or a version: valid by the schema is not
# always valid. It must still never be refused for its form (406, 415, 422).
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "412", "428", "429", "5xx"]
"""
    )
    return path


def test_the_fuzzer_finds_nothing_the_schema_does_not_promise(objects, api_server, tmp_path):
    config = config_file(tmp_path, objects["ids"])
    run = subprocess.run(
        [
            SCHEMATHESIS,
            "--config-file",
            config,
            "run",
            f"{api_server.url}/api/schema/",
            "--checks=all",
            "--generation-deterministic",
            f"--max-examples={EXAMPLES_PER_OPERATION}",
            "--workers=1",
            "--request-timeout=10",
            "--no-color",
        ],
        env={**os.environ, "FUZZ_TOKEN": objects["secret"]},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if run.returncode != 0:
        pytest.fail(f"{run.stdout}\n{run.stderr}\n{server_errors(api_server)}", pytrace=False)


def server_errors(instance) -> str:
    """Return the tracebacks of the server's 5xx, from its log."""
    errors = []
    for line in instance.log.read_text().splitlines():
        record = json.loads(line) if line.startswith("{") else {}
        if record.get("level") == "ERROR":
            errors.append(f"{record['event']}\n{record.get('exception', '')}")
    return "-- server errors --\n" + "\n\n".join(errors)
