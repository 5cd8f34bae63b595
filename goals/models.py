"""The member's own recovery plan: goals and steps, strengths, wellness tools,
check-ins and the journey they make together.

Every model that holds a member's data has a queryset method `for_user(user)` that
returns only that person's own rows. Supporter-facing reads live in `peers`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import time as dt_time

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from goals.measures import EVERY_MONTHS, MOST_ITEMS, QUESTIONNAIRES


class Dimension(models.TextChoices):
    """SAMHSA's four dimensions of recovery."""

    HEALTH = "health", _("Health")
    HOME = "home", _("Home")
    PURPOSE = "purpose", _("Purpose")
    COMMUNITY = "community", _("Community")


class LifeDomain(models.TextChoices):
    """Life areas adapted from the Strengths Model's assessment."""

    DAILY_LIVING = "daily_living", _("Daily living")
    MONEY = "money", _("Money")
    WORK_LEARNING = "work_learning", _("Work and learning")
    FAMILY = "family", _("Family and relationships")
    HEALTH = "health", _("Health")
    SOCIAL = "social", _("Social life and leisure")
    RECOVERY = "recovery", _("Recovery")
    SPIRITUALITY = "spirituality", _("Spirituality and culture")

    @property
    def dimension(self) -> Dimension:
        return DOMAIN_DIMENSION[self]


DOMAIN_DIMENSION: dict[str, Dimension] = {
    LifeDomain.DAILY_LIVING: Dimension.HOME,
    LifeDomain.MONEY: Dimension.HOME,
    LifeDomain.WORK_LEARNING: Dimension.PURPOSE,
    LifeDomain.FAMILY: Dimension.COMMUNITY,
    LifeDomain.HEALTH: Dimension.HEALTH,
    LifeDomain.SOCIAL: Dimension.COMMUNITY,
    LifeDomain.RECOVERY: Dimension.HEALTH,
    LifeDomain.SPIRITUALITY: Dimension.PURPOSE,
}


class Chime(models.TextChoices):
    """CHIME recovery processes (Leamy et al. 2011)."""

    CONNECTEDNESS = "connectedness", _("Connectedness")
    HOPE = "hope", _("Hope")
    IDENTITY = "identity", _("Identity")
    MEANING = "meaning", _("Meaning")
    EMPOWERMENT = "empowerment", _("Empowerment")


class StrengthCategory(models.TextChoices):
    PERSONAL = "personal", _("Personal qualities")
    SKILLS = "skills", _("Skills and talents")
    INTERESTS = "interests", _("Interests and hopes")
    PEOPLE_PLACES = "people_places", _("People and places")
    WORKED_BEFORE = "worked_before", _("What worked before")


class OwnedQuerySet(models.QuerySet):
    """Rows that belong to one member through a `member` field."""

    def for_user(self, user) -> OwnedQuerySet:
        return self.filter(member=user)


# A way back from removing a step, a strength or a wellness tool. Removing one
# stamps `removed_at` and leaves the row where it was: for UNDO_OFFERED the page
# shows "Removed “…”. Undo" in its place, and Undo works until the worker forgets
# the row, REMOVED_KEPT_FOR after (so a page left open a while keeps its Undo). A
# wellness tool ticked on a check-in is never forgotten: the check-ins keep it.
UNDO_OFFERED = timedelta(minutes=1)
REMOVED_KEPT_FOR = timedelta(minutes=10)


class RemovableQuerySet(OwnedQuerySet):
    def shown_at(self, now: datetime) -> RemovableQuerySet:
        """The rows a list shows at `now`: those kept, and those removed so
        lately that their place offers Undo."""
        return self.filter(
            Q(removed_at__isnull=True) | Q(removed_at__gte=now - UNDO_OFFERED)
        )


