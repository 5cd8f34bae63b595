"""Logging that keeps members' words out of the logs.

Imported by Django's logging set-up, before the apps load: no models here.
"""

import contextvars
import json
import logging
import traceback
from datetime import UTC, datetime

# The id of the request being served, for every log line written while serving it
# (recovery.middleware.RequestIdMiddleware sets it).
request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default=""
)


class NoMemberTextFormatter(logging.Formatter):
    """Format tracebacks with their frames but without a database error's message.

    A database error can quote the row it refused (PostgreSQL's DETAIL line names
    the values), and a row may hold a member's goal or note. The error's class and
    where it happened are enough to find the cause.
    """

    def formatException(self, ei) -> str:  # noqa: N802 (logging's own name)
        from django.db import DatabaseError

        exc_type, exc, tb = ei
        if exc is None or not _has_database_error(exc, DatabaseError):
            return super().formatException(ei)
        lines = traceback.format_tb(tb)
        name = f"{exc_type.__module__}.{exc_type.__qualname__}"
        return (
            "Traceback (most recent call last):\n"
            + "".join(lines)
            + f"{name}: (message left out: it may quote a member's data)"
        )


def _has_database_error(exc: BaseException, kind: type) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


# What a request's log line may carry besides the message (passed as `extra`).
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "person")


class JsonFormatter(NoMemberTextFormatter):
    """One JSON object a line, for production: the time, level, logger, message,
    the request's id, and for a request's own line its method, path (never the
    query string), status, duration and the person's pseudonym (never a name).
    Tracebacks are scrubbed of database errors' messages as in plain logs."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if rid := request_id.get():
            line["request_id"] = rid
        for name in REQUEST_FIELDS:
            if (value := getattr(record, name, None)) is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
