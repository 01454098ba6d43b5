"""Run the background worker: the reminder clock beside the task backend's own worker.

The clock is a thread that calls `reminders.dispatch.tick()` every
`REMINDER_TICK_SECONDS`; the foreground runs the tasks it queues, and every other
background task, with the worker of the configured backend: django-tasks-db's
`db_worker`, or django-rq's `rqworker` with its scheduler (for deferred retries).
Several workers may run side by side: the clock's writes are guarded, so a
reminder is still sent once. SIGTERM or Ctrl-C stops both parts, after the task
and the tick in progress.
"""

import logging
import os
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.backend import DatabaseBackend
from rq import SimpleWorker

from reminders import dispatch

logger = logging.getLogger("ticklist.worker")

# How long a stopping worker waits for the tick in progress to finish.
STOP_TIMEOUT = 30


class Clock(threading.Thread):
    """Call `dispatch.tick()` every `seconds` until stopped; a failed tick is logged, never fatal."""

    def __init__(self, seconds: float):
        super().__init__(name="reminder-clock", daemon=True)
        self.seconds = seconds
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            # This thread has its own connection: drop it when broken or too old,
            # as a request would, so a database restart costs one tick.
            close_old_connections()
            try:
                done = dispatch.tick()
            except Exception:
                logger.exception("reminder tick failed")
            else:
                if any(done.values()):
                    logger.info("reminder tick", extra=done)
            self.stopping.wait(self.seconds)
        connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=STOP_TIMEOUT)


class TaskWorker(SimpleWorker):
    """RQ's worker running each job in this process, with connections checked like a request's.

    RQ's default worker forks a process per job, and forking a process that runs
    the clock thread can leave the child holding a lock no thread will release.
    """

    def execute_job(self, job, queue):
        close_old_connections()
        try:
            return super().execute_job(job, queue)
        finally:
            close_old_connections()


class Command(BaseCommand):
    help = "Run the background worker: reminders, digests, email and push, in the foreground."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-clock",
            action="store_false",
            dest="clock",
            help="Only run queued tasks; leave reminders and digests to other workers.",
        )
        parser.add_argument(
            "--tick-seconds",
            type=float,
            default=None,
            help="Seconds between looks for due reminders (default: REMINDER_TICK_SECONDS).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1,
            help="Database backend: seconds between looks for queued tasks (default: 1).",
        )
        parser.add_argument(
            "--no-startup-delay",
            action="store_false",
            dest="startup_delay",
            help="Database backend: start at once instead of after a random wait of up to 1 s.",
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Database backend: restart on code changes (development).",
        )

    def handle(
        self, *, clock, tick_seconds, interval, startup_delay, reload, verbosity, **options
    ):
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if reload and not isinstance(backend, DatabaseBackend):
            logger.warning("--reload only works with the database backend; running without it")
            reload = False
        # With --reload this process only watches the code and restarts a copy of
        # itself, which runs the clock.
        runs_clock = clock and (not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true")
        ticker = None
        if runs_clock:
            ticker = Clock(tick_seconds or settings.REMINDER_TICK_SECONDS)
            ticker.start()
        try:
            if isinstance(backend, DatabaseBackend):
                call_command(
                    "db_worker",
                    interval=interval,
                    startup_delay=startup_delay,
                    reload=reload,
                    verbosity=verbosity,
                )
            else:
                call_command(
                    "rqworker",
                    *backend.queues,
                    with_scheduler=True,
                    job_class="django_tasks_rq.Job",
                    worker_class=TaskWorker,
                    verbosity=verbosity,
                )
        finally:
            if ticker is not None:
                ticker.stop()
