"""Whether the planner can serve: the database, the shared cache and the task
queue, each asked in the smallest way it answers (the health checks'
pages: recovery.views.pages)."""

import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django_tasks_db.models import DBTaskResult


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def cache_answers() -> bool:
    """A value written to the shared cache reads back (a Redis that is down
    answers every read as a miss: recovery.cache)."""
    key, token = f"readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, token, 10)
    answered = cache.get(key) == token
    cache.delete(key)
    return answered


def tasks_waiting() -> int | None:
    """How many tasks wait for a worker, or None if the queue does not answer."""
    try:
        return DBTaskResult.objects.ready().count()
    except DatabaseError:
        return None


def readiness() -> tuple[bool, dict[str, object]]:
    """Whether this server is ready, and what a load balancer is told: "ok" or
    "unavailable" of the database, the cache and the task queue, how many tasks
    wait, and the status; never an address. Without the database or the queue
    the server is not ready; without the cache it serves every page, only
    slower, so it stays ready ("degraded"): a balancer that took every server
    out while Redis is down would turn a slow hour into an outage."""
    waiting = tasks_waiting()
    parts = {
        "database": database_answers(),
        "cache": cache_answers(),
        "tasks": waiting is not None,
    }
    body: dict[str, object] = {
        name: "ok" if answers else "unavailable" for name, answers in parts.items()
    }
    body["tasks_waiting"] = waiting
    ready = parts["database"] and parts["tasks"]
    body["status"] = (
        "unavailable" if not ready else "ok" if parts["cache"] else "degraded"
    )
    return ready, body