class KeptManager(models.Manager):
    """Only what the member keeps: every read of their plan (their pages, their
    supporter's, the figures) leaves out what they removed, from the moment they
    removed it. `all_objects` sees removed rows too, for Undo and the worker."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(removed_at__isnull=True)


def removed_index(name: str) -> models.Index:
    """The worker looks for rows removed long enough ago every minute."""
    return models.Index(
        fields=["removed_at"], condition=Q(removed_at__isnull=False), name=name
    )


class Strength(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="strengths"
    )
    category = models.CharField(
        _("kind of strength"), max_length=20, choices=StrengthCategory.choices
    )
    text = models.CharField(_("strength"), max_length=200)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = KeptManager.from_queryset(RemovableQuerySet)()
    all_objects = RemovableQuerySet.as_manager()

    class Meta:
        ordering = ["category", "created_at", "pk"]
        indexes = [
            models.Index(fields=["member", "category"]),
            removed_index("strength_removed"),
        ]

    def __str__(self) -> str:
        return self.text


class WellnessTool(models.Model):
    """Something that helps this member: a walk, journaling, calling a friend."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="wellness_tools",
    )
    name = models.CharField(_("what helps me"), max_length=100)
    description = models.CharField(_("how I use it"), max_length=300, blank=True)
    # A tool set aside stays in past check-ins but leaves the check-in form.
    in_use = models.BooleanField(_("in use"), default=True)
    # A tool removed leaves the list too; past check-ins that ticked it keep it.
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = KeptManager.from_queryset(RemovableQuerySet)()
    all_objects = RemovableQuerySet.as_manager()

    class Meta:
        ordering = ["-in_use", Lower("name")]
        indexes = [removed_index("wellness_tool_removed")]
        constraints = [
            # Among the tools on the list: one removed, kept by past check-ins,
            # leaves its name free for a new one.
            models.UniqueConstraint(
                "member",
                Lower("name"),
                condition=Q(removed_at__isnull=True),
                name="wellness_tool_name_unique_per_member",
                violation_error_message=_("This is already on your list."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ACHIEVED = "achieved", _("Achieved")
    PAUSED = "paused", _("Paused")
    LET_GO = "let_go", _("Let go")


class GoalOrigin(models.TextChoices):
    MINE = "mine", _("My own")
    SUGGESTED = "suggested", _("A suggestion I accepted")


LADDER_LEVELS = (-2, -1, 0, 1, 2)


class GoalQuerySet(OwnedQuerySet):
    def active(self) -> GoalQuerySet:
        return self.filter(status=GoalStatus.ACTIVE)

    def with_progress(self) -> GoalQuerySet:
        return self.annotate(
            steps_total=Count(
                "steps", filter=Q(steps__removed_at__isnull=True), distinct=True
            ),
            steps_done=Count(
                "steps",
                filter=Q(steps__done=True, steps__removed_at__isnull=True),
                distinct=True,
            ),
        )


class Goal(models.Model):
    """A goal in the member's own words."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(_("my goal"), max_length=200)
    why = models.TextField(_("why it matters to me"), blank=True, max_length=2000)
    domain = models.CharField(_("life area"), max_length=20, choices=LifeDomain.choices)
    chime_tags = models.JSONField(_("recovery themes"), default=list, blank=True)
    strengths = models.ManyToManyField(
        Strength,
        blank=True,
        related_name="goals",
        verbose_name=_("strengths it draws on"),
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=GoalStatus.choices,
        default=GoalStatus.ACTIVE,
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    shared = models.BooleanField(_("shared with my supporter"), default=True)
    origin = models.CharField(
        max_length=10, choices=GoalOrigin.choices, default=GoalOrigin.MINE
    )
    # Goal-attainment ladder, written by the member: what -2 ... +2 would look like.
    ladder_much_less = models.CharField(
        _("much less than expected (-2)"), max_length=200, blank=True
    )
    ladder_less = models.CharField(
        _("less than expected (-1)"), max_length=200, blank=True
    )
    ladder_expected = models.CharField(
        _("what I expect (0)"), max_length=200, blank=True
    )
    ladder_more = models.CharField(
        _("more than expected (+1)"), max_length=200, blank=True
    )
    ladder_much_more = models.CharField(
        _("much more than expected (+2)"), max_length=200, blank=True
    )
    ladder_level = models.SmallIntegerField(_("where I am now"), null=True, blank=True)
    # Goes up by one with every edit of the goal's words, so a form opened before
    # another tab's save can tell (goals.services.goal_update).
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=GoalStatus.values),
                name="goal_status_valid",
                violation_error_message=_(
                    "Please choose one of the statuses a goal can have."
                ),
            ),
            models.CheckConstraint(
                condition=Q(domain__in=LifeDomain.values),
                name="goal_domain_valid",
                violation_error_message=_("Please choose a life area from the list."),
            ),
            models.CheckConstraint(
                condition=Q(ladder_level__isnull=True)
                | Q(ladder_level__gte=-2, ladder_level__lte=2),
                name="goal_ladder_level_range",
                violation_error_message=_("Please choose a level from −2 to +2."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == GoalStatus.ACTIVE

    @property
    def dimension(self) -> Dimension:
        return DOMAIN_DIMENSION[self.domain]

    @property
    def chime_labels(self) -> list[str]:
        labels = dict(Chime.choices)
        return [labels[tag] for tag in self.chime_tags if tag in labels]

    @property
    def ladder(self) -> list[tuple[int, str]]:
        """The written ladder, highest rung first, leaving out rungs left blank."""
        rungs = [
            (2, self.ladder_much_more),
            (1, self.ladder_more),
            (0, self.ladder_expected),
            (-1, self.ladder_less),
            (-2, self.ladder_much_less),
        ]
        return [(level, text) for level, text in rungs if text]

    @property
    def has_ladder(self) -> bool:
        return bool(self.ladder)


class StepQuerySet(RemovableQuerySet):
    def for_user(self, user) -> StepQuerySet:
        return self.filter(goal__member=user)


class Step(models.Model):
    """A small step towards a goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("step"), max_length=200)
    origin = models.CharField(
        max_length=10, choices=GoalOrigin.choices, default=GoalOrigin.MINE
    )
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = KeptManager.from_queryset(StepQuerySet)()
    all_objects = StepQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [removed_index("step_removed")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done=False, done_at__isnull=True)
                | Q(done=True, done_at__isnull=False),
                name="step_done_has_time",
                violation_error_message=_(
                    "A step marked done needs the time it was done."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title


SCALE_MIN, SCALE_MAX = 0, 10

# A member can fill in a day they missed, or change a check-in, for this many
# days back from today in their own time zone (goals.services.checkin_day_refusal).
CHECKIN_CHANGEABLE_DAYS = 7


class CheckIn(models.Model):
    """How a day went, in a few taps. One per member per day in their time zone."""

    # No index of its own: the one-a-day constraint's index (member, day) serves
    # every lookup by member, and with both the planner read a caseload's whole
    # history through this one and filtered the days out.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="checkins",
        db_index=False,
    )
    day = models.DateField(_("day"))
    skipped = models.BooleanField(_("skipped this day"), default=False)
    skip_reason = models.CharField(_("reason (optional)"), max_length=200, blank=True)
    wellbeing = models.SmallIntegerField(_("overall wellbeing"), null=True, blank=True)
    hope = models.SmallIntegerField(_("hope"), null=True, blank=True)
    feelings = models.CharField(_("words for how I feel"), max_length=200, blank=True)
    tools_used = models.ManyToManyField(
        WellnessTool,
        blank=True,
        related_name="checkins",
        verbose_name=_("what helped today"),
    )
    had_setback = models.BooleanField(_("today had a setback"), default=False)
    note = models.TextField(_("journal note"), blank=True, max_length=4000)
    note_shared = models.BooleanField(
        _("share this note with my supporter"), default=False
    )
    wants_to_talk = models.BooleanField(
        _("I'd like to talk with my supporter"), default=False
    )
    # When the member asked to talk (set when wants_to_talk turns on, kept through
    # later edits of the same check-in): what a supporter's message answers.
    talk_asked_at = models.DateTimeField(null=True, blank=True)
    # Its numbers were written after its day (a day missed, filled in later); the
    # journey says so, for the member and their supporter.
    filled_in_later = models.BooleanField(
        _("filled in later"),
        default=False,
        help_text=_("Written after its day, for a day missed."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "day"],
                name="one_checkin_a_day",
                violation_error_message=_("There is already a check-in for this day."),
            ),
            models.CheckConstraint(
                condition=Q(wellbeing__isnull=True)
                | Q(wellbeing__gte=SCALE_MIN, wellbeing__lte=SCALE_MAX),
                name="checkin_wellbeing_range",
                violation_error_message=_(
                    "Please choose your wellbeing on the scale from 0 to 10."
                ),
            ),
            models.CheckConstraint(
                condition=Q(hope__isnull=True)
                | Q(hope__gte=SCALE_MIN, hope__lte=SCALE_MAX),
                name="checkin_hope_range",
                violation_error_message=_(
                    "Please choose your hope on the scale from 0 to 10."
                ),
            ),
            models.CheckConstraint(
                condition=Q(wants_to_talk=True) | Q(talk_asked_at__isnull=True),
                name="checkin_talk_asked_only_when_asking",
                violation_error_message=_(
                    "A check-in that does not ask to talk has no time it asked."
                ),
            ),
            models.CheckConstraint(
                condition=Q(skipped=True, wellbeing__isnull=True, hope__isnull=True)
                | Q(skipped=False, wellbeing__isnull=False, hope__isnull=False),
                name="checkin_skipped_or_scored",
                violation_error_message=_(
                    "A check-in needs both numbers, or to be marked as skipped."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.day}"


class EventKind(models.TextChoices):
    CHECKIN = "checkin", _("Checked in")
    GOAL_SET = "goal_set", _("Set a goal")
    STEP_DONE = "step_done", _("Finished a step")
    GOAL_ACHIEVED = "goal_achieved", _("Achieved a goal")
    GOAL_PAUSED = "goal_paused", _("Paused a goal")
    GOAL_LET_GO = "goal_let_go", _("Let a goal go")
    GOAL_RESUMED = "goal_resumed", _("Picked a goal up again")


class JourneyEvent(models.Model):
    """One moment on the member's timeline.

    Written by the services as things happen, so the timeline is one indexed query
    however long the history is, and a goal paused then picked up again keeps both
    moments.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journey"
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    occurred_at = models.DateTimeField()
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    checkin = models.OneToOneField(
        CheckIn, on_delete=models.CASCADE, null=True, blank=True, related_name="event"
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(
                fields=["member", "-occurred_at", "-id"], name="journey_newest"
            ),
            # The programme report counts one kind of moment (goals achieved) by
            # month across all members (make bench: 41 ms scan -> 8 ms).
            models.Index(fields=["kind", "occurred_at"], name="journey_kind_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values),
                name="journey_kind_valid",
                violation_error_message=_(
                    "This kind of moment is not one the journey knows."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="checkin", checkin__isnull=False)
                | (~Q(kind="checkin") & Q(goal__isnull=False)),
                name="journey_event_has_subject",
                violation_error_message=_(
                    "A moment on the journey needs what it is about."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class Sharing(models.Model):
    """What the member shares with their peer supporter by default.

    Each goal and each check-in note can still be switched one by one. A member who
    never changed anything has no row and gets the fields' defaults.

    `numbers_shared` is a copy of whether the member has an open
    `ConsentTo.NUMBERS_TO_SUPPORTER` consent, and `measures_shared` of an open
    `ConsentTo.MEASURES_TO_SUPPORTER` one: the `Consent` rows are the record that
    counts, and only `goals.services.consent_give` / `consent_withdraw` write these
    copies, in the same transaction. They are kept so the supporter's pages read
    them in the queries they already make.
    """

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing"
    )
    goals_shared = models.BooleanField(_("new goals are shared"), default=True)
    notes_shared = models.BooleanField(_("check-in notes are shared"), default=False)
    numbers_shared = models.BooleanField(
        _("my wellbeing and hope numbers are shared"),
        default=False,
        help_text=_("Only while you consent to it; see your consent records."),
    )
    # A copy, like numbers_shared, of an open MEASURES_TO_SUPPORTER consent.
    measures_shared = models.BooleanField(
        _("my recovery questionnaire totals are shared"),
        default=False,
        help_text=_("Only while you consent to it; see your consent records."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "sharing"

    def __str__(self) -> str:
        return f"sharing of {self.member}"

    @classmethod
    def for_member(cls, member) -> Sharing:
        """The member's sharing choices, or the defaults (unsaved) if none yet."""
        try:
            return member.sharing
        except cls.DoesNotExist:
            return cls(member=member)


class ConsentTo(models.TextChoices):
    """What a member can consent to. Each is given and withdrawn on its own."""

    NUMBERS_TO_SUPPORTER = (
        "numbers_to_supporter",
        _("My peer supporter sees my wellbeing and hope numbers"),
    )
    CRISIS_FLAG_TO_SUPPORTER = (
        "crisis_flag_to_supporter",
        _("My peer supporter is told when a check-in says things are very hard"),
    )
    EMAIL_REMINDERS = "email_reminders", _("Reminders by email")
    MEASURES_TO_SUPPORTER = (
        "measures_to_supporter",
        _("My peer supporter sees my recovery questionnaire totals"),
    )

    @property
    def to_whom(self) -> str:
        return str(CONSENT_TO_WHOM[self])


CONSENT_TO_WHOM = {
    ConsentTo.NUMBERS_TO_SUPPORTER: _("my peer supporter"),
    ConsentTo.CRISIS_FLAG_TO_SUPPORTER: _("my peer supporter"),
    ConsentTo.EMAIL_REMINDERS: _("the programme, by email"),
    ConsentTo.MEASURES_TO_SUPPORTER: _("my peer supporter"),
}


class Consent(models.Model):
    """One consent the member gave: what, to whom, when, and when they withdrew it.

    Rows are never edited except to close them: giving consent again after
    withdrawing it opens a new row, so the history stays whole. The database holds
    at most one open consent per member and kind.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    what = models.CharField(_("what"), max_length=32, choices=ConsentTo.choices)
    to_whom = models.CharField(
        _("to whom"),
        max_length=100,
        help_text=_("Who may see or do it, in the words shown when it was given."),
    )
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(
        _("withdrawn"),
        null=True,
        blank=True,
        help_text=_("Empty while the consent is still given."),
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "what"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_open_consent_per_member_and_what",
                violation_error_message=_("This permission is already given."),
            ),
            models.CheckConstraint(
                condition=Q(what__in=ConsentTo.values),
                name="consent_what_valid",
                violation_error_message=_("Please choose a permission from the list."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True)
                | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
                violation_error_message=_(
                    "A permission can be withdrawn only after it was given."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_what_display()} ({self.member})"

    @property
    def is_open(self) -> bool:
        return self.withdrawn_at is None


class Reminder(models.Model):
    """A member's own check-in reminder by email: on the weekdays and at the
    wall-clock time they chose, in their own time zone; off until they turn it on
    (goals/reminders.py has the rules)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder"
    )
    on = models.BooleanField(_("remind me to check in"), default=False)
    # Monday is 0, as date.weekday() counts.
    weekdays = models.CharField(max_length=7, default="0123456")
    at = models.TimeField(_("at"), default=dt_time(19, 0))
    # No reminder up to and including this day (the member's own date).
    paused_until = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(weekdays__regex=r"^[0-6]{0,7}$"),
                name="reminder_weekdays_valid",
                violation_error_message=_("Please choose days of the week."),
            ),
        ]

    def __str__(self) -> str:
        return f"reminder of {self.member_id} ({'on' if self.on else 'off'})"


