"""What the member's pages share: who may open them, and small readings of
what a request carries."""

from datetime import date

from django.utils.translation import gettext_lazy

from recovery.decorators import role_required
from recovery.models import Role

# A member's own pages: for members only (a supporter reads through peers).
member_only = role_required(Role.MEMBER)

UNDO_TOO_LATE = gettext_lazy(
    "“%(text)s” was removed a while ago, and cannot come back now."
)


# After a past day is filled in, the check-in sends the member home with it.
FILLED_IN = "filled-in"


def day_from(value: str | None) -> date | None:
    """A day from a URL, or None for anything that is not one."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
