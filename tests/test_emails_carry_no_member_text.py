"""No email carries what anyone wrote: a sweep over every kind of email the app
sends, with markers planted in every kind of text through the services.

A week of a programme is played out hour by hour (the worker's tick, reminders,
digests, notifications, matches made and ended, a password reset, an invitation),
and every email sent is searched, subject, body and HTML, for any marker; and
every email is in the product's own words, with the programme's name, never
Django's stock text.
"""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from goals import measure_services
from goals import services as goal_services
from goals.measures import BARC_10
from goals.models import ConsentTo, Goal, MeasureChoice, Strength, WellnessTool
from peers import services
from peers.conversations import message_send
from recovery.email import WRITERS
from recovery.invitations import invitation_create
from recovery.models import EmailStatus, OutgoingEmail
from recovery.notifications import choices_save, kinds_for
from recovery.tasks import tick
from tests.factories import (
    CoordinatorFactory,
    MemberFactory,
    ReminderFactory,
    SupporterFactory,
    SupporterProfileFactory,
)

pytestmark = pytest.mark.django_db

ZONE = zoneinfo.ZoneInfo("Europe/London")
START = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=ZONE)  # a Monday


def marker(what: str) -> str:
    # "~" is never in a link's token (URL-safe base64), so a random token in an
    # email can never look like a marker; "ZQ~" still finds a marker cut short.
    return f"ZQ~{what}~QZ"


def email_everything(person) -> None:
    choices_save(person, {kind.key: (True, True) for kind in kinds_for(person)})


