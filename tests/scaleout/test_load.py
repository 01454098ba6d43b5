"""A short run of bench/load.py loses no write, and its control shows it would see one."""

import re
import subprocess
import sys

from bench import load, server
from conftest import skip_or_fail

SUMMARY = re.compile(r"^summary: (.+)$", re.MULTILINE)
SHARED = re.compile(r"^shared: (.+)$", re.MULTILINE)


def test_short_load_on_two_instances_loses_no_write():
    reason = load.unreachable(load.POSTGRES_URL, load.REDIS_URL)
    if reason:
        skip_or_fail(reason)

    # Two users for eight clients: four clients fight over each hot task; beside them
    # four people work in one shared project.
    result = subprocess.run(
        [
            sys.executable,
            "bench/load.py",
            *("--clients", "8", "--users", "2", "--seconds", "5", "--workers", "2"),
            *("--team-clients", "4", "--team-users", "4"),
            *("--postgres-url", load.POSTGRES_URL, "--redis-url", load.REDIS_URL),
        ],
        cwd=server.ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    summary = dict(pair.split("=", 1) for pair in SUMMARY.search(result.stdout)[1].split())
    assert summary["5xx"] == "0"
    assert summary["lost_writes"] == "0"
    assert int(summary["acknowledged_writes"]) > 0
    assert int(summary["conflicts"]) > 0
    control_lost, control_acknowledged = map(int, summary["control_lost_writes"].split("/"))
    assert 0 < control_lost <= control_acknowledged
    shared = dict(pair.split("=", 1) for pair in SHARED.search(result.stdout)[1].split())
    assert (shared["people"], shared["5xx"], shared["lost_writes"]) == ("4", "0", "0")
    assert int(shared["acknowledged_writes"]) > 0
