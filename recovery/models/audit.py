"""The audit log's rows and words: who saw whose data, refusals, sign-ins
(rules: recovery.audit)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recovery.models.people import Role, User

PSEUDONYM_LENGTH = 32


def pseudonym(user_or_pk: User | int) -> str:
    """A stable stand-in for a person in the audit log: an HMAC-SHA256 of their id
    keyed with SECRET_KEY. It links one person's events together without naming
    them, and means nothing to anyone once their account is deleted.

    Rotating SECRET_KEY starts new pseudonyms: older events then no longer show on
    the person's own "who viewed my data" page.
    """
    import hmac

    from django.conf import settings

    pk = getattr(user_or_pk, "pk", user_or_pk)
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"audit-person:{pk}".encode(), "sha256"
    )
    return digest.hexdigest()[:PSEUDONYM_LENGTH]


class AuditKind(models.TextChoices):
    VIEWED = "viewed", _("saw a member's data")
    REFUSED = "refused", _("refused")
    SIGNED_IN = "signed_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
    SIGNED_OUT = "signed_out", _("signed out")
    EXPORTED = "exported", _("downloaded their data")
    ACCOUNT_DELETED = "account_deleted", _("deleted their account")
    PASSWORD_LINK_MADE = "password_link_made", _("made a set-your-password link")
    PASSWORD_LINK_USED = "password_link_used", _("set a password with a link")


# What the coordinators' security page lists.
SECURITY_KINDS = [
    AuditKind.SIGNED_IN,
    AuditKind.SIGN_IN_FAILED,
    AuditKind.SIGNED_OUT,
    AuditKind.REFUSED,
    AuditKind.PASSWORD_LINK_MADE,
    AuditKind.PASSWORD_LINK_USED,
]


class Seen(models.TextChoices):
    """What someone other than the member saw of the member's data. The value is
    kept in `AuditEvent.what`; the label is the sentence the member reads."""

    MEMBER_PAGE = "member page", _("%(who)s opened your member page")
    EARLIER_MOMENTS = (
        "earlier moments",
        _("%(who)s loaded earlier moments of your journey"),
    )
    CASELOAD_ROW = "caseload row", _("%(who)s saw you listed on their caseload")
    ENCOURAGEMENT = "encouragement", _("%(who)s answered you with encouragement")
    CONVERSATION = "conversation", _("%(who)s opened your conversation")
    CONTACT_FORM = "contact form", _("%(who)s opened the form to log a contact")
    MEASURE_TOTALS = (
        "questionnaire totals",
        _("%(who)s saw your recovery questionnaire totals"),
    )
    CONTACT_LOG = "contact log", _("%(who)s read the contact log about you")
    SAFETY_PLAN = "safety plan", _("%(who)s read your safety plan")
    WELLNESS_PLAN = "wellness plan", _("%(who)s read your wellness plan")
    MATCH_SUGGESTIONS = (
        "match suggestions",
        _("%(who)s looked for supporters who could suit you"),
    )
    MATCH_HISTORY = (
        "match history",
        _("%(who)s opened your match history and contact log"),
    )
    MATCH_END = "match end page", _("%(who)s opened the page to end your match")
    DEACTIVATE_PAGE = (
        "deactivate page",
        _("%(who)s opened the page to deactivate your account"),
    )
    WAITING_LIST = (
        "waiting list row",
        _("%(who)s saw your wishes for a supporter on the waiting list"),
    )
    BATCH_PROPOSAL = (
        "batch proposal",
        _("%(who)s saw you in a proposal of new matches"),
    )

    @classmethod
    def timeline(cls, before: str | None) -> Seen:
        """The supporter's member page, or with a `before` cursor its "load
        earlier" part."""
        return cls.EARLIER_MOMENTS if before else cls.MEMBER_PAGE


# Only staff are named in the log. A member is only ever a pseudonym there, so a
# deleted member leaves nothing that names them.
STAFF_ROLE_WORDS = {
    Role.SUPPORTER: _("peer supporter"),
    Role.COORDINATOR: _("coordinator"),
}


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def about(self, person: User | int) -> AuditEventQuerySet:
        return self.filter(subject_key=pseudonym(person))

    def views_of(self, member: User) -> AuditEventQuerySet:
        """Every time someone else saw this member's data, newest first."""
        return self.about(member).filter(kind=AuditKind.VIEWED).order_by("-at", "-pk")

    def security(self) -> AuditEventQuerySet:
        """Sign-ins, failed sign-ins, sign-outs and refusals, newest first."""
        return self.filter(kind__in=SECURITY_KINDS).order_by("-at", "-pk")

    # The log is append-only: the app refuses these on every database, and on
    # PostgreSQL a trigger refuses UPDATE and DELETE in the database itself.
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly

    def delete(self):
        raise AuditLogIsAppendOnly


class AuditEvent(models.Model):
    """One line of the audit log: who saw whose data, refused attempts, sign-ins.

    People are kept as pseudonyms, not foreign keys, so deleting an account never
    touches the log, and the log keeps nothing that names a deleted member.
    """

    kind = models.CharField(_("kind"), max_length=24, choices=AuditKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor_key = models.CharField(max_length=PSEUDONYM_LENGTH, blank=True)
    # Snapshots of who it was, for supporters and coordinators only.
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    actor_role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, blank=True
    )
    subject_key = models.CharField(max_length=PSEUDONYM_LENGTH, blank=True)
    what = models.CharField(_("what"), max_length=80, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)
    status = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    # The network, never the full address (see recovery.audit.network_of).
    network = models.CharField(_("network"), max_length=50, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["subject_key", "-at"], name="audit_subject_at"),
            models.Index(fields=["kind", "-at"], name="audit_kind_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AuditKind.values),
                name="audit_event_kind_valid",
                violation_error_message=_(
                    "This kind of event is not one the log knows."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.what or self.path} ({self.at:%c})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly

    @property
    def who(self) -> str:
        """The person in words, "Sam (peer supporter)", or "Someone" when no staff
        name was kept."""
        return who_in_words(self.actor_name, self.actor_role)

    @property
    def sentence(self) -> str:
        """What happened, in the words the member whose data it was reads."""
        return seen_in_words(self.what, self.who)


def who_in_words(name: str, role: str) -> str:
    """Someone in the audit log, as a member reads them: "Sam (peer supporter)",
    or "Someone" when no staff name was kept."""
    role_words = STAFF_ROLE_WORDS.get(role)
    if not (name and role_words):
        return str(_("Someone"))
    return _("%(name)s (%(role)s)") % {"name": name, "role": role_words}


def seen_in_words(what: str, who: str) -> str:
    """What `who` saw of a member's data, in the member's words."""
    if what in Seen.values:
        return Seen(what).label % {"who": who}
    return _("%(who)s saw your %(what)s") % {"who": who, "what": what}
