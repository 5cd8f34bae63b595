"""What the member's pages share: who may open them, what Undo says, and reading
a day from a request."""

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.services import TooLateToUndo
from recovery.decorators import role_required
from recovery.models import Role

# A member's own pages: for members only (a supporter reads through peers).
member_only = role_required(Role.MEMBER)

UNDO_TOO_LATE = gettext_lazy(
    "“%(text)s” was removed a while ago, and cannot come back now."
)


def undo_and_say(restore: Callable[[], object], *, text: str) -> tuple[int, str]:
    """Bring back what was removed (`restore`), and what to tell the member: the
    message level and the words. Too late is said as information, not success."""
    try:
        restore()
    except TooLateToUndo:
        return messages.INFO, str(UNDO_TOO_LATE) % {"text": text}
    return messages.SUCCESS, _("“%(text)s” is back.") % {"text": text}


# After a past day is filled in, the check-in sends the member home with it.
FILLED_IN = "filled-in"


def day_from(value: str | None) -> date | None:
    """A day from a URL, or None for anything that is not one."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
