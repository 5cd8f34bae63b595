"""Logging that keeps members' words out of the logs.

Imported by Django's logging set-up, before the apps load: no models here.
"""

import logging
import traceback


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
