"""Ticklist settings, read from the environment (and `.env` for local use).

Every variable is documented in `.env.example` and the README. Defaults are the
secure production ones unless DEBUG is on; DEBUG itself is off unless set.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.contrib.messages import constants as message_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
ENV_FILE = Path(env.str("ENV_FILE", default=str(BASE_DIR / ".env")))
if ENV_FILE.is_file():
    # Real environment variables win over the file.
    env.read_env(ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set, and it is required when DEBUG is off. Set it to a long "
            "random string in the environment or in .env (see .env.example; `make run` "
            "writes a development .env), or set DEBUG=true for development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL must not be empty; the default is 'admin/'.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "pages",
    "todos",
    "reminders",
    "api",
    "webhooks",
    "transfer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed, static files already are (by whitenoise, above). BREACH:
    # CSRF tokens are masked afresh on every response and Django's gzip adds random
    # bytes to each stream (Heal The Breach), so compression reveals no secret.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, taking the user from the query that reads the session (accounts.sessions).
    "accounts.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a signed-in user unless marked public.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.TimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_project.middleware.SecurityHeadersMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Names the signed-in person as the author of the history every change records.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires, so it sees every sign-in attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "django_project.urls"
WSGI_APPLICATION = "django_project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "todos.context_processors.task_page",
                "accounts.theme.context",
            ],
        },
    },
]

# Database: a SQLite file next to the code unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at
    # BEGIN so two processes queue on busy_timeout instead of failing mid-way.
    # NORMAL syncs at checkpoints, not at every commit: safe with WAL (a power cut
    # may lose the last commits, never corrupt the file). The page cache (8 MB) is
    # per connection, which persistent connections keep warm.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=5000;"
            "PRAGMA cache_size=-8000;PRAGMA temp_store=MEMORY"
        ),
        "transaction_mode": "IMMEDIATE",
    }
# Connections are kept between requests (seconds): opening one, and SQLite's pragmas with
# it, cost more than most pages' queries. A broken one is replaced before it is used.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, process memory otherwise. The Redis backend is
# Django's own, made to answer misses while Redis is unreachable (django_project/cache.py),
# so an outage slows pages down instead of failing them.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_project.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ticklist",
            # Short, so an unreachable host cannot hold a worker (seconds).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            # Seconds between attempts to reach Redis after it failed.
            "RETRY_AFTER": 5,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Room for the rendered task rows of a few busy lists (about 1.5 KB each).
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Each process's own memory, for what is named by everything it shows, a person's data
# version included (the sidebar's and the menu's HTML): no other process can make it
# stale, and it saves a page two round trips to Redis.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "ticklist-local",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# Sessions live in the database, which every process shares, and are read together with
# their user in one query (accounts.sessions): cheaper than a Redis round trip for the
# session and a query for the user. A sign-out deletes the row, so it ends the session in
# every process at once, whether Redis is there or not.
SESSION_ENGINE = "accounts.sessions"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out client is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrEmailBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "todos:today"
LOGOUT_REDIRECT_URL = "pages:home"

# Brute-force protection: 5 failures for one account from one address lock that
# pair out for 15 minutes. Counters live in the database, shared by every process.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_USERNAME_CALLABLE = "accounts.security.lockout_username"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
# The header a trusted reverse proxy puts the client address in (X-Forwarded-For,
# X-Real-IP). Unset: the address of the connection itself.
_client_ip_header = env.str("CLIENT_IP_HEADER", default="")
CLIENT_IP_HEADER = (
    "HTTP_" + _client_ip_header.upper().replace("-", "_") if _client_ip_header else ""
)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# Static files: all from static/. What comes from npm packages (Bootstrap, its icons) is
# built into static/dist/ and static/img/icons.svg by bin/build-assets.mjs and committed.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django_project.storage.StaticFilesStorage"},
}
if DEBUG:
    # No collectstatic while developing: serve straight from the finders.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Bootstrap calls the error colour "danger".
MESSAGE_TAGS = {message_constants.ERROR: "danger"}
# Django's own, but with the message cookie named and deleted like the session's.
MESSAGE_STORAGE = "django_project.messages.FallbackStorage"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: printed to the console while developing, SMTP otherwise. Every message
# is sent by the background worker (django_project/mail.py), never in a request.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Ticklist <noreply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
if DEBUG and not env.str("SMTP_HOST", default=""):
    # Decoded, so the links in a message can be copied whole.
    MAILERS = {"default": {"BACKEND": "django_project.mail.ConsoleBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env.str("SMTP_HOST", default="localhost"),
                "port": env.int("SMTP_PORT", default=25),
                "username": env.str("SMTP_USER", default=""),
                "password": env.str("SMTP_PASSWORD", default=""),
                "use_tls": env.bool("SMTP_STARTTLS", default=False),
                "use_ssl": env.bool("SMTP_SSL", default=False),
                "timeout": env.int("SMTP_TIMEOUT", default=10),
            },
        }
    }

# Web Push (browser notifications): a VAPID key pair, from `manage.py vapid_keys`.
# Without both keys the channel is off and Settings says so. The subject is the
# contact push services use when something is wrong with our messages.
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default="mailto:admin@localhost")
if not VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(
        "VAPID_SUBJECT must be a mailto: or https: address, e.g. mailto:you@example.com."
    )
# The server POSTs to the address a browser gives it: off, only public HTTPS hosts.
# Tests turn it on to push to a local server.
PUSH_ALLOW_PRIVATE_ENDPOINTS = env.bool("PUSH_ALLOW_PRIVATE_ENDPOINTS", default=False)

# Webhooks go to public https:// addresses only; this lets them (and plain http)
# reach private, loopback and link-local ones too: for tests and closed networks.
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=False)

# Background work (mail, reminders, push) waits in a queue until `make worker`
# (manage.py worker) runs it: in the database, which every process already shares,
# or in Redis (RQ) for several machines. Either way the queue is shared.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured(
            "TASKS_BACKEND=rq queues background work in Redis, but REDIS_URL is not set. "
            "Set REDIS_URL (for example redis://127.0.0.1:6379/0), or leave TASKS_BACKEND "
            "unset to queue it in the database."
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
else:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be 'database' (the default) or 'rq', not {TASKS_BACKEND!r}."
    )

# Reminders. Messages sent by the worker link back to the site at this address
# (no request tells the worker where it is served).
SITE_URL = env.str(
    "SITE_URL",
    default=f"http://{ALLOWED_HOSTS[0]}:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}",
)
# Reminders later than this (a worker outage) are folded into one "while you were away".
REMINDER_GRACE_MINUTES = env.int("REMINDER_GRACE_MINUTES", default=30)
# How often each worker looks for reminders that are due.
REMINDER_TICK_SECONDS = env.float("REMINDER_TICK_SECONDS", default=10)
# Seconds before each new try of a reminder that could not be sent (the mail server
# or push service was down); after the last one it is given up.
REMINDER_RETRY_SECONDS = env.list(
    "REMINDER_RETRY_SECONDS", cast=int, default=[30, 120, 600, 1800, 3600, 4 * 3600]
)

# Security. The defaults are the production ones; DEBUG relaxes what would
# break plain-HTTP development on localhost.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
_proxy_ssl_header = env.str("SECURE_PROXY_SSL_HEADER", default="")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_ssl_header.upper().replace("-", "_"),
        "https",
    )
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: nothing but our own files, and scripts and styles
# only from our origin or carrying this response's nonce. data: images are the
# small SVGs Bootstrap's CSS embeds (checkboxes, select arrows, close buttons).
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Read by django_project.messages, which sets and deletes it like the session cookie.
MESSAGE_COOKIE_NAME = "messages"
if SECURE_COOKIES:
    # The __Host- prefix makes browsers refuse the cookie unless it is Secure,
    # host-only and path=/, so a sibling subdomain cannot plant one.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    MESSAGE_COOKIE_NAME = "__Host-messages"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "django_project.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# The REST API (/api/v1/): personal access tokens or the browser's session (with CSRF),
# errors as RFC 9457 problem details, limits per token and per person.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScopeAllows",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.PerTokenThrottle",
        "api.throttling.PerUserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_RATE_PER_TOKEN", default="600/minute"),
        "user": env.str("API_RATE_PER_USER", default="1200/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.handle",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ticklist API",
    "DESCRIPTION": (
        "Your projects, tasks, tags and comments. Authenticate with a personal access "
        "token from Settings → API tokens: `Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Operations grouped by resource (projects, tasks…), not all under "v1".
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Served from our own static files, within the site's content security policy.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # Every error a view can answer with is documented, as a problem document.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_problems",
    ],
}