# --- Recovery measures ------------------------------------------------------------

MEASURE_CHOICES = [(q.key, q.name) for q in QUESTIONNAIRES.values()]
EVERY_MONTHS_CHOICES = [
    (1, _("Every month")),
    (2, _("Every 2 months")),
    (3, _("Every 3 months")),
]


def _item_field(n: int) -> models.SmallIntegerField:
    return models.SmallIntegerField(
        format_lazy("{} {}", _("answer to statement"), n),
        null=True,
        blank=True,
        help_text=_("Empty when the statement was skipped (or not reached yet)."),
    )


def _answers_on_their_scale() -> Q:
    """Each questionnaire's answers are on its own scale, in its own columns."""
    cases = Q()
    for q in QUESTIONNAIRES.values():
        case = Q(measure=q.key)
        for n in range(1, MOST_ITEMS + 1):
            item = f"item_{n}"
            if n <= len(q.items):
                on_scale = Q(**{f"{item}__gte": q.lowest, f"{item}__lte": q.highest})
                case &= Q(**{f"{item}__isnull": True}) | on_scale
            else:
                case &= Q(**{f"{item}__isnull": True})
        cases |= case
    return cases


def _total_is_the_sum() -> Q:
    """A total, when there is one, is in range and the sum of the answers."""
    cases = Q(total__isnull=True)
    for q in QUESTIONNAIRES.values():
        items = [models.F(f"item_{n}") for n in range(1, len(q.items) + 1)]
        added = items[0]
        for item in items[1:]:
            added = added + item
        cases |= Q(
            measure=q.key,
            total__gte=q.total_min,
            total__lte=q.total_max,
            total=added,
        )
    return cases


