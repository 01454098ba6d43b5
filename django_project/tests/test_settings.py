"""The configuration an operator gives through the environment, checked in a fresh process."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
from django.utils.module_loading import import_string

PRODUCTION = {
    "SECRET_KEY": "k9$Qv2!mZ7wLx4Rt8&yN1pBc6Hs3Jd0Fg5Ke-Ua9Wo2Ti7Lr4Ex1Mq8Zn6Vb3",
    "ALLOWED_HOSTS": "todo.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://todo.example.com",
    "SMTP_HOST": "smtp.example.com",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run a command in a clean environment, ignoring any .env of the developer."""
    clean = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "ENV_FILE": "/nonexistent",
    }
    return subprocess.run(
        [sys.executable, *args],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def read_settings(expression: str, **env: str):
    """Evaluate an expression over the settings a fresh process builds from env."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({expression}))"
    )
    result = run(["-c", code], DJANGO_SETTINGS_MODULE="django_project.settings", **env)
    assert result.returncode == 0, result.stderr
    # Log lines go to stdout too; the value is the last line.
    return json.loads(result.stdout.splitlines()[-1])


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run(["manage.py", "check"])

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_set():
    assert read_settings("s.DEBUG", SECRET_KEY="x" * 60) is False


def test_development_starts_without_a_secret_key():
    result = run(["manage.py", "check"], DEBUG="true")

    assert result.returncode == 0, result.stderr


def test_production_configuration_passes_the_deploy_checks():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_sqlite_file_is_the_default_database():
    database = read_settings("s.DATABASES['default']", **PRODUCTION)

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"].endswith("db.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_selects_postgresql():
    database = read_settings(
        "s.DATABASES['default']",
        DATABASE_URL="postgres://ticklist:pw@db.internal:5432/ticklist",
        **PRODUCTION,
    )

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"]) == ("db.internal", "ticklist")
    assert database["CONN_HEALTH_CHECKS"] is True


def test_cache_is_local_memory_without_redis():
    backend = read_settings("s.CACHES['default']['BACKEND']", **PRODUCTION)

    assert backend == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_selects_djangos_redis_cache_with_short_timeouts():
    cache = read_settings("s.CACHES['default']", REDIS_URL="redis://cache:6379/2", **PRODUCTION)

    assert cache["BACKEND"] == "django_project.cache.ResilientRedisCache"
    assert issubclass(import_string(cache["BACKEND"]), RedisCache)
    assert cache["LOCATION"] == "redis://cache:6379/2"
    assert cache["OPTIONS"]["socket_connect_timeout"] <= 1
    assert cache["OPTIONS"]["socket_timeout"] <= 1


def test_sessions_are_in_the_database_with_or_without_redis():
    alone = read_settings("s.SESSION_ENGINE", **PRODUCTION)
    with_redis = read_settings("s.SESSION_ENGINE", REDIS_URL="redis://cache:6379/2", **PRODUCTION)

    # Read with their user in one query, which beats a Redis round trip plus a query.
    assert alone == with_redis == "accounts.sessions"


def test_database_connections_are_kept_between_requests_on_every_database():
    sqlite = read_settings("s.DATABASES['default']", **PRODUCTION)
    postgres = read_settings(
        "s.DATABASES['default']", DATABASE_URL="postgres://u@db:5432/t", **PRODUCTION
    )

    for database in (sqlite, postgres):
        assert database["CONN_MAX_AGE"] == 60
        assert database["CONN_HEALTH_CHECKS"] is True
    pragmas = sqlite["OPTIONS"]["init_command"]
    assert "journal_mode=WAL" in pragmas
    assert "busy_timeout=5000" in pragmas
    assert "synchronous=NORMAL" in pragmas


def test_mail_goes_to_the_console_in_development_and_smtp_in_production():
    development = read_settings("s.MAILERS['default']['BACKEND']", DEBUG="true")
    production = read_settings("s.MAILERS['default']", **PRODUCTION, SMTP_PORT="587")

    assert development == "django_project.mail.ConsoleBackend"
    assert production["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (production["OPTIONS"]["host"], production["OPTIONS"]["port"]) == (
        "smtp.example.com",
        587,
    )


def test_admin_url_comes_from_the_environment():
    admin_url = read_settings("s.ADMIN_URL", ADMIN_URL="/back-office", **PRODUCTION)

    assert admin_url == "back-office/"


def test_time_zone_defaults_to_utc_and_times_are_aware():
    assert read_settings("[s.TIME_ZONE, s.USE_TZ]", **PRODUCTION) == ["UTC", True]


def test_production_cookies_are_secure_and_host_only():
    cookies = read_settings(
        "[s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME]", **PRODUCTION
    )

    assert cookies == [True, "__Host-sessionid", "__Host-csrftoken"]


@pytest.mark.django_db
def test_whitenoise_serves_hashed_static_files_with_long_cache_headers(
    settings, tmp_path, monkeypatch
):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django_project.storage.StaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    url = static("css/site.css")

    response = Client().get(url)

    assert url != "/static/css/site.css", "the name should carry a content hash"
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"/*")
    # Later pages link the same URL without looking the name up in the manifest again.
    monkeypatch.setattr(staticfiles_storage._wrapped, "stored_name", None)
    assert static("css/site.css") == url


def test_background_work_waits_in_the_database_unless_told_otherwise():
    tasks = read_settings("s.TASKS['default']['BACKEND']", **PRODUCTION)

    assert tasks == "django_tasks_db.DatabaseBackend"


def test_one_variable_moves_background_work_to_rq_on_redis():
    url = "redis://queue.internal:6379/2"
    tasks, queues, apps = read_settings(
        "[s.TASKS['default'], s.RQ_QUEUES, s.INSTALLED_APPS]",
        TASKS_BACKEND="rq",
        REDIS_URL=url,
        **PRODUCTION,
    )

    assert tasks == {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    assert queues == {"default": {"URL": url}}
    assert "django_rq" in apps


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TASKS_BACKEND": "rq"}, "REDIS_URL is not set"),
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND must be 'database'"),
    ],
)
def test_a_task_backend_that_cannot_work_stops_the_start(env, message):
    result = run(["manage.py", "check"], **PRODUCTION, **env)

    assert result.returncode != 0
    assert message in result.stderr
