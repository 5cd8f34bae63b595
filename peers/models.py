"""The people around a member: supporter profiles, matching preferences, matches,
change requests, encouragement, suggestions and the contact log.

`peers` reads `goals`; `goals` never imports `peers`.
"""

from __future__ import annotations

from datetime import time as dt_time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.models import Goal, LifeDomain, OwnedQuerySet


class Availability(models.TextChoices):
    WEEKDAY_MORNINGS = "weekday_mornings", _("Weekday mornings")
    WEEKDAY_AFTERNOONS = "weekday_afternoons", _("Weekday afternoons")
    WEEKDAY_EVENINGS = "weekday_evenings", _("Weekday evenings")
    WEEKENDS = "weekends", _("Weekends")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")


class Pathway(models.TextChoices):
    MUTUAL_HELP = "mutual_help", _("Mutual-help groups")
    FAITH_BASED = "faith_based", _("Faith-based")
    MEDICATION_ASSISTED = "medication_assisted", _("Medication-assisted")
    CLINICAL = "clinical", _("Clinical")
    SELF_DIRECTED = "self_directed", _("Self-directed")


class LifeStage(models.TextChoices):
    YOUNG_ADULT = "young_adult", _("Young adult")
    ADULT = "adult", _("Adult")
    MIDLIFE = "midlife", _("Midlife")
    OLDER_ADULT = "older_adult", _("Older adult")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    SELF_DESCRIBED = "self_described", _("Self-described")


