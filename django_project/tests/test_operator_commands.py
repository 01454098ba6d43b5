"""What an operator types, run as printed: manage.py, the make targets and the README's commands.

Each runs in a fresh process with a clean environment, so neither the test
runner's variables nor a developer's own `.env` decide the outcome.
"""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# The interpreter the README prints; the suite runs in it whenever `make test` ran it.
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable


def run(args: list[str], *, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        args,
        env={**clean, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def make_env_file(folder: Path) -> subprocess.CompletedProcess:
    """Run the Makefile's `.env` rule in `folder`, a project folder with its `.env.example`."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    shutil.copy(ROOT / ".env.example", folder)
    if not (folder / ".venv").exists():
        (folder / ".venv").symlink_to(VENV_PYTHON.parent.parent)
    return run(["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), ".env"], cwd=folder)


def variables(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


@pytest.fixture
def development_env(tmp_path) -> Path:
    """Return a development `.env` as `make run` writes it."""
    result = make_env_file(tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / ".env"


def test_make_run_writes_a_development_env_before_anything_reads_it():
    planned = run(["make", "--dry-run", "--always-make", "run"]).stdout

    assert "Created .env for development" in planned
    assert planned.index("Created .env") < planned.index("manage.py migrate")


def test_the_development_env_is_the_example_with_debug_on_and_a_fresh_key(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()

    made = make_env_file(first)
    make_env_file(second)

    assert made.returncode == 0, made.stderr
    assert "Created .env for development from .env.example" in made.stdout
    env, example = variables(first / ".env"), variables(ROOT / ".env.example")
    assert env["DEBUG"] == "true"
    assert len(env["SECRET_KEY"]) >= 50
    assert env["SECRET_KEY"] != variables(second / ".env")["SECRET_KEY"]
    assert {k: v for k, v in env.items() if k not in {"DEBUG", "SECRET_KEY"}} == {
        k: v for k, v in example.items() if k not in {"DEBUG", "SECRET_KEY"}
    }
    assert (first / ".env").stat().st_mode & 0o077 == 0  # it holds a secret


def test_an_existing_env_is_never_overwritten(development_env):
    development_env.write_text("SECRET_KEY=mine\n")

    again = make_env_file(development_env.parent)

    assert again.returncode == 0
    assert "Created" not in again.stdout
    assert development_env.read_text() == "SECRET_KEY=mine\n"


def test_manage_py_works_as_printed_with_the_development_env(development_env):
    result = run([PYTHON, "manage.py", "check"], ENV_FILE=str(development_env))

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_make_manage_runs_any_command_in_the_virtual_environment(development_env):
    result = run(
        ["make", "--no-print-directory", "manage", "ARGS=check --tag urls"],
        ENV_FILE=str(development_env),
    )

    assert result.returncode == 0, result.stderr
    assert ".venv/bin/python manage.py check --tag urls" in result.stdout
    assert "System check identified no issues" in result.stdout


def test_manage_py_without_a_secret_key_says_so_in_one_line():
    result = run([PYTHON, "manage.py", "migrate"], ENV_FILE="/nonexistent")

    assert result.returncode != 0
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert ".env.example" in result.stderr


def test_manage_py_under_a_python_without_django_says_which_python_to_use():
    # -S leaves site-packages out: a Python like the system's, with no Django.
    result = run([PYTHON, "-S", "manage.py", "check"], ENV_FILE="/nonexistent")

    assert result.returncode != 0
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Django is not installed" in result.stderr
    assert ".venv/bin/python manage.py" in result.stderr


def readme_commands() -> list[str]:
    return re.findall(r"([^\s`]*python[^\s`]*) manage\.py (\w+)", (ROOT / "README.md").read_text())


def test_the_readme_prints_every_manage_py_command_with_the_virtual_environments_python():
    commands = readme_commands()

    assert {"createsuperuser", "seed_demo", "migrate", "collectstatic"} <= {c for _, c in commands}
    assert {python for python, _ in commands} == {".venv/bin/python"}
    assert 'make manage ARGS="createsuperuser"' in (ROOT / "README.md").read_text()


def test_every_manage_py_command_in_the_readme_exists(development_env):
    result = run([PYTHON, "manage.py", "help", "--commands"], ENV_FILE=str(development_env))

    assert result.returncode == 0, result.stderr
    assert {name for _, name in readme_commands()} - set(result.stdout.split()) == set()


def test_collected_static_files_are_for_debug_off_even_with_a_development_env(development_env):
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    started = time.time()

    result = run(["make", "--no-print-directory", "collectstatic"], ENV_FILE=str(development_env))

    assert result.returncode == 0, result.stderr
    # Only the production storage writes the manifest `make serve` needs.
    assert manifest.stat().st_mtime >= started - 1
