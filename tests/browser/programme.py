"""A small programme with something on every page, for the accessibility tests.

Built through the services where they exist, so the data is what people make: a
member with goals, steps, check-ins, strengths and tools, matched with a supporter
by a coordinator; a second member waiting; a second supporter with a free place.
"""

import datetime
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from goals import measure_services, plans
from goals import services as goal_services
from goals.measures import BARC_10
from goals.models import (
    ConsentTo,
    Goal,
    LifeDomain,
    PlanKind,
    PlanSection,
    StrengthCategory,
)
from peers import services as peer_services
from peers.models import ContactMode
from recovery.models import AuditKind, Seen, pseudonym
from recovery.password_links import password_link_create
from tests.factories import (
    AuditEventFactory,
    CoordinatorFactory,
    ExperienceAreaFactory,
    InvitationFactory,
    MatchPreferencesFactory,
    MeasureResultFactory,
    MemberFactory,
    StrengthFactory,
    SupporterFactory,
    SupporterProfileFactory,
    WellnessToolFactory,
    days_ago,
)

# The timeline pages this many moments at a time in these tests, so "Load earlier
# moments" shows with a handful of check-ins.
TIMELINE_PAGE_SIZE = 6
# The day, so many days ago, that the member missed and filled in later.
FILLED_IN_LATER = 4


