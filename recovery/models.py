import zoneinfo
from datetime import date, datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(zone)s is not a time zone we know."), params={"zone": value}
        )


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    SUPPORTER = "supporter", _("Peer supporter")
    COORDINATOR = "coordinator", _("Coordinator")


class User(AbstractUser):
    """A person who uses the planner: a member, a peer supporter or a coordinator."""

    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.MEMBER
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Days (like one check-in a day) follow this time zone."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="user_role_valid",
                violation_error_message=_("Please choose a role from the list."),
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.first_name or self.username

    @property
    def is_member(self) -> bool:
        return self.role == Role.MEMBER

    @property
    def is_supporter(self) -> bool:
        return self.role == Role.SUPPORTER

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def local_date(self, moment: datetime | None = None) -> date:
        """The calendar day it is (or was, at `moment`) where this person lives."""
        return timezone.localdate(moment or timezone.now(), self.zone)


class InvitationQuerySet(models.QuerySet):
    def usable(self) -> "InvitationQuerySet":
        return self.filter(
            used_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=timezone.now(),
        )

    def closed(self) -> "InvitationQuerySet":
        """Used, withdrawn or expired: what the list shows as history."""
        return self.exclude(pk__in=self.usable().values("pk"))


class Invitation(models.Model):
    """A single-use link a coordinator gives to a new member or peer supporter, so
    they choose their own username and password.

    Only a hash of the token is stored: the link is shown once, when it is made.
    """

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email (optional)"), blank=True)
    role = models.CharField(_("joins as"), max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        "recovery.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_made",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # A coordinator took the link back before it was used: it opens nothing now.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    user = models.OneToOneField(
        "recovery.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="invitation_role_valid",
                violation_error_message=_("Please choose a role from the list."),
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
                violation_error_message=_(
                    "An invitation must end after the moment it is made."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @staticmethod
    def hash_token(token: str) -> str:
        # The token is long and random, so a fast hash is enough to make a copy of
        # the database useless for accepting invitations.
        import hashlib

        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_usable(self) -> bool:
        return not self.is_used and not self.is_expired and not self.is_withdrawn


class PasswordLinkQuerySet(models.QuerySet):
    def usable(self) -> "PasswordLinkQuerySet":
        return self.filter(
            used_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=timezone.now(),
        )


class PasswordLink(models.Model):
    """A one-time "set your password" link a coordinator makes for someone who
    cannot reset their password by email (no address on their account), and
    hands over in person. It works once, for settings.PASSWORD_LINK_HOURS.

    Only a hash of the token is stored: the link is shown once, when it is made.
    A new link for the same person withdraws the one before.
    """

    user = models.ForeignKey(
        "recovery.User", on_delete=models.CASCADE, related_name="password_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        "recovery.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = PasswordLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="password_link_expires_after_creation",
                violation_error_message=_(
                    "A link must end after the moment it is made."
                ),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(used_at__isnull=True, withdrawn_at__isnull=True),
                name="one_open_password_link_per_person",
                violation_error_message=_(
                    "This person already has an open link: it was withdrawn first."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"password link for {self.user_id} ({self.created_at:%Y-%m-%d})"

    @property
    def is_usable(self) -> bool:
        return (
            self.used_at is None
            and self.withdrawn_at is None
            and self.expires_at > timezone.now()
        )


# --- The audit log --------------------------------------------------------------

# 32 hex digits (128 bits): far beyond any chance of two people sharing one.
PSEUDONYM_LENGTH = 32


def pseudonym(user_or_pk: "User | int") -> str:
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
    def timeline(cls, before: str | None) -> "Seen":
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
    def about(self, person: "User | int") -> "AuditEventQuerySet":
        return self.filter(subject_key=pseudonym(person))

    def views_of(self, member: "User") -> "AuditEventQuerySet":
        """Every time someone else saw this member's data, newest first."""
        return self.about(member).filter(kind=AuditKind.VIEWED).order_by("-at", "-pk")

    def security(self) -> "AuditEventQuerySet":
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


class FormSubmission(models.Model):
    """The one-time key a create form carries, claimed by its first submission.

    A double click, a form sent again from the back button, or two tabs sending the
    same page land on what the first one made instead of making it twice
    (recovery.once). Rows are a day's memory, no more: each new claim clears the
    person's older ones.
    """

    user = models.ForeignKey(
        "recovery.User", on_delete=models.CASCADE, related_name="+"
    )
    key = models.UUIDField()
    made_model = models.CharField(max_length=100, blank=True)
    made_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="form_submission_once_per_key",
                violation_error_message=_("This form was already sent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.made_model}:{self.made_id}"


class EmailStatus(models.TextChoices):
    WAITING = "waiting", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("could not be sent")
    # By the time it was written there was nothing left to say (a digest on a
    # quiet day, a reminder after the check-in): kept, so it is not asked again.
    DROPPED = "dropped", _("not needed after all")


class OutgoingEmail(models.Model):
    """One email to one person, from the moment it is asked for until it is sent
    (recovery.email). Its key makes it once-only: the same person, kind and key
    (a match, a day) is never sent twice, however often a task runs.

    It holds no text: the message is written when it is sent, from its kind and
    `params` (ids and names of things, never what a member wrote).
    """

    # To a person, or to someone invited who has no account yet.
    user = models.ForeignKey(
        "recovery.User",
        on_delete=models.CASCADE,
        related_name="emails",
        null=True,
        blank=True,
    )
    invitation = models.ForeignKey(
        "recovery.Invitation",
        on_delete=models.CASCADE,
        related_name="emails",
        null=True,
        blank=True,
    )
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.WAITING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The class of the last error only: an error's message may quote an address.
    last_error = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"],
                name="one_email_per_person_kind_and_key",
                violation_error_message=_("This email was already asked for."),
            ),
            models.UniqueConstraint(
                fields=["invitation", "kind", "key"],
                name="one_email_per_invitation_kind_and_key",
                violation_error_message=_("This email was already asked for."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, invitation__isnull=True)
                    | models.Q(user__isnull=True, invitation__isnull=False)
                ),
                name="outgoing_email_has_one_recipient",
                violation_error_message=_(
                    "An email goes to one person or one invitation."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=EmailStatus.values),
                name="outgoing_email_status_valid",
                violation_error_message=_("Please choose a status from the list."),
            ),
            models.CheckConstraint(
                condition=models.Q(sent_at__isnull=True) | models.Q(status="sent"),
                name="outgoing_email_sent_has_time",
                violation_error_message=_("Only a sent email has a time it was sent."),
            ),
        ]

    def __str__(self) -> str:
        to = self.user_id or f"invitation {self.invitation_id}"
        return f"{self.kind} to {to} ({self.status})"


class Notification(models.Model):
    """Something for one person to know about, shown under the bell: who did what,
    and where to look. It holds no text anyone wrote; its words come from its kind
    (recovery.notifications) and the actor's first name."""

    recipient = models.ForeignKey(
        "recovery.User", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        "recovery.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class NotificationChoice(models.Model):
    """A person's choice for one kind of notification; no row means the kind's
    default (recovery.notifications.Kind)."""

    user = models.ForeignKey(
        "recovery.User", on_delete=models.CASCADE, related_name="notification_choices"
    )
    kind = models.CharField(max_length=40)
    in_app = models.BooleanField(default=True)
    by_email = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="one_notification_choice_per_kind",
                violation_error_message=_("This choice is already made."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


# --- The programme's crisis lines -----------------------------------------------


class CrisisLineKind(models.TextChoices):
    """How a crisis line is reached."""

    CALL = "call", _("Calls")
    TEXT = "text", _("Texts")
    BOTH = "both", _("Calls and texts")


# A number as people write it: digits, spaces, dashes, dots, brackets, a leading +.
CRISIS_CONTACT_PATTERN = r"^\+?[0-9][0-9 ().-]*$"


class CrisisLine(models.Model):
    """One of the programme's crisis lines, shown on the crisis page, to a member
    after a very hard day, and on the page shown while the planner is down.

    A new programme starts with the 988 line (`is_default`); once a coordinator
    saves a line of the programme's own, the "these are the default lines" note
    goes. Read through recovery.crisis, which keeps them in the shared cache.
    """

    name = models.CharField(_("name"), max_length=120)
    contact = models.CharField(
        _("number"),
        max_length=40,
        help_text=_("The number people call or text, as it is written: 988, 116 123."),
    )
    kind = models.CharField(
        _("takes"),
        max_length=8,
        choices=CrisisLineKind.choices,
        default=CrisisLineKind.BOTH,
    )
    hours = models.CharField(
        _("hours"),
        max_length=120,
        blank=True,
        help_text=_(
            "When it answers, as it follows the number: “any time, day or night”, "
            "“weekdays 9am to 5pm”."
        ),
    )
    position = models.PositiveSmallIntegerField(_("place in the list"), default=0)
    # The line the planner started with, as it came: not yet the programme's own.
    is_default = models.BooleanField(default=False, editable=False)
    updated_by = models.ForeignKey(
        "recovery.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CrisisLineKind.values),
                name="crisis_line_kind_valid",
                violation_error_message=_("Please choose calls, texts or both."),
            ),
            models.CheckConstraint(
                condition=~models.Q(name=""),
                name="crisis_line_has_a_name",
                violation_error_message=_("A crisis line needs its name."),
            ),
            models.CheckConstraint(
                condition=models.Q(contact__regex=CRISIS_CONTACT_PATTERN),
                name="crisis_line_contact_is_a_number",
                violation_error_message=_(
                    "Write the number with digits (spaces, dashes and a leading + "
                    "are fine)."
                ),
            ),
            models.UniqueConstraint(
                Lower("name"),
                name="crisis_line_name_once",
                violation_error_message=_("A line with this name is already listed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.contact}"
