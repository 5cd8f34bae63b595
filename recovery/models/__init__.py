"""The recovery app's models, a module for each part of the planner they serve.
Everything is importable from here (`from recovery.models import User`), as it
was when this was one module; the app label and the model names are the same,
so the migrations are too.

- people.py         User, Role, STAFF_ROLES, validate_time_zone
- links.py          Invitation, PasswordLink: one-time links into the planner
- audit.py          AuditEvent, AuditKind, Seen, pseudonym and the log's words
- once.py           FormSubmission (recovery.once)
- email.py          OutgoingEmail, EmailStatus
- notifications.py  Notification, NotificationChoice
- crisis.py         CrisisLine, CrisisLineKind
"""

from recovery.models.audit import (
    PSEUDONYM_LENGTH,
    SECURITY_KINDS,
    STAFF_ROLE_WORDS,
    AuditEvent,
    AuditEventQuerySet,
    AuditKind,
    AuditLogIsAppendOnly,
    Seen,
    pseudonym,
    seen_in_words,
    who_in_words,
)
from recovery.models.crisis import CRISIS_CONTACT_PATTERN, CrisisLine, CrisisLineKind
from recovery.models.email import EmailStatus, OutgoingEmail
from recovery.models.links import (
    Invitation,
    InvitationQuerySet,
    OneTimeLink,
    OneTimeLinkQuerySet,
    PasswordLink,
)
from recovery.models.notifications import Notification, NotificationChoice
from recovery.models.once import FormSubmission
from recovery.models.people import STAFF_ROLES, Role, User, validate_time_zone

__all__ = [
    "CRISIS_CONTACT_PATTERN",
    "PSEUDONYM_LENGTH",
    "SECURITY_KINDS",
    "STAFF_ROLES",
    "STAFF_ROLE_WORDS",
    "AuditEvent",
    "AuditEventQuerySet",
    "AuditKind",
    "AuditLogIsAppendOnly",
    "CrisisLine",
    "CrisisLineKind",
    "EmailStatus",
    "FormSubmission",
    "Invitation",
    "InvitationQuerySet",
    "Notification",
    "NotificationChoice",
    "OutgoingEmail",
    "OneTimeLink",
    "OneTimeLinkQuerySet",
    "PasswordLink",
    "Role",
    "Seen",
    "User",
    "pseudonym",
    "seen_in_words",
    "validate_time_zone",
    "who_in_words",
]