def build_programme() -> SimpleNamespace:
    coordinator = CoordinatorFactory(username="cora-a11y", first_name="Cora")
    area = ExperienceAreaFactory(name="Grief and loss")
    supporter = SupporterFactory(username="sam-a11y", first_name="Sam")
    SupporterProfileFactory(
        user=supporter,
        intro="I've walked this road too. I like walks and a good cup of tea.",
    ).experience_areas.add(area)
    other_supporter = SupporterFactory(username="ines-a11y", first_name="Ines")
    SupporterProfileFactory(user=other_supporter, languages=["English", "Spanish"])

    member = MemberFactory(username="maya-a11y", first_name="Maya")
    kindness = StrengthFactory(member=member, text="I am kind to people I meet")
    StrengthFactory(member=member, category=StrengthCategory.SKILLS, text="I cook well")
    walk = WellnessToolFactory(member=member, name="A walk by the river")
    WellnessToolFactory(member=member, name="Calling my sister", description="Sundays")
    WellnessToolFactory(member=member, name="Late-night TV", in_use=False)

    goal = goal_services.goal_create(
        member=member,
        goal=Goal(
            title="Walk to the park on Saturdays",
            why="Fresh air helps me think.",
            domain=LifeDomain.HEALTH,
            chime_tags=["hope", "connectedness"],
            shared=True,
            ladder_expected="Twice a month",
            ladder_more="Every Saturday",
            ladder_much_more="Saturdays and Sundays",
            ladder_less="Once a month",
            ladder_much_less="Not at all",
            ladder_level=0,
        ),
        strengths=[kindness],
    )
    done_step = goal_services.step_add(goal=goal, title="Find my walking shoes")
    goal_services.step_set_done(step=done_step, done=True)
    open_step = goal_services.step_add(goal=goal, title="Ask Jo to come along")
    # People paste links: a long unbroken word must wrap, not widen the page.
    goal_services.step_add(
        goal=goal,
        title="Read https://www.example.org/information-support/walking-for-wellbeing",
    )
    private_goal = goal_services.goal_create(
        member=member,
        goal=Goal(
            title="Open a savings account", domain=LifeDomain.MONEY, shared=False
        ),
    )
    goal_services.step_add(goal=private_goal, title="Find the bank's opening hours")
    achieved = goal_services.goal_create(
        member=member,
        goal=Goal(title="Join the choir", domain=LifeDomain.SOCIAL, shared=True),
    )
    goal_services.goal_set_status(goal=achieved, status="achieved")

    goal_services.sharing_update(
        member=member,
        goals_shared=True,
        notes_shared=True,
        numbers_shared=True,
        crisis_flag=True,
        measures_shared=True,
    )
    goal_services.consent_give(member=member, what=ConsentTo.NUMBERS_TO_SUPPORTER)
    # Check-ins on past days, oldest first (today's is left for the check-in page).
    goal_services.checkin_skip(member=member, reason="A long day", day=days_ago(12))
    for n in range(11, 0, -1):
        goal_services.checkin_record(
            member=member,
            day=days_ago(n),
            wellbeing=4 + n % 5,
            hope=5 + n % 4,
            feelings="Calm" if n % 2 else "",
            tools=[walk] if n % 3 == 0 else [],
            note="A good talk with my sister." if n == 2 else "",
            note_shared=True,
            wants_to_talk=n == 1,
        )
    # Written now, they are days filled in later; as if made on their days, but one.
    member.checkins.exclude(day=days_ago(FILLED_IN_LATER)).update(filled_in_later=False)

    # BARC-10 every two months: answered twice, and part way through a third.
    measure_services.measure_choices_save(member=member, chosen={BARC_10.key: 2})
    MeasureResultFactory(member=member, day=days_ago(120), total=31)
    MeasureResultFactory(member=member, day=days_ago(60), total=None)
    MeasureResultFactory(member=member, day=days_ago(2), total=38)
    draft = measure_services.measure_draft(member=member, questionnaire=BARC_10)
    measure_services.measure_answer(draft=draft, item=1, value=5)
    measure_services.measure_answer(draft=draft, item=2, value=None)

    match = peer_services.match_create(
        member=member, supporter=supporter, by=coordinator
    )
    checkin = member.checkins.get(day=days_ago(3))
    peer_services.encouragement_send(
        match=match, text="You showed up today, and that counts.", checkin=checkin
    )
    peer_services.suggestion_make(
        match=match, title="Try the Tuesday walking group", domain=LifeDomain.SOCIAL
    )
    peer_services.suggestion_make(match=match, title="Pack a snack", goal=goal)
    peer_services.contact_log(
        match=match,
        contact_date=days_ago(2),
        mode=ContactMode.PHONE,
        minutes=20,
        goals=[goal],
        next_step="Look up the park's opening times",
        note="We talked about the week ahead.",
        shared_with_member=True,
    )

    # Her safety plan, shared with Sam, and her wellness plan, kept to herself.
    for section, text, phone in [
        (PlanSection.REASONS, "My nephew Leo, and seeing him grow up", ""),
        (PlanSection.REASONS, "The sea in spring", ""),
        (PlanSection.WARNING_SIGNS, "Lying awake past three, night after night", ""),
        (PlanSection.HELPERS, "Jo, my sister", "+1 (555) 010-0142"),
        (
            PlanSection.PROFESSIONALS,
            "Read https://www.example.org/information-support/crisis-lines-near-you",
            "",
        ),
    ]:
        plan_item = plans.plan_item_add(
            member=member,
            kind=PlanKind.SAFETY,
            section=section,
            text=text,
            phone=phone,
        )
    plans.plan_set_shared(member=member, kind=PlanKind.SAFETY, shared=True)
    plans.plan_item_add(
        member=member,
        kind=PlanKind.WELLNESS,
        section=PlanSection.DAILY,
        text="Breakfast before nine",
    )
    # Who viewed Maya's data: her supporter on two days, the coordinator once.
    for hours_ago, who, what in [
        (30, supporter, Seen.MEMBER_PAGE),
        (29, supporter, Seen.CONTACT_LOG),
        (2, supporter, Seen.MEMBER_PAGE),
        (1, coordinator, Seen.MATCH_HISTORY),
    ]:
        AuditEventFactory(
            kind=AuditKind.VIEWED,
            subject_key=pseudonym(member),
            actor_key=pseudonym(who),
            actor_name=who.first_name,
            actor_role=who.role,
            what=what,
            at=timezone.now() - datetime.timedelta(hours=hours_ago),
        )

    waiting = MemberFactory(username="noor-a11y", first_name="Noor")
    MatchPreferencesFactory(
        member=waiting,
        languages=["English", "Spanish"],
        availability=["weekday_evenings"],
        region="North",
    ).experience_areas.add(area)
    peer_services.change_request_create(member=waiting, reason="I'd like to start soon")
    invitation = InvitationFactory(name="Lena", created_by=coordinator)
    _link, password_link_token = password_link_create(user=waiting, by=coordinator)

    return SimpleNamespace(
        coordinator=coordinator,
        supporter=supporter,
        other_supporter=other_supporter,
        member=member,
        waiting=waiting,
        goal=goal,
        open_step=open_step,
        match=match,
        invitation=invitation,
        password_link_token=password_link_token,
        plan_item=plan_item,
        plan_version=plan_item.plan.versions.get(),
    )


