"""The goals app's jobs for the worker's minute tick (recovery.tasks)."""

from goals import measure_due, reminders, services
from recovery.tasks import every_minute


@every_minute
def send_due_reminders() -> int:
    return reminders.send_due()


@every_minute
def tell_due_measures() -> int:
    return measure_due.tell_due()


@every_minute
def forget_removed() -> int:
    """Steps, strengths and tools removed long enough ago that Undo is over."""
    return services.removed_forget()