class MeasureChoice(models.Model):
    """A recovery measure the member chose to answer, and how often. None by
    default; a due one is told under the bell (goals/measure_due.py)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="measure_choices",
        db_index=False,  # the one-per-measure constraint's index leads with member
    )
    measure = models.CharField(
        _("questionnaire"), max_length=16, choices=MEASURE_CHOICES
    )
    every_months = models.PositiveSmallIntegerField(
        _("how often"), choices=EVERY_MONTHS_CHOICES, default=3
    )
    # The due day the member was last told of: told once per due day.
    notified_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "measure"],
                name="one_choice_per_measure",
                violation_error_message=_("You chose this questionnaire already."),
            ),
            models.CheckConstraint(
                condition=Q(measure__in=list(QUESTIONNAIRES)),
                name="measure_choice_measure_valid",
                violation_error_message=_(
                    "Please choose a questionnaire from the list."
                ),
            ),
            models.CheckConstraint(
                condition=Q(every_months__in=EVERY_MONTHS),
                name="measure_choice_every_valid",
                violation_error_message=_("Please choose every 1, 2 or 3 months."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} every {self.every_months} months"


class MeasureResultQuerySet(OwnedQuerySet):
    def completed(self) -> MeasureResultQuerySet:
        return self.filter(completed_at__isnull=False)

    def drafts(self) -> MeasureResultQuerySet:
        return self.filter(completed_at__isnull=True)


class MeasureResult(models.Model):
    """One time the member answered a questionnaire: a draft while they answer
    (kept across screens, "finish later"), completed once they finish. One
    completed result per questionnaire per day, in their own time zone."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="measure_results",
        db_index=False,  # the constraints' indexes lead with member
    )
    measure = models.CharField(
        _("questionnaire"), max_length=16, choices=MEASURE_CHOICES
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(_("finished"), null=True, blank=True)
    day = models.DateField(
        _("day"), null=True, blank=True, help_text=_("Your own date it was finished.")
    )
    # The statement the member is at (0 the first): one before it left empty was
    # skipped, one from it on is not answered yet.
    position = models.PositiveSmallIntegerField(default=0, editable=False)
    total = models.SmallIntegerField(
        _("total"),
        null=True,
        blank=True,
        help_text=_("Empty while answering, or when a statement was skipped."),
    )
    item_1 = _item_field(1)
    item_2 = _item_field(2)
    item_3 = _item_field(3)
    item_4 = _item_field(4)
    item_5 = _item_field(5)
    item_6 = _item_field(6)
    item_7 = _item_field(7)
    item_8 = _item_field(8)
    item_9 = _item_field(9)
    item_10 = _item_field(10)

    objects = MeasureResultQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-pk"]
        indexes = [
            # The programme report reads each questionnaire's finished totals.
            models.Index(
                fields=["measure", "member", "day"],
                condition=Q(completed_at__isnull=False, total__isnull=False),
                name="measure_result_totals",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "measure", "day"],
                condition=Q(completed_at__isnull=False),
                name="one_measure_result_a_day",
                violation_error_message=_(
                    "There is already a finished questionnaire for this day."
                ),
            ),
            models.UniqueConstraint(
                fields=["member", "measure"],
                condition=Q(completed_at__isnull=True),
                name="one_measure_draft",
                violation_error_message=_("This questionnaire is already started."),
            ),
            models.CheckConstraint(
                condition=Q(measure__in=list(QUESTIONNAIRES)),
                name="measure_result_measure_valid",
                violation_error_message=_(
                    "Please choose a questionnaire from the list."
                ),
            ),
            models.CheckConstraint(
                condition=_answers_on_their_scale(),
                name="measure_answers_on_scale",
                violation_error_message=_("Please choose an answer on the scale."),
            ),
            models.CheckConstraint(
                condition=Q(position__lte=MOST_ITEMS),
                name="measure_position_in_range",
                violation_error_message=_("There is no such statement."),
            ),
            models.CheckConstraint(
                condition=_total_is_the_sum(),
                name="measure_total_is_the_sum",
                violation_error_message=_("A total is the sum of the answers."),
            ),
            models.CheckConstraint(
                condition=Q(
                    completed_at__isnull=True, day__isnull=True, total__isnull=True
                )
                | Q(completed_at__isnull=False, day__isnull=False),
                name="measure_finished_has_day",
                violation_error_message=_(
                    "A finished questionnaire has its day; one still being answered "
                    "has no total yet."
                ),
            ),
        ]

    def __str__(self) -> str:
        state = self.day.isoformat() if self.day else "started"
        return f"{self.get_measure_display()} {state}"

    @property
    def questionnaire(self):
        return QUESTIONNAIRES[self.measure]

    @property
    def answers(self) -> list[int | None]:
        """One answer per statement (None: skipped, or not reached yet)."""
        count = len(self.questionnaire.items)
        return [getattr(self, f"item_{n}") for n in range(1, count + 1)]

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


