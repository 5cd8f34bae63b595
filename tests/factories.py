"""Factories for every model, so tests build exactly the people and data they need."""

import datetime
import uuid

import factory
from django.utils import timezone

from goals.models import (
    CheckIn,
    Consent,
    ConsentTo,
    EventKind,
    Goal,
    JourneyEvent,
    LifeDomain,
    MeasureChoice,
    MeasureResult,
    Plan,
    PlanItem,
    PlanKind,
    PlanSection,
    PlanVersion,
    Reminder,
    Sharing,
    Step,
    Strength,
    StrengthCategory,
    WellnessTool,
)
from peers.models import (
    AnsweredBy,
    AnsweredReason,
    ChangeRequest,
    ContactMode,
    ContactNote,
    CrisisFollowUp,
    DigestSetting,
    Encouragement,
    ExperienceArea,
    Match,
    MatchPreferences,
    Message,
    ReasonAnswered,
    Suggestion,
    SupporterProfile,
)
from recovery.models import (
    AuditEvent,
    AuditKind,
    CrisisLine,
    FormSubmission,
    Invitation,
    Notification,
    NotificationChoice,
    OutgoingEmail,
    PasswordLink,
    Role,
    User,
    pseudonym,
)

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    role = Role.MEMBER
    time_zone = "UTC"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class MemberFactory(UserFactory):
    role = Role.MEMBER


class SupporterFactory(UserFactory):
    role = Role.SUPPORTER
    username = factory.Sequence(lambda n: f"supporter{n}")


class CoordinatorFactory(UserFactory):
    role = Role.COORDINATOR
    username = factory.Sequence(lambda n: f"coordinator{n}")


class StrengthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strength

    member = factory.SubFactory(MemberFactory)
    category = StrengthCategory.PERSONAL
    text = factory.Sequence(lambda n: f"Strength {n}")


class WellnessToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WellnessTool

    member = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"Helpful thing {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    member = factory.SubFactory(MemberFactory)
    title = factory.Sequence(lambda n: f"Goal {n}")
    why = "It matters to me."
    domain = LifeDomain.HEALTH
    shared = True


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    goal = factory.SubFactory(GoalFactory)
    title = factory.Sequence(lambda n: f"Step {n}")


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    member = factory.SubFactory(MemberFactory)
    day = factory.LazyFunction(lambda: timezone.localdate())
    wellbeing = 6
    hope = 7


class ConsentFactory(factory.django.DjangoModelFactory):
    """An open consent; the crisis flag by default, because a numbers consent made
    outside goals.services.consent_give would not update the member's Sharing."""

    class Meta:
        model = Consent

    member = factory.SubFactory(MemberFactory)
    what = ConsentTo.CRISIS_FLAG_TO_SUPPORTER
    to_whom = "my peer supporter"


class SharingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sharing
        django_get_or_create = ["member"]

    member = factory.SubFactory(MemberFactory)


class FormSubmissionFactory(factory.django.DjangoModelFactory):
    """A create form's claimed one-time key (recovery.once), pointing at nothing."""

    class Meta:
        model = FormSubmission

    user = factory.SubFactory(MemberFactory)
    key = factory.LazyFunction(uuid.uuid4)


