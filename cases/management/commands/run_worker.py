"""The queue's worker: django-tasks' database worker, plus a scheduler for the periodic task.

``manage.py run_worker`` takes every option of ``db_worker`` (``--batch``, ``--interval``,
``--max-tasks`` ...). Beside the worker loop a small thread enqueues ``cases.tasks.periodic``
every ``settings.TASKS_TICK_SECONDS`` (``--tick`` overrides it): reminders and the sweep of
stalled mail. The periodic task is idempotent, so two workers scheduling it is harmless.
With ``--batch`` the periodic task is enqueued once, before the worker runs what is queued.
"""

import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

logger = logging.getLogger(__name__)


def enqueue_periodic() -> None:
    from cases.tasks import periodic

    try:
        periodic.enqueue()
    except Exception:
        logger.exception("Could not enqueue the periodic task")


def schedule(stop: threading.Event, seconds: float) -> None:
    """Enqueue the periodic task now and every ``seconds`` until ``stop`` is set."""
    while True:
        close_old_connections()
        enqueue_periodic()
        connection.close()
        if stop.wait(seconds):
            return


class Command(DatabaseWorkerCommand):
    help = "Run the task queue's worker with its scheduler of periodic tasks."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--tick",
            type=float,
            default=None,
            help="Seconds between two runs of the periodic task (default TASKS_TICK_SECONDS).",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Run queued tasks only; never enqueue the periodic task.",
        )

    def handle(self, *args, tick=None, no_scheduler=False, **options):
        # With --reload the parent process only watches files; the child runs the scheduler.
        watcher = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not no_scheduler and not watcher:
            if options.get("batch"):
                enqueue_periodic()
            else:
                stop = threading.Event()
                seconds = tick if tick is not None else settings.TASKS_TICK_SECONDS
                threading.Thread(
                    target=schedule, args=(stop, seconds), name="scheduler", daemon=True
                ).start()
        return super().handle(*args, **options)