# --- The safety plan and the wellness plan ----------------------------------------


class PlanKind(models.TextChoices):
    SAFETY = "safety", _("My safety plan")
    WELLNESS = "wellness", _("My wellness plan")


class PlanSection(models.TextChoices):
    """The parts of the two plans, each a short list in the member's own words.
    Our own wording throughout (goals/plans.py says what each part is for)."""

    # The safety plan
    REASONS = "reasons", _("My reasons for living")
    WARNING_SIGNS = "warning_signs", _("My warning signs")
    ON_MY_OWN = "on_my_own", _("Things I can do on my own")
    DISTRACTIONS = (
        "distractions",
        _("People and places that take my mind off things"),
    )
    HELPERS = "helpers", _("People I can ask for help")
    PROFESSIONALS = "professionals", _("Professionals and crisis lines")
    SAFER = "safer", _("Making my surroundings safer")
    # The wellness plan (its toolbox is the member's "what helps me" list)
    DAILY = "daily", _("What I do every day to stay well")
    KNOCKS = "knocks", _("What can knock me off balance")
    KNOCKS_PLAN = "knocks_plan", _("What I will do when that happens")
    EARLY_SIGNS = "early_signs", _("Early signs that things are slipping")
    EARLY_SIGNS_PLAN = "early_signs_plan", _("What I will do then")
    OTHERS_WHO = "others_who", _("If things break down: who I would like to step in")
    OTHERS_HELPS = "others_helps", _("What helps me then")
    OTHERS_NOT = "others_not", _("What does not help me then")