class OutgoingEmailFactory(factory.django.DjangoModelFactory):
    """An email waiting to be sent (recovery.email), of a kind every app has."""

    class Meta:
        model = OutgoingEmail

    user = factory.SubFactory(MemberFactory, email="someone@example.org")
    kind = "password_reset"
    key = factory.Sequence(lambda n: f"test-{n}")


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation; its link token is `invitation.token` (only the hash is kept)."""

    class Meta:
        model = Invitation

    name = factory.Faker("first_name")
    role = Role.MEMBER
    token = factory.Sequence(lambda n: f"test-invitation-token-{n}")
    token_hash = factory.LazyAttribute(lambda i: Invitation.hash_token(i.token))
    expires_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=7)
    )

    @classmethod
    def _create(cls, model_class, *args, token, **kwargs):
        invitation = super()._create(model_class, *args, **kwargs)
        invitation.token = token
        return invitation


class PasswordLinkFactory(factory.django.DjangoModelFactory):
    """A one-time set-your-password link; its token is `link.token` (only the hash
    is kept). recovery.password_links.password_link_create makes real ones."""

    class Meta:
        model = PasswordLink

    user = factory.SubFactory("tests.factories.MemberFactory", email="")
    token = factory.Sequence(lambda n: f"test-password-link-{n}")
    token_hash = factory.LazyAttribute(lambda link: PasswordLink.hash_token(link.token))
    expires_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(hours=24)
    )

    @classmethod
    def _create(cls, model_class, *args, token, **kwargs):
        link = super()._create(model_class, *args, **kwargs)
        link.token = token
        return link


class CrisisLineFactory(factory.django.DjangoModelFactory):
    """One of the programme's crisis lines, as a coordinator would add it."""

    class Meta:
        model = CrisisLine

    name = factory.Sequence(lambda n: f"Local crisis line {n}")
    contact = factory.Sequence(lambda n: f"555 01{n % 100:02}")
    kind = "both"
    hours = "any time, day or night"
    position = factory.Sequence(lambda n: n + 1)


class AuditEventFactory(factory.django.DjangoModelFactory):
    """One audit line: by default a supporter having seen a member's data."""

    class Meta:
        model = AuditEvent

    kind = AuditKind.VIEWED
    actor_key = factory.LazyFunction(lambda: pseudonym(SupporterFactory()))
    subject_key = factory.LazyFunction(lambda: pseudonym(MemberFactory()))
    what = "member page"
    path = "/supporter/members/1/"


class JourneyEventFactory(factory.django.DjangoModelFactory):
    """A timeline moment; defaults to "set a goal" for a new goal."""

    class Meta:
        model = JourneyEvent

    goal = factory.SubFactory(GoalFactory)
    member = factory.LazyAttribute(lambda e: e.goal.member)
    kind = EventKind.GOAL_SET
    occurred_at = factory.LazyFunction(timezone.now)


class ExperienceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExperienceArea
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Lived experience {n}")


class SupporterProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupporterProfile
        django_get_or_create = ["user"]

    user = factory.SubFactory("tests.factories.SupporterFactory")
    languages = factory.LazyFunction(lambda: ["English"])
    capacity = 5
    accepting = True
    contact = "Text me on 555-0100, weekdays"


class MatchPreferencesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchPreferences
        django_get_or_create = ["member"]

    member = factory.SubFactory(MemberFactory)
    languages = factory.LazyFunction(lambda: ["English"])