class ExperienceArea(models.Model):
    """A lived-experience area a supporter may share with a member (editable list)."""

    name = models.CharField(_("lived-experience area"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="experience_area_unique_name",
                violation_error_message=_(
                    "An area with this name is already on the list."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class SupporterProfile(models.Model):
    """What a coordinator needs to match a peer supporter well."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supporter_profile",
    )
    intro = models.TextField(_("a few words about me"), blank=True, max_length=1000)
    contact = models.CharField(
        _("how members reach me"),
        max_length=200,
        blank=True,
        help_text=_("Shown to the members matched with you."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    experience_areas = models.ManyToManyField(
        ExperienceArea, blank=True, verbose_name=_("lived experience")
    )
    pathways = models.JSONField(_("recovery pathways"), default=list, blank=True)
    life_stage = models.CharField(
        _("life stage"), max_length=16, choices=LifeStage.choices, blank=True
    )
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, blank=True
    )
    availability = models.JSONField(_("availability"), default=list, blank=True)
    meeting_modes = models.JSONField(_("meeting modes"), default=list, blank=True)
    region = models.CharField(_("region"), max_length=80, blank=True)
    capacity = models.PositiveSmallIntegerField(_("most active matches"), default=8)
    accepting = models.BooleanField(_("accepting new members"), default=True)
    # Kept by match_create / match_end under a row lock, so the database itself can
    # refuse a match over capacity.
    active_matches = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(active_matches__lte=F("capacity")),
                name="supporter_within_capacity",
                violation_error_message=_(
                    "This peer supporter has no place left: raise their capacity "
                    "or choose someone else."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def places_free(self) -> int:
        return max(self.capacity - self.active_matches, 0)

    @property
    def load_ratio(self) -> float:
        return self.active_matches / self.capacity if self.capacity else 1.0

    @property
    def is_busy(self) -> bool:
        """Above `settings.BUSY_LOAD` of their capacity (no places at all counts
        as full): the supporters list and the coordinators' digest say so."""
        return self.load_ratio > settings.BUSY_LOAD


class MatchPreferences(models.Model):
    """What a member would like in a peer supporter; they set it themselves."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="match_preferences",
    )
    languages = models.JSONField(_("languages I speak"), default=list, blank=True)
    language_must = models.BooleanField(_("a shared language is a must"), default=False)
    supporter_gender = models.CharField(
        _("supporter's gender"), max_length=16, choices=Gender.choices, blank=True
    )
    gender_must = models.BooleanField(_("this gender is a must"), default=False)
    experience_areas = models.ManyToManyField(
        ExperienceArea, blank=True, verbose_name=_("lived experience I'd like shared")
    )
    pathways = models.JSONField(_("recovery pathways"), default=list, blank=True)
    life_stage = models.CharField(
        _("my life stage"), max_length=16, choices=LifeStage.choices, blank=True
    )
    availability = models.JSONField(_("when I'm free"), default=list, blank=True)
    meeting_modes = models.JSONField(
        _("how I'd like to meet"), default=list, blank=True
    )
    region = models.CharField(_("my region"), max_length=80, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.member}"


class MatchQuerySet(OwnedQuerySet):
    def active(self) -> MatchQuerySet:
        return self.filter(ended_at__isnull=True)

    def with_person(self, person) -> MatchQuerySet:
        """The matches `person` is in, as the member or as the supporter."""
        return self.filter(Q(member=person) | Q(supporter=person))


class Match(models.Model):
    """A member and their peer supporter, from a start to (perhaps) an end.

    Never deleted: ended matches are the history coordinators see.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matches"
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supported"
    )
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    score = models.SmallIntegerField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    end_reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_at__isnull=True),
                name="one_active_match_per_member",
                violation_error_message=_(
                    "This member already has a peer supporter: end that match first."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="match_ends_after_it_starts",
                violation_error_message=_("A match can end only after it started."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["supporter"],
                condition=Q(ended_at__isnull=True),
                name="match_active_by_supporter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} with {self.supporter}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class ChangeRequestQuerySet(OwnedQuerySet):
    def open(self) -> ChangeRequestQuerySet:
        """Requests no coordinator has answered and no member has taken back."""
        return self.filter(resolved_at__isnull=True)


class ChangeRequest(models.Model):
    """A member asking for a different supporter (or for one at all)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    reason = models.CharField(
        _("anything you'd like us to know (optional)"), max_length=500, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The member took it back (it is then resolved too, at the same moment).
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_change_request_per_member",
                violation_error_message=_(
                    "A change is already asked for: a coordinator will be in touch."
                ),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True)
                | Q(resolved_at=F("withdrawn_at")),
                name="change_request_withdrawn_is_resolved",
                violation_error_message=_(
                    "A request taken back is closed when it is taken back."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} asked {self.created_at:%Y-%m-%d}"


class Encouragement(models.Model):
    """A short word from a supporter, in answer to a shared check-in or goal."""

    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="encouragements_sent",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="encouragements",
    )
    checkin = models.ForeignKey(
        "goals.CheckIn",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.CharField(_("encouragement"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(checkin__isnull=True, goal__isnull=False)
                | Q(checkin__isnull=False, goal__isnull=True),
                name="encouragement_answers_one_thing",
                violation_error_message=_(
                    "Encouragement answers one check-in or one goal."
                ),
            ),
            # A double-sent form cannot answer one check-in twice.
            models.UniqueConstraint(
                fields=["supporter", "checkin"],
                condition=Q(checkin__isnull=False),
                name="one_encouragement_per_checkin",
                violation_error_message=_(
                    "This check-in already has your encouragement."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the member")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not now")


SUGGESTION_ANSWER_MAX_LENGTH = 300


class SuggestionQuerySet(OwnedQuerySet):
    def left_aside_in(self, match) -> SuggestionQuerySet:
        """Ideas the member left aside from `match`'s supporter during that match:
        while it is active, each can be taken back (ideas left aside when an
        earlier match ended cannot)."""
        return self.filter(
            member_id=match.member_id,
            supporter_id=match.supporter_id,
            status=SuggestionStatus.DECLINED,
            answered_at__gte=match.started_at,
        )


class Suggestion(models.Model):
    """A goal or step a supporter suggests. It joins the plan only if the member
    accepts it."""

    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="suggestions_made",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestions"
    )
    # A step suggestion names the goal it would join; a goal suggestion does not.
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("suggestion"), max_length=200)
    domain = models.CharField(
        _("life area"), max_length=20, choices=LifeDomain.choices, blank=True
    )
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # The member's own words with their answer, if they gave any: their supporter
    # reads them beside what became of the suggestion.
    answer_words = models.CharField(
        _("a few words for your supporter"),
        max_length=SUGGESTION_ANSWER_MAX_LENGTH,
        blank=True,
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=False) | ~Q(domain=""),
                name="suggestion_goal_has_life_area",
                violation_error_message=_("A suggested goal needs a life area."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=SuggestionStatus.values),
                name="suggestion_status_valid",
                violation_error_message=_(
                    "Please choose one of the statuses a suggestion can have."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_step(self) -> bool:
        return self.goal_id is not None


DAY_MINUTES = 24 * 60
CONTACT_MINUTES_WORDS = _("A contact can last at most 1,440 minutes (a day).")


class ContactMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    MESSAGE = "message", _("Message")


class ContactNote(models.Model):
    """One contact (or attempt) between a supporter and a member.

    A note is either shared with the member or kept for supporters' records. A new
    supporter after a re-match sees shared notes only; coordinators see all.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contact_notes_written",
    )
    # RESTRICT, not PROTECT: a match with notes cannot be deleted on its own, but
    # deleting the member's account (which takes the match and the notes) can.
    match = models.ForeignKey(Match, on_delete=models.RESTRICT, related_name="contacts")
    contact_date = models.DateField(_("date"))
    mode = models.CharField(_("how"), max_length=10, choices=ContactMode.choices)
    reached = models.BooleanField(
        _("contact made"), default=True, help_text=_("Untick for an attempt.")
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    goals_discussed = models.ManyToManyField(
        Goal, blank=True, related_name="+", verbose_name=_("goals talked about")
    )
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    follow_up = models.DateField(_("follow up on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    shared_with_member = models.BooleanField(
        _("share this note with the member"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-contact_date", "-created_at"]
        indexes = [models.Index(fields=["member", "-contact_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up__isnull=True)
                | Q(follow_up__gte=F("contact_date")),
                name="contact_follow_up_not_before_contact",
                violation_error_message=_("Pick a follow-up on or after the contact."),
            ),
            models.CheckConstraint(
                condition=Q(minutes__isnull=True) | Q(minutes__lte=DAY_MINUTES),
                name="contact_minutes_within_a_day",
                violation_error_message=CONTACT_MINUTES_WORDS,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.contact_date}"


MESSAGE_MAX_LENGTH = 1000


class MessageQuerySet(models.QuerySet):
    def for_member(self, member) -> MessageQuerySet:
        """Every message of the member's matches, the ended ones too: theirs to
        keep (a new supporter reads only the active match's, through the match)."""
        return self.filter(match__member=member)


class Message(models.Model):
    """One short message in the private conversation of a match, from its member
    or its supporter. Read only by the two of them while the match is active; the
    member keeps it after the match ends; it goes with the member's account."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    # When the other person of the match first had it on their screen.
    seen_at = models.DateTimeField(null=True, blank=True)
    # What a member's "Reply" answers, shown quoted above the message.
    replying_to_encouragement = models.ForeignKey(
        Encouragement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
    )
    replying_to_suggestion = models.ForeignKey(
        Suggestion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["match", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="message_has_words",
                violation_error_message=_("A message needs a few words."),
            ),
            models.CheckConstraint(
                condition=Q(replying_to_encouragement__isnull=True)
                | Q(replying_to_suggestion__isnull=True),
                name="message_replies_to_one_thing",
                violation_error_message=_("A message replies to one thing at most."),
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} in match {self.match_id}"

    @property
    def replying_to(self) -> Encouragement | Suggestion | None:
        return self.replying_to_encouragement or self.replying_to_suggestion


class DigestSetting(models.Model):
    """A supporter's daily digest or a coordinator's weekly one: on unless they turn
    it off, at the time they choose in their own zone (peers/digests.py). No row
    means the default: on, at 8:00."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest"
    )
    on = models.BooleanField(_("send me the digest"), default=True)
    at = models.TimeField(_("at"), default=dt_time(8, 0))

    def __str__(self) -> str:
        return f"digest of {self.user_id} ({'on' if self.on else 'off'})"


class CrisisFollowUp(models.Model):
    """A supporter's record that they followed up a crisis flag (a very hard day
    the member consented to their supporter hearing of). It clears the flag from
    the caseload and stays in the member's history with who and when; the note is
    in the supporters' record (coordinators see it, the member does not)."""

    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, related_name="crisis_follow_ups"
    )
    day = models.DateField(_("the hard day"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("what you did"), max_length=500)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "day"],
                name="one_follow_up_per_crisis_flag",
                violation_error_message=_("This crisis flag is already followed up."),
            ),
            models.CheckConstraint(
                condition=~Q(note=""),
                name="crisis_follow_up_has_a_note",
                violation_error_message=_("Please say in a few words what you did."),
            ),
        ]

    def __str__(self) -> str:
        return f"follow-up of {self.day} in match {self.match_id}"


class AnsweredReason(models.TextChoices):
    """The caseload's reasons that a contact or a message answers (a crisis flag
    is answered by a `CrisisFollowUp`, with a note)."""

    ASKED_TO_TALK = "asked_to_talk", _("asked to talk")
    NOT_CONTACTED = "not_contacted", _("new match, not contacted yet")
    NO_CONTACT_LATELY = "no_contact_lately", _("no contact lately")


class AnsweredBy(models.TextChoices):
    CONTACT = "contact", _("a contact logged")
    MESSAGE = "message", _("a message")


class ReasonAnswered(models.Model):
    """A reason a member came first on their supporter's caseload, and the contact
    or message that answered it: kept in the member's history with who and when
    (peers/caseload.py works out the reasons; peers/services.py records this)."""

    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, related_name="reasons_answered"
    )
    reason = models.CharField(
        _("reason"), max_length=20, choices=AnsweredReason.choices
    )
    # The reason as the caseload said it then ("no contact for 16 days").
    words = models.CharField(_("in words"), max_length=200)
    how = models.CharField(_("answered by"), max_length=10, choices=AnsweredBy.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["match", "-at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=AnsweredReason.values),
                name="reason_answered_reason_valid",
                violation_error_message=_(
                    "Please choose one of the reasons a contact can answer."
                ),
            ),
            models.CheckConstraint(
                condition=Q(how__in=AnsweredBy.values),
                name="reason_answered_how_valid",
                violation_error_message=_(
                    "A reason is answered by a contact or a message."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} answered in match {self.match_id}"
