"""The goals app's emails: the check-in reminder (its writer lives with its rules
in goals/reminders.py)."""

from goals import reminders  # noqa: F401