def member_pages(p: SimpleNamespace) -> list[tuple[str, str]]:
    """(name, path) of each page a member uses, in the order of the menu."""
    return [
        ("home", reverse("goals:home")),
        ("checkin", reverse("goals:checkin")),
        ("goal-list", reverse("goals:list")),
        ("goal-detail", reverse("goals:detail", args=[p.goal.pk])),
        ("goal-new", reverse("goals:create")),
        ("goal-edit", reverse("goals:edit", args=[p.goal.pk])),
        ("timeline", reverse("goals:timeline")),
        ("questionnaires", reverse("goals:measures")),
        ("questionnaire", reverse("goals:measure", args=[BARC_10.key])),
        (
            "questionnaire-statement",
            reverse("goals:measure-item", args=[BARC_10.key, 3]),
        ),
        ("questionnaire-all", reverse("goals:measure-all", args=[BARC_10.key])),
        ("questionnaire-check", reverse("goals:measure-review", args=[BARC_10.key])),
        ("strengths", reverse("goals:strengths")),
        ("tools", reverse("goals:tools")),
        ("safety-plan", reverse("goals:safety-plan")),
        ("wellness-plan", reverse("goals:wellness-plan")),
        ("plan-item-edit", reverse("goals:plan-item-edit", args=[p.plan_item.pk])),
        ("plan-versions", reverse("goals:safety-plan-versions")),
        ("plan-version", reverse("goals:plan-version", args=[p.plan_version.pk])),
        ("crisis", reverse("crisis")),
        ("my-supporter", reverse("peers:my-supporter")),
        ("preferences", reverse("peers:preferences")),
        ("privacy", reverse("goals:privacy")),
        ("data-views", reverse("data-views")),
        ("account-delete", reverse("goals:account-delete")),
        ("settings", reverse("account")),
        ("two-step", reverse("two-factor")),
        ("password-change", reverse("password_change")),
    ]


def waiting_member_pages(p: SimpleNamespace) -> list[tuple[str, str]]:
    """The pages whose words change while a member waits for a supporter."""
    return [
        ("home", reverse("goals:home")),
        ("goal-list", reverse("goals:list")),
        ("timeline", reverse("goals:timeline")),
        ("my-supporter", reverse("peers:my-supporter")),
        ("privacy", reverse("goals:privacy")),
    ]


def supporter_pages(p: SimpleNamespace) -> list[tuple[str, str]]:
    return [
        ("caseload", reverse("peers:caseload")),
        ("member", reverse("peers:member", args=[p.member.pk])),
        (
            "member-safety-plan",
            reverse("peers:member-safety-plan", args=[p.member.pk]),
        ),
        ("contact-form", reverse("peers:contact-add", args=[p.member.pk])),
        (
            "questionnaire-totals",
            reverse("peers:member-measures", args=[p.member.pk]),
        ),
    ]


def coordinator_pages(p: SimpleNamespace) -> list[tuple[str, str]]:
    return [
        ("waiting-list", reverse("peers:waiting")),
        ("supporters", reverse("peers:supporters")),
        ("supporter-edit", reverse("peers:supporter-edit", args=[p.supporter.pk])),
        ("areas", reverse("peers:areas")),
        ("suggestions", reverse("peers:suggestions", args=[p.waiting.pk])),
        ("batch", reverse("peers:batch")),
        ("match-history", reverse("peers:match-history")),
        ("member-history", reverse("peers:member-history", args=[p.member.pk])),
        ("match-end", reverse("peers:match-end", args=[p.match.pk])),
        ("report", reverse("peers:report")),
        ("invitations", reverse("peers:invitations")),
        ("security-events", reverse("security-events")),
        ("crisis-lines", reverse("crisis-lines")),
    ]


def public_pages(p: SimpleNamespace) -> list[tuple[str, str]]:
    return [
        ("sign-in", reverse("login")),
        ("crisis", reverse("crisis")),
        ("password-reset", reverse("password_reset")),
        ("password-reset-sent", reverse("password_reset_done")),
        ("invitation", reverse("invitation-accept", args=[p.invitation.token])),
        ("set-password", reverse("password-link", args=[p.password_link_token])),
        ("not-found", "/no-such-page/"),
    ]
