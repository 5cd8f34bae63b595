"""The kinds of notification goals sends (recovery.notifications): a recovery
questionnaire the member chose is due (goals/measure_due.py)."""

from django.utils.translation import gettext_lazy as _

from recovery.models import Role
from recovery.notifications import Kind, register

MEMBER = frozenset({Role.MEMBER})

MEASURE_DUE = register(
    Kind(
        "measure_due",
        _("A questionnaire you chose is ready, whenever you are"),
        _("A recovery questionnaire you chose is due"),
        roles=MEMBER,
        email_roles=MEMBER,
    )
)
