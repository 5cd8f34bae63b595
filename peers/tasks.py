"""The peers app's jobs for the worker's minute tick (recovery.tasks)."""

from peers import digests
from recovery.tasks import every_minute


@every_minute
def send_due_digests() -> int:
    return digests.send_due()