@pytest.fixture
def week(time_machine, django_capture_on_commit_callbacks):
    """Plant a marker in every text a person can write, then let the week run."""
    time_machine.move_to(START, tick=False)
    maya = MemberFactory(
        username="maya", first_name="Maya", email="maya@example.org", time_zone=ZONE.key
    )
    sam = SupporterFactory(
        first_name="Sam", email="sam@example.org", time_zone=ZONE.key
    )
    lee = SupporterFactory(
        first_name="Lee", email="lee@example.org", time_zone=ZONE.key
    )
    cora = CoordinatorFactory(email="cora@example.org", time_zone=ZONE.key)
    for supporter in (sam, lee):
        SupporterProfileFactory(user=supporter, intro=marker("INTRO"))
    for person in (maya, sam, lee, cora):
        email_everything(person)
    ReminderFactory(member=maya, at=datetime.time(19, 0))

    with django_capture_on_commit_callbacks(execute=True):
        match = services.match_create(member=maya, supporter=sam, by=cora)
        goal_services.consent_give(member=maya, what=ConsentTo.CRISIS_FLAG_TO_SUPPORTER)
        goal_services.consent_give(member=maya, what=ConsentTo.NUMBERS_TO_SUPPORTER)
        strength = goal_services.strength_add(
            member=maya, strength=Strength(text=marker("STRENGTH"))
        )
        goal_services.tool_add(
            member=maya,
            tool=WellnessTool(name=marker("TOOL"), description=marker("TOOLHOW")),
        )
        goal = goal_services.goal_create(
            member=maya,
            goal=Goal(
                title=marker("GOAL"), why=marker("WHY"), domain="health", shared=True
            ),
            strengths=[strength],
        )
        step = goal_services.step_add(goal=goal, title=marker("STEP"))
        goal_services.step_set_done(step=step, done=True)
        checkin, _ = goal_services.checkin_record(
            member=maya,
            wellbeing=1,
            hope=2,
            note=marker("NOTE"),
            feelings=marker("FEELINGS"),
            note_shared=True,
            wants_to_talk=True,
        )
        goal_services.checkin_skip(
            member=maya,
            day=START.date() - datetime.timedelta(days=1),
            reason=marker("SKIP"),
        )
        message_send(match=match, author=maya, text=marker("FROMMAYA"))
        message_send(match=match, author=sam, text=marker("FROMSAM"))
        said = services.encouragement_send(
            match=match, text=marker("ENCOURAGE"), checkin=checkin
        )
        message_send(match=match, author=maya, text=marker("REPLY"), replying_to=said)
        idea = services.suggestion_make(
            match=match, title=marker("IDEA"), domain="health"
        )
        services.suggestion_decline(suggestion=idea, words=marker("NOTNOW"))
        services.suggestion_make(match=match, goal=goal, title=marker("STEPIDEA"))
        services.contact_log(
            match=match,
            contact_date=START.date(),
            mode="phone",
            reached=False,
            note=marker("CONTACT"),
            next_step=marker("NEXT"),
        )
        services.contact_log(
            match=match,
            contact_date=START.date(),
            mode="in_person",
            reached=True,
            note=marker("MET"),
        )
        services.change_request_create(member=maya, reason=marker("CHANGE"))
        # A questionnaire chosen a month ago: due, and told, this Monday morning.
        measure_services.measure_choices_save(member=maya, chosen={BARC_10.key: 1})
        MeasureChoice.objects.filter(member=maya).update(
            created_at=START - datetime.timedelta(days=30)
        )
        Client().post(reverse("password_reset"), {"email": "maya@example.org"})
        # Someone invited with an address gets their link by email.
        invitation_create(name="Jo", email="jo@example.org", role="member", by=cora)

    # The week: the tick every hour, as the worker would every minute. Sam's
    # digest names the crisis flag's reason in words; on Wednesday he follows it
    # up, and on Thursday Maya moves to Lee.
    for hour in range(8 * 24):
        now = START + datetime.timedelta(hours=hour)
        time_machine.move_to(now, tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            if hour == 2 * 24:
                services.crisis_follow_up(
                    match=match, by=sam, day=checkin.day, note=marker("FOLLOWUP")
                )
            if hour == 3 * 24:
                services.rematch(
                    member=maya, supporter=lee, by=cora, reason=marker("REMATCH")
                )
            if hour == 4 * 24:
                new = maya.matches.get(ended_at__isnull=True)
                services.match_end(match=new, by=cora, reason=marker("END"))
            tick.call()
    return mail.outbox


def test_every_kind_of_email_was_sent(week):
    sent = set(
        OutgoingEmail.objects.filter(status=EmailStatus.SENT).values_list(
            "kind", flat=True
        )
    )
    assert sent == set(WRITERS)  # a new kind of email joins this sweep
    assert len(week) == OutgoingEmail.objects.filter(status=EmailStatus.SENT).count()


def test_a_due_questionnaire_was_among_them(week):
    told = OutgoingEmail.objects.filter(
        kind="notification", params__kind="measure_due", status=EmailStatus.SENT
    )
    assert told.count() == 1


def test_no_email_carries_anything_anyone_wrote(week):
    for email in week:
        parts = [email.subject, email.body]
        parts += [content for content, _type in getattr(email, "alternatives", [])]
        for part in parts:
            assert "ZQ~" not in part, (email.subject, part)


# Django's own words for its emails, which none of ours may carry.
STOCK_PHRASES = [
    "Thanks for using our site",
    "You're receiving this email because",
    "You’re receiving this email because",
    "Please go to the following page and choose a new password",
    "Your username, in case you",
    "Password reset on",
    "The %(site_name)s team",
    " team\n",
]


@pytest.fixture
def programme_named(settings):
    settings.PROGRAMME_NAME = "Riverside Peer Support"
    return settings.PROGRAMME_NAME


def test_every_email_is_in_our_words_with_the_programmes_name(programme_named, week):
    kinds = set()
    by_subject = {}
    for email in week:
        kinds.add(email.subject)
        by_subject.setdefault(email.subject, email)
        text = email.subject + "\n" + email.body
        for phrase in STOCK_PHRASES:
            assert phrase not in text, (email.subject, phrase)
        assert email.body.rstrip().endswith("-- \nRiverside Peer Support"), (
            email.subject
        )
        assert "recovery planner" not in text.lower(), email.subject
    assert "Set a new password for Riverside Peer Support" in by_subject
    assert "Your invitation to Riverside Peer Support" in by_subject
    invitation = by_subject["Your invitation to Riverside Peer Support"]
    assert "Hello Jo," in invitation.body and "/invite/" in invitation.body
    sent = set(
        OutgoingEmail.objects.filter(status=EmailStatus.SENT).values_list(
            "kind", flat=True
        )
    )
    assert sent == set(WRITERS)


def test_djangos_own_reset_form_would_send_our_words_too(programme_named):
    """The reset email is written by the worker (recovery/emails.py); should
    Django's own form ever send one, its templates are ours."""
    from django.contrib.auth.forms import PasswordResetForm

    MemberFactory(username="maya", email="maya@example.org")
    form = PasswordResetForm({"email": "maya@example.org"})
    assert form.is_valid()
    form.save(
        domain_override="planner.example.org",
        extra_email_context={"programme_name": programme_named},
    )

    (email,) = mail.outbox
    assert email.subject == "Set a new password for Riverside Peer Support"
    assert "You sign in with the name maya." in email.body
    for phrase in STOCK_PHRASES:
        assert phrase not in email.subject + email.body