class MatchFactory(factory.django.DjangoModelFactory):
    """An active match, keeping the supporter's count of active matches true (as
    peers.services.match_create does)."""

    class Meta:
        model = Match

    member = factory.SubFactory(MemberFactory)
    supporter = factory.SubFactory(SupporterFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.db.models import F

        supporter = kwargs["supporter"]
        profile = SupporterProfileFactory(user=supporter)
        match = super()._create(model_class, *args, **kwargs)
        if match.ended_at is None:
            SupporterProfile.objects.filter(pk=profile.pk).update(
                active_matches=F("active_matches") + 1
            )
        return match


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeRequest

    member = factory.SubFactory(MemberFactory)


class EncouragementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Encouragement

    supporter = factory.SubFactory(SupporterFactory)
    member = factory.SubFactory(MemberFactory)
    checkin = None
    # An encouragement answers one thing: a check-in if given, else a new goal.
    goal = factory.Maybe(
        "checkin",
        yes_declaration=None,
        no_declaration=factory.SubFactory(
            GoalFactory, member=factory.SelfAttribute("..member")
        ),
    )
    text = "You showed up today, and that counts."


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    supporter = factory.SubFactory(SupporterFactory)
    member = factory.SubFactory(MemberFactory)
    title = factory.Sequence(lambda n: f"Suggested idea {n}")
    domain = LifeDomain.SOCIAL


class ContactNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactNote

    match = factory.SubFactory(MatchFactory)
    member = factory.LazyAttribute(lambda n: n.match.member)
    author = factory.LazyAttribute(lambda n: n.match.supporter)
    contact_date = factory.LazyFunction(timezone.localdate)
    mode = ContactMode.PHONE
    note = "We talked about the week ahead."


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


class MessageFactory(factory.django.DjangoModelFactory):
    """A message in an active match's conversation, from its member."""

    class Meta:
        model = Message

    match = factory.SubFactory(MatchFactory)
    author = factory.LazyAttribute(lambda m: m.match.member)
    text = factory.Sequence(lambda n: f"Message {n}")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(MemberFactory)
    kind = "encouragement"
    actor = factory.SubFactory(SupporterFactory)
    url = "/today/"


class NotificationChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationChoice

    user = factory.SubFactory(MemberFactory)
    kind = "message"
    by_email = True


class ReminderFactory(factory.django.DjangoModelFactory):
    """A member's check-in reminder, on, every day at 19:00."""

    class Meta:
        model = Reminder

    member = factory.SubFactory(MemberFactory, email="member@example.org")
    on = True


class DigestSettingFactory(factory.django.DjangoModelFactory):
    """A supporter's digest, on at 8:00."""

    class Meta:
        model = DigestSetting

    user = factory.SubFactory(SupporterFactory)


class CrisisFollowUpFactory(factory.django.DjangoModelFactory):
    """A supporter's follow-up of a crisis flag, in their active match."""

    class Meta:
        model = CrisisFollowUp

    match = factory.SubFactory(MatchFactory)
    day = factory.LazyFunction(datetime.date.today)
    by = factory.LazyAttribute(lambda f: f.match.supporter)
    note = "Called, talked it through."


class ReasonAnsweredFactory(factory.django.DjangoModelFactory):
    """A caseload reason answered by a message from the match's supporter."""

    class Meta:
        model = ReasonAnswered

    match = factory.SubFactory(MatchFactory)
    reason = AnsweredReason.ASKED_TO_TALK
    words = "asked to talk"
    how = AnsweredBy.MESSAGE
    by = factory.LazyAttribute(lambda f: f.match.supporter)


def answers_adding_up_to(total: int, items: int = 10) -> list[int]:
    """BARC-10 answers (1 to 6 each) that add up to `total` (10 to 60)."""
    base, extra = divmod(total, items)
    return [base + 1 if n < extra else base for n in range(items)]


class MeasureResultFactory(factory.django.DjangoModelFactory):
    """A finished BARC-10 with a total, on a day (answers that add up to it); pass
    total=None for one with a statement skipped."""

    class Meta:
        model = MeasureResult

    member = factory.SubFactory(MemberFactory)
    measure = "barc-10"
    day = factory.LazyFunction(timezone.localdate)
    completed_at = factory.LazyAttribute(
        lambda o: datetime.datetime.combine(
            o.day, datetime.time(12), tzinfo=datetime.UTC
        )
    )
    total = 35

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        total = kwargs["total"]
        answers = answers_adding_up_to(total or 30)
        if total is None:
            answers[-1] = None
        for number, value in enumerate(answers, start=1):
            kwargs.setdefault(f"item_{number}", value)
        return super()._create(model_class, *args, **kwargs)


class MeasureChoiceFactory(factory.django.DjangoModelFactory):
    """A member's choice of BARC-10, every 3 months."""

    class Meta:
        model = MeasureChoice

    member = factory.SubFactory(MemberFactory)
    measure = "barc-10"
    every_months = 3


class PlanFactory(factory.django.DjangoModelFactory):
    """A member's safety plan, private. Tests that change plans use the services
    (goals.plans), which also keep the versions."""

    class Meta:
        model = Plan

    member = factory.SubFactory(MemberFactory)
    kind = PlanKind.SAFETY


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    plan = factory.SubFactory(PlanFactory)
    section = PlanSection.REASONS
    text = factory.Sequence(lambda n: f"A reason of mine {n}")
    position = factory.Sequence(lambda n: n)


class PlanVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanVersion

    plan = factory.SubFactory(PlanFactory)
    day = factory.LazyFunction(timezone.localdate)
    made_at = factory.LazyFunction(timezone.now)
    content = factory.LazyFunction(lambda: {"sections": {}})
