"""`manage.py worker`: django-tasks-db's worker, and the minute tick beside it.

The tick (recovery.tasks.tick) is enqueued at the start of every minute from a
thread of this process, and run by the worker like any task, so reminders,
digests and email retries need no scheduler process of their own. Several
workers may run: their ticks overlap harmlessly, every job being idempotent.
While the database is away the worker waits for it, and carries on.
"""

import logging
import os
import threading
import time

from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
)
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorker

logger = logging.getLogger(__name__)


def _ticker(stop: threading.Event) -> None:
    from recovery.tasks import tick

    while not stop.wait(60 - time.time() % 60):
        try:
            close_old_connections()
            tick.enqueue()
        except Exception:  # the database away: the next minute tries again
            logger.exception("Could not enqueue the minute tick")
        finally:
            connections.close_all()


class Command(DbWorker):
    help = "Run background tasks, and enqueue the minute tick (reminders, digests)."

    def handle(self, *args, **options):
        reloading = options.get("reload") and not options.get("batch")
        # Under the autoreloader only the child process runs tasks.
        if not reloading or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            stop = threading.Event()
            threading.Thread(target=_ticker, args=(stop,), daemon=True).start()
        pause = 1
        while True:
            try:
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as error:
                # django-tasks-db's loop ends when the database goes away (a
                # restart, a failover): wait for it and carry on, as the web does.
                if options.get("batch"):
                    raise
                logger.warning(
                    "The database does not answer (%s): the worker tries again in %d s",
                    type(error).__name__,
                    pause,
                )
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, 30)