# The sections of each plan, in the order the plan shows them.
PLAN_SECTIONS: dict[str, tuple[PlanSection, ...]] = {
    PlanKind.SAFETY: (
        PlanSection.REASONS,
        PlanSection.WARNING_SIGNS,
        PlanSection.ON_MY_OWN,
        PlanSection.DISTRACTIONS,
        PlanSection.HELPERS,
        PlanSection.PROFESSIONALS,
        PlanSection.SAFER,
    ),
    PlanKind.WELLNESS: (
        PlanSection.DAILY,
        PlanSection.KNOCKS,
        PlanSection.KNOCKS_PLAN,
        PlanSection.EARLY_SIGNS,
        PlanSection.EARLY_SIGNS_PLAN,
        PlanSection.OTHERS_WHO,
        PlanSection.OTHERS_HELPS,
        PlanSection.OTHERS_NOT,
    ),
}
# Sections whose items are people to reach: each may carry a phone number.
PHONE_SECTIONS = (
    PlanSection.HELPERS,
    PlanSection.PROFESSIONALS,
    PlanSection.OTHERS_WHO,
)


class Plan(models.Model):
    """A member's safety plan or wellness plan: short lists in sections, in their
    own words. Private unless the member shares it with their peer supporter.

    Made when the member first adds to it (opening the page writes nothing);
    changed only through goals/plans.py, which also keeps its versions.
    """

    # No index of its own: the one-of-each-kind constraint's index serves.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="plans",
        db_index=False,
    )
    kind = models.CharField(_("which plan"), max_length=10, choices=PlanKind.choices)
    shared = models.BooleanField(_("shared with my peer supporter"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When its words last changed (sharing it or not is no change to the plan).
    edited_at = models.DateTimeField(_("last updated"), default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind"],
                name="one_plan_of_each_kind",
                violation_error_message=_("You have this plan already."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PlanKind.values),
                name="plan_kind_valid",
                violation_error_message=_("Please choose the safety or wellness plan."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def sections(self) -> tuple[PlanSection, ...]:
        return PLAN_SECTIONS[self.kind]


def tel_of(phone: str) -> str:
    """A phone number as a tel: link wants it: digits and a leading +."""
    digits = "".join(c for c in phone if c.isdigit())
    return ("+" if phone.lstrip().startswith("+") else "") + digits


class PlanItemQuerySet(models.QuerySet):
    def for_user(self, user) -> PlanItemQuerySet:
        return self.filter(plan__member=user)


class PlanItem(models.Model):
    """One line of a plan's section: a warning sign, a person to call, a reason."""

    # No index of its own: the index below, led by the plan, serves every lookup.
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    section = models.CharField(
        _("part of the plan"), max_length=20, choices=PlanSection.choices
    )
    text = models.CharField(_("in my words"), max_length=200)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    # Its place in the section, first at 0; the member moves items up and down.
    position = models.PositiveIntegerField(_("place in the list"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["section", "position", "pk"]
        indexes = [
            models.Index(
                fields=["plan", "section", "position"], name="plan_item_in_order"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(section__in=PlanSection.values),
                name="plan_item_section_valid",
                violation_error_message=_("Please choose a part of the plan."),
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="plan_item_has_words",
                violation_error_message=_("Please write a few words."),
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(section__in=PHONE_SECTIONS),
                name="plan_item_phone_only_for_people",
                violation_error_message=_(
                    "Only people and services to reach have a phone number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def tel(self) -> str:
        return tel_of(self.phone)


class PlanVersionQuerySet(models.QuerySet):
    def for_user(self, user) -> PlanVersionQuerySet:
        return self.filter(plan__member=user)


class PlanVersion(models.Model):
    """The plan as it stood at the end of one day the member changed it.

    What a version is: a snapshot of the whole plan (every section's items, and a
    wellness plan's toolbox), written by every change in the same transaction,
    at most one per plan per day in the member's own time zone. A second change on
    the same day rewrites that day's snapshot rather than adding one, so an
    evening of small edits (a typo, three items moved) is one version, not ten,
    and the list of versions stays one line per day the plan changed: readable
    when it matters, years later. The latest version is always the plan as it is
    now. A snapshot holds the words themselves, not references to the items, so
    an earlier version still reads whole after its items were removed.
    """

    # No index of its own: the one-a-day constraint's index (plan, day) serves.
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="versions", db_index=False
    )
    day = models.DateField(_("day"))
    made_at = models.DateTimeField(_("saved at"))
    content = models.JSONField(
        _("the plan as it was"),
        help_text=_(
            "Each part of the plan with its items (words and phone number), and a "
            "wellness plan's toolbox."
        ),
    )

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "day"],
                name="one_plan_version_a_day",
                violation_error_message=_("This plan has a version for this day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.day}"
