"""Headers, deny-by-default, CSRF, error pages and logs, as an attacker would probe them."""

import json
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import run_checks
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.tests.factories import PASSWORD
from django_project.logging import JsonFormatter
from todos import feed, services
from todos.tests.factories import one_of_each

pytestmark = pytest.mark.django_db


def named_urls(resolvers=None, namespace=""):
    """Yield (name, pattern) for every named URL of the site outside the admin."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            # The admin has its own tests; the API's resources their own matrix of every
            # route, role and method (api/tests/test_access.py).
            if entry.app_name in {"admin", "api_v1"}:
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_urls(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


# Every named URL that takes arguments, and how to build a sample for it.
SAMPLE_ARGS = {
    "password_reset_confirm": lambda o: ["MQ", "set-password"],
    "accounts:confirm_email": lambda o: ["not-a-token"],
    "todos:project_detail": lambda o: [o["project"].pk],
    "todos:project_update": lambda o: [o["project"].pk],
    "todos:project_delete": lambda o: [o["project"].pk],
    "todos:project_archive": lambda o: [o["project"].pk],
    "todos:project_favourite": lambda o: [o["project"].pk],
    "todos:project_reorder": lambda o: [o["project"].pk],
    "todos:project_members": lambda o: [o["project"].pk],
    "todos:member_role": lambda o: [o["shared"].pk, o["member"].pk],
    "todos:member_remove": lambda o: [o["shared"].pk, o["member"].pk],
    "todos:project_leave": lambda o: [o["shared"].pk],
    "todos:project_hand_over": lambda o: [o["shared"].pk],
    "todos:invitation_accept": lambda o: [o["invitation"].pk],
    "todos:invitation_decline": lambda o: [o["invitation"].pk],
    "todos:invitation_withdraw": lambda o: [o["sent_invitation"].pk],
    "todos:project_activity": lambda o: [o["project"].pk],
    "todos:tag_detail": lambda o: [o["tag"].pk],
    "todos:tag_update": lambda o: [o["tag"].pk],
    "todos:tag_delete": lambda o: [o["tag"].pk],
    "todos:task_new_project": lambda o: [o["task"].pk],
    "todos:undo": lambda o: [o["undo"].pk],
    "todos:task_detail": lambda o: [o["task"].pk],
    "todos:task_update": lambda o: [o["task"].pk],
    "todos:task_toggle": lambda o: [o["task"].pk],
    "todos:task_delete": lambda o: [o["task"].pk],
    "todos:task_move": lambda o: [o["task"].pk],
    "todos:task_assign": lambda o: [o["task"].pk],
    "todos:task_my_day": lambda o: [o["task"].pk],
    "todos:task_move_up": lambda o: [o["task"].pk],
    "todos:task_move_down": lambda o: [o["task"].pk],
    "todos:task_restore": lambda o: [o["trashed"].pk],
    "todos:task_purge": lambda o: [o["trashed"].pk],
    "todos:task_skip": lambda o: [o["task"].pk],
    "todos:task_reminder_add": lambda o: [o["task"].pk],
    "todos:reminder_delete": lambda o: [o["reminder"].pk],
    "todos:comment_add": lambda o: [o["task"].pk],
    "todos:comment_edit": lambda o: [o["comment"].pk],
    "todos:comment_delete": lambda o: [o["comment"].pk],
    "reminders:act": lambda o: [o["action_token"]],
    "todos:calendar_feed": lambda o: [feed.token_for(o["project"].owner)],
    "todos:project_calendar_feed": lambda o: [feed.token_for(o["project"].owner), o["project"].pk],
    "webhooks:detail": lambda o: [o["webhook"].pk],
    "webhooks:delete": lambda o: [o["webhook"].pk],
    "webhooks:send_test": lambda o: [o["webhook"].pk],
    "webhooks:rotate_secret": lambda o: [o["webhook"].pk],
    "webhooks:enable": lambda o: [o["webhook"].pk],
    "webhooks:disable": lambda o: [o["webhook"].pk],
    "accounts:token_revoke": lambda o: [o["access_token"].pk],
}
# Calendar feeds: public, but only at an address with the person's secret token.
FEEDS = {"todos:calendar_feed", "todos:project_calendar_feed"}
# What a visitor who is not signed in may open.
PUBLIC = {
    "pages:home",
    "pages:about",
    "pages:healthz",
    "accounts:signup",
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # POST only (405 to a GET): a visitor's theme choice, kept in a cookie.
    "accounts:theme",
    # A link from a reminder: its signed token is the key, a GET only shows a button.
    "reminders:act",
    # The service worker script: a browser fetches it again without cookies.
    "reminders:service_worker",
    # What the API is and how to call it; every resource answers 401 instead.
    "api:schema",
    "api:docs",
    *FEEDS,
}


@pytest.fixture
def objects(user):
    return one_of_each(user)


def url_of(name, pattern, objects):
    if pattern.pattern.regex.groups:
        assert name in SAMPLE_ARGS, f"{name} takes arguments: add it to SAMPLE_ARGS"
        return reverse(name, args=SAMPLE_ARGS[name](objects))
    return reverse(name)


def test_every_url_with_arguments_has_a_sample():
    with_args = {name for name, p in named_urls() if p.pattern.regex.groups}

    assert with_args == set(SAMPLE_ARGS)


def test_only_the_intended_pages_answer_a_visitor(client, objects):
    answered = set()
    for name, pattern in named_urls():
        response = client.get(url_of(name, pattern, objects))
        sent_to_sign_in = response.status_code == 302 and response.url.startswith(reverse("login"))
        if not (sent_to_sign_in or response.status_code == 401):
            answered.add(name)

    assert answered == PUBLIC


STATE_CHANGING = [
    ("todos:quick_add", {"text": "From a form"}),
    ("todos:task_create", {"title": "New", "priority": 4}),
    ("todos:task_update", {"title": "Edited", "priority": 4, "version": 1}),
    ("todos:task_toggle", {}),
    ("todos:task_delete", {}),
    ("todos:task_move", {}),
    ("todos:task_assign", {"assignee": ""}),
    ("todos:task_my_day", {"state": "on"}),
    ("todos:task_move_up", {}),
    ("todos:task_move_down", {}),
    ("todos:task_restore", {}),
    ("todos:task_purge", {}),
    ("todos:task_bulk", {"action": "complete"}),
    ("todos:project_create", {"name": "Garden", "colour": "green"}),
    ("todos:project_update", {"name": "House", "colour": "blue"}),
    ("todos:project_archive", {}),
    ("todos:project_favourite", {}),
    ("todos:project_reorder", {}),
    ("todos:project_delete", {}),
    ("todos:project_members", {"who": "friend@example.com", "role": "viewer"}),
    ("todos:member_role", {"role": "viewer"}),
    ("todos:member_remove", {}),
    ("todos:project_leave", {}),
    ("todos:project_hand_over", {}),
    ("todos:invitation_accept", {}),
    ("todos:invitation_decline", {}),
    ("todos:invitation_withdraw", {}),
    ("todos:tag_update", {"name": "renamed", "colour": "blue"}),
    ("todos:tag_delete", {}),
    ("todos:task_new_project", {"name": "Garden"}),
    ("todos:undo", {}),
    ("todos:task_skip", {}),
    ("todos:task_reminder_add", {"when": "at", "at": "2026-12-24T09:00"}),
    ("todos:reminder_delete", {}),
    ("todos:comment_add", {"body": "Looks good to me"}),
    ("todos:comment_edit", {"body": "Looks good to me, thanks"}),
    ("todos:comment_delete", {}),
    ("reminders:act", {}),
    ("accounts:settings", {"email": "ada@example.com", "timezone": "UTC", "week_start": 0}),
    ("accounts:confirm_email", {}),
    ("accounts:resend_confirmation", {}),
    ("accounts:cancel_email_change", {}),
    ("accounts:delete", {"password": PASSWORD}),
    ("accounts:calendar_token_reset", {}),
    ("password_change", {"old_password": PASSWORD}),
    ("accounts:theme", {"theme": "dark"}),
    ("reminders:push_subscribe", {}),
    ("reminders:push_unsubscribe", {}),
    ("logout", {}),
    ("webhooks:list", {"url": "https://hooks.example.com/new", "events": ["task.created"]}),
    ("webhooks:detail", {"url": "https://hooks.example.com/edited", "events": ["task.created"]}),
    ("webhooks:send_test", {}),
    ("webhooks:rotate_secret", {}),
    ("webhooks:enable", {}),
    ("webhooks:disable", {}),
    ("webhooks:delete", {}),
]


def test_every_state_changing_url_is_listed_for_csrf(objects):
    listed = {name for name, _ in STATE_CHANGING}
    post_views = {
        name
        for name, _ in named_urls()
        if name.startswith("todos:")
        and name
        not in {
            "todos:my_day",
            "todos:today",
            "todos:upcoming",
            "todos:assigned",
            "todos:inbox",
            "todos:completed",
            "todos:search",
            "todos:trash",
            "todos:project_list",
            "todos:project_detail",
            "todos:project_activity",
            "todos:tag_detail",
            "todos:tag_list",
            "todos:task_detail",
            "todos:quick_add_preview",
            "todos:notifications",
            "todos:invitations",
            *FEEDS,
        }
    }

    assert post_views <= listed


def sample_url(name, objects):
    pattern = dict(named_urls())[name]
    return url_of(name, pattern, objects)


@pytest.mark.parametrize(("name", "data"), STATE_CHANGING)
def test_a_post_without_the_csrf_token_is_refused(user, objects, name, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(sample_url(name, objects), data)

    assert response.status_code == 403
    assert get_user_model().objects.filter(pk=user.pk).exists()


@pytest.mark.parametrize("how", ["field", "header"])
@pytest.mark.parametrize(("name", "data"), STATE_CHANGING)
def test_a_post_with_the_csrf_token_is_accepted(user, objects, name, data, how):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("accounts:settings"))  # sets the CSRF cookie, as a page view does
    token = client.cookies["csrftoken"].value
    extra = {"HTTP_X_CSRFTOKEN": token} if how == "header" else {}
    payload = {**data, "csrfmiddlewaretoken": token} if how == "field" else data
    if name in {"todos:task_move", "todos:task_create", "todos:task_update"}:
        payload = {**payload, "project": services.ensure_inbox(user).pk}

    response = client.post(sample_url(name, objects), payload, **extra)

    assert response.status_code != 403


def test_security_headers_on_every_page(client_logged_in):
    response = client_logged_in.get(reverse("todos:today"))

    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


def test_public_pages_may_be_cached_but_not_framed(client):
    response = client.get(reverse("pages:about"))

    assert "no-store" not in response.get("Cache-Control", "")
    assert response["X-Frame-Options"] == "DENY"


def test_content_security_policy_uses_the_pages_nonce(client_logged_in):
    response = client_logged_in.get(reverse("todos:today"))
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    html = response.content.decode()
    nonces = set(re.findall(r'nonce="([^"]+)"', html))

    assert policy["default-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert len(nonces) == 1
    assert policy["script-src"] == policy["style-src"] == f"'self' 'nonce-{nonces.pop()}'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert html.count("<script") == html.count("nonce=") - html.count('rel="stylesheet"')


def test_templates_have_no_inline_styles_or_event_handlers(settings):
    templates = (settings.BASE_DIR / "templates").rglob("*.html")
    offending = [
        str(path)
        for path in templates
        if re.search(r"\sstyle=|\son[a-z]+=|<style(?![^>]*nonce)", path.read_text())
    ]

    assert offending == []


def test_sign_out_clears_the_site_cache(client_logged_in):
    response = client_logged_in.post(reverse("logout"))

    assert response["Clear-Site-Data"] == '"cache"'


@pytest.fixture
def production_settings(settings, monkeypatch):
    # The model checks ask the database once whether it stores JSON (undo records do).
    # Ask now: once the variable below is gone, the browser tests' event loop, if they
    # ran first in this process, makes Django refuse every query.
    assert connection.features.supports_json_field
    # Only the browser tests need this; Django's deploy check rightly objects to it.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
    return settings


def deploy_warnings():
    return {
        message.id for message in run_checks(include_deployment_checks=True) if message.level >= 30
    }


def test_the_production_settings_pass_every_deploy_check(production_settings):
    assert deploy_warnings() == set()


@pytest.mark.parametrize(
    ("setting", "value", "check"),
    [
        ("SECURE_HSTS_SECONDS", 0, "security.W004"),
        ("SECURE_HSTS_INCLUDE_SUBDOMAINS", False, "security.W005"),
        ("SECURE_HSTS_PRELOAD", False, "security.W021"),
        ("SECURE_CONTENT_TYPE_NOSNIFF", False, "security.W006"),
        ("SECURE_SSL_REDIRECT", False, "security.W008"),
        ("SECRET_KEY", "short", "security.W009"),
        ("SESSION_COOKIE_SECURE", False, "security.W012"),
        ("SESSION_COOKIE_HTTPONLY", False, "security.W015"),
        ("CSRF_COOKIE_SECURE", False, "security.W016"),
        ("DEBUG", True, "security.W018"),
        ("X_FRAME_OPTIONS", "SAMEORIGIN", "security.W019"),
        ("ALLOWED_HOSTS", [], "security.W020"),
        ("SECURE_REFERRER_POLICY", None, "security.W022"),
    ],
)
def test_removing_a_security_setting_fires_its_check(production_settings, setting, value, check):
    setattr(production_settings, setting, value)

    assert check in deploy_warnings()


@pytest.mark.parametrize(
    ("middleware", "check"),
    [
        ("django.middleware.security.SecurityMiddleware", "security.W001"),
        ("django.middleware.clickjacking.XFrameOptionsMiddleware", "security.W002"),
    ],
)
def test_removing_a_security_middleware_fires_its_check(production_settings, middleware, check):
    production_settings.MIDDLEWARE = [m for m in production_settings.MIDDLEWARE if m != middleware]

    assert check in deploy_warnings()


def test_console_mail_is_refused_in_production(production_settings):
    production_settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    }

    assert "mail.E001" in deploy_warnings()


def test_a_crash_shows_the_plain_error_page_without_details(client, settings, monkeypatch):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False

    def explode(request):
        raise RuntimeError("SELECT secret FROM settings WHERE SECRET_KEY = 'leak'")

    monkeypatch.setattr(
        "pages.views.AboutView.get", lambda self, request, *a, **k: explode(request)
    )
    client.raise_request_exception = False

    response = client.get(reverse("pages:about"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    for leak in ["Traceback", "RuntimeError", "SELECT", "SECRET_KEY", settings.SECRET_KEY]:
        assert leak not in html


def test_sign_ins_are_logged_without_the_password(client, user, caplog):
    with caplog.at_level(logging.INFO, logger="ticklist.auth"):
        client.post(reverse("login"), {"username": "ada", "password": "wrong-guess-123"})
        client.post(reverse("login"), {"username": "ada", "password": PASSWORD})

    records = [r for r in caplog.records if r.name == "ticklist.auth"]
    lines = [JsonFormatter().format(record) for record in records]
    events = [json.loads(line) for line in lines]
    assert [e["event"] for e in events] == ["sign-in failed", "sign-in succeeded"]
    assert events[0]["username"] == "ada"
    assert events[1]["user_id"] == user.pk
    assert all("\n" not in line for line in lines)
    assert not any(secret in line for line in lines for secret in ["wrong-guess-123", PASSWORD])


def test_denied_object_lookups_are_logged(client, other_user, objects, caplog):
    client.force_login(other_user)

    with caplog.at_level(logging.WARNING, logger="ticklist.access"):
        client.get(reverse("todos:task_detail", args=[objects["task"].pk]))

    (record,) = [r for r in caplog.records if r.name == "ticklist.access"]
    assert record.getMessage() == "object lookup denied"
    assert (record.user_id, record.object_id) == (other_user.pk, objects["task"].pk)


def test_log_formatter_hides_secrets_passed_as_extras():
    record = logging.LogRecord("x", logging.INFO, "", 0, "event", (), None)
    record.password = "hunter2"
    record.token = "abc"

    line = JsonFormatter().format(record)

    assert "hunter2" not in line
    assert "abc" not in line
    assert json.loads(line)["event"] == "event"
