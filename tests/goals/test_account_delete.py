"""Delete my account: confirmed by password, all or nothing, and nothing of the
member is left in any table of ours afterwards.

The tables checked are not listed by hand: every model of our apps is searched,
and every model the graph walk links to a person is asked for rows that still
lead to the deleted member.
"""

import html
import uuid

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import DatabaseError
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from goals import extensions, services
from goals.measure_services import (
    measure_answer_all,
    measure_choices_save,
    measure_draft,
    measure_finish,
)
from goals.measures import BARC_10
from goals.models import ConsentTo, Goal, PlanKind, PlanSection, Reminder
from goals.plans import plan_item_add
from peers.conversations import message_send
from peers.extensions import end_match_before_account_delete
from peers.models import ContactNote, DigestSetting, Match, SupporterProfile
from peers.services import crisis_follow_up, match_end
from recovery import audit
from recovery.models import AuditEvent, CrisisLine, OutgoingEmail, User
from recovery.notifications import choices_save
from recovery.once import submit_once
from recovery.password_links import password_link_create
from tests.factories import (
    PASSWORD,
    ChangeRequestFactory,
    CheckInFactory,
    ContactNoteFactory,
    EncouragementFactory,
    ExperienceAreaFactory,
    GoalFactory,
    InvitationFactory,
    MatchFactory,
    MatchPreferencesFactory,
    MemberFactory,
    ReasonAnsweredFactory,
    StepFactory,
    StrengthFactory,
    SuggestionFactory,
    SupporterFactory,
    WellnessToolFactory,
    days_ago,
)
from tests.goals.member_graph import linked_models, our_models, rows_about

pytestmark = pytest.mark.django_db

DELETE = "goals:account-delete"
GOODBYE = "goals:goodbye"

# Who Zed is: none of it may remain anywhere once Zed's account is deleted.
ZED = {
    "username": "zqx-zed-leaves",
    "first_name": "Zqxzed",
    "last_name": "Zqxlastname",
    "email": "zqx.zed@example.org",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def zed(supporter, coordinator):
    """A member with something in every kind of row, a former supporter's private
    note, a current match, and the invitation they joined by."""
    zed = MemberFactory(**ZED)
    InvitationFactory(name="Zqxzed Zqxlastname", email=ZED["email"], user=zed)
    former = SupporterFactory(first_name="Fern")
    old = MatchFactory(member=zed, supporter=former, started_by=coordinator)
    ContactNoteFactory(match=old, note="kept for supporters' records")
    match_end(match=old, by=coordinator, reason="moved away")
    match = MatchFactory(member=zed, supporter=supporter, started_by=coordinator)
    strength, _ = submit_once(zed, uuid.uuid4(), lambda: StrengthFactory(member=zed))
    tool = WellnessToolFactory(member=zed)
    goal = services.goal_create(
        member=zed, goal=GoalFactory.build(member=zed), strengths=[strength]
    )
    step = StepFactory(goal=goal)
    services.step_set_done(step=step, done=True)
    checkin, _ = services.checkin_record(
        member=zed, wellbeing=1, hope=2, tools=[tool], note="a hard day"
    )
    services.checkin_skip(member=zed, day=days_ago(1))
    services.consent_give(member=zed, what=ConsentTo.NUMBERS_TO_SUPPORTER)
    services.consent_give(member=zed, what=ConsentTo.CRISIS_FLAG_TO_SUPPORTER)
    prefs = MatchPreferencesFactory(member=zed)
    prefs.experience_areas.add(ExperienceAreaFactory())
    ChangeRequestFactory(member=zed)
    EncouragementFactory(member=zed, supporter=supporter, checkin=checkin)
    SuggestionFactory(member=zed, supporter=supporter, goal=goal)
    note = ContactNoteFactory(match=match, shared_with_member=True)
    note.goals_discussed.add(goal)
    ContactNoteFactory(match=match, note="the supporter's own record")
    message_send(match=match, author=zed, text="a message from zed")
    message_send(match=match, author=supporter, text="an answer to zed")
    choices_save(zed, {"message": (True, True)})
    Reminder.objects.create(member=zed, on=True)
    measure_choices_save(member=zed, chosen={BARC_10.key: 1})
    draft = measure_draft(member=zed, questionnaire=BARC_10)
    measure_answer_all(draft=draft, answers=[3] * 10)
    measure_finish(member=zed, questionnaire=BARC_10)
    plan_item_add(
        member=zed,
        kind=PlanKind.SAFETY,
        section=PlanSection.HELPERS,
        text="Zqxzed's sister",
        phone="555 123 4567",
    )
    crisis_follow_up(match=match, by=supporter, day=checkin.day, note="called her")
    ReasonAnsweredFactory(match=match)
    password_link_create(user=zed, by=coordinator)
    return zed


@pytest.fixture
def bystanders(other_member, supporter):
    """Another member of the same supporter, whose plan must not move."""
    match = MatchFactory(member=other_member, supporter=supporter)
    GoalFactory(member=other_member, title="Noor's own goal")
    CheckInFactory(member=other_member)
    ContactNoteFactory(match=match, note="about Noor")
    EncouragementFactory(member=other_member, supporter=supporter)
    return other_member


def everything_of_ours(but=()) -> str:
    """Every row of every table of our apps (links between rows too), as text."""
    return "\n".join(
        repr(list(model._default_manager.values()))
        for model in our_models(with_through=True)
        if model not in but
    )


def delete(client, password=PASSWORD):
    return client.post(reverse(DELETE), {"password": password})


# --- The page -------------------------------------------------------------------


def test_the_page_says_what_goes_and_asks_for_the_password(member_client):
    text = page_text(member_client.get(reverse(DELETE)))
    assert "What is removed" in text
    assert "every contact note about you" in text
    assert "your match ends" in text
    assert "This cannot be undone." in text
    assert f'href="{reverse("goals:data-download")}"' in text
    assert 'type="password"' in text and 'autocomplete="current-password"' in text


def test_a_wrong_password_changes_nothing(zed, bystanders):
    client = signed_in(zed)
    before = everything_of_ours(but=[AuditEvent])

    response = delete(client, password="not my password")

    assert response.status_code == 200
    assert "That password does not match. Nothing has been deleted." in page_text(
        response
    )
    assert everything_of_ours(but=[AuditEvent]) == before
    # It is a failed sign-in: the audit log has it, as for the sign-in page.
    assert AuditEvent.objects.filter(kind=audit.AuditKind.SIGN_IN_FAILED).count() == 1
    assert client.get(reverse("goals:home")).status_code == 200  # still signed in


def test_an_empty_password_changes_nothing(zed):
    client = signed_in(zed)
    before = everything_of_ours()
    response = client.post(reverse(DELETE), {})
    assert response.status_code == 200
    assert everything_of_ours() == before


# --- Deleting -------------------------------------------------------------------


def test_deleting_signs_out_and_says_goodbye(zed):
    client = signed_in(zed)

    response = delete(client)

    assertRedirects(response, reverse(GOODBYE))
    assert SESSION_KEY not in client.session
    text = page_text(client.get(reverse(GOODBYE)))
    assert "Your account is deleted" in text
    assert f'href="{reverse("crisis")}"' in text
    url = reverse("goals:home")
    assertRedirects(client.get(url), f"{reverse('login')}?next={url}")


def test_nothing_of_the_member_is_left(zed, bystanders):
    zed_pk = zed.pk
    paths = linked_models()
    # Proof the check below can fail: Zed has rows of every kind a member can have.
    before = {m for m, p in paths.items() if rows_about(m, p, zed_pk).exists()}
    # A member has no supporter profile, no staff digest setting, and sets no
    # crisis line.
    assert before == set(paths) - {SupporterProfile, DigestSetting, CrisisLine}

    delete(signed_in(zed))

    left = {
        model.__name__: rows_about(model, model_paths, zed_pk).count()
        for model, model_paths in paths.items()
    }
    assert {name: n for name, n in left.items() if n} == {}
    dump = everything_of_ours()
    for words in ZED.values():
        assert words not in dump, words
    assert "kept for supporters' records" not in dump
    assert "the supporter's own record" not in dump


def test_the_supporter_and_other_members_keep_theirs(zed, bystanders, supporter):
    delete(signed_in(zed))

    assert User.objects.filter(pk=supporter.pk).exists()
    assert Goal.objects.filter(member=bystanders, title="Noor's own goal").exists()
    assert ContactNote.objects.filter(member=bystanders, note="about Noor").exists()
    assert Match.objects.active().filter(member=bystanders).exists()
    text = page_text(signed_in(bystanders).get(reverse("goals:home")))
    assert "Noor's own goal" in text


def test_the_supporters_count_of_members_stays_true(zed, bystanders, supporter):
    profile = SupporterProfile.objects.get(user=supporter)
    assert profile.active_matches == 2

    delete(signed_in(zed))

    profile.refresh_from_db()
    assert profile.active_matches == 1
    assert (
        profile.active_matches
        == Match.objects.active().filter(supporter=supporter).count()
    )


def test_a_member_without_a_match_can_leave_too(member, member_client):
    GoalFactory(member=member)
    assertRedirects(delete(member_client), reverse(GOODBYE))
    assert not User.objects.filter(pk=member.pk).exists()


def test_it_is_all_or_nothing(zed, bystanders, monkeypatch):
    """If any step fails, the match is not ended and nothing is gone."""
    before = everything_of_ours()

    def fails(member):
        raise DatabaseError("the database went away")

    hooks = [end_match_before_account_delete, fails]
    monkeypatch.setattr(extensions, "before_account_delete", hooks)
    with pytest.raises(DatabaseError):
        services.account_delete(member=zed)

    assert everything_of_ours() == before


def test_only_a_members_account_is_deleted_this_way(supporter):
    with pytest.raises(ValueError, match="only a member"):
        services.account_delete(member=supporter)
    assert User.objects.filter(pk=supporter.pk).exists()


def test_the_deletion_is_in_the_audit_log_under_a_pseudonym(zed):
    delete(signed_in(zed))

    event = AuditEvent.objects.get(kind=audit.AuditKind.ACCOUNT_DELETED)
    assert event.subject_key == audit.pseudonym(zed)
    for words in ZED.values():
        assert words not in repr(AuditEvent.objects.values())


def deletion_request(member):
    request = RequestFactory().post(reverse(DELETE))
    request.user = member
    return request


def test_a_deletion_that_fails_leaves_no_deletion_in_the_audit_log(zed, monkeypatch):
    def fails(member):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(extensions, "before_account_delete", [fails])
    with pytest.raises(DatabaseError):
        services.account_delete(member=zed, request=deletion_request(zed))

    assert User.objects.filter(pk=zed.pk).exists()
    assert not AuditEvent.objects.filter(kind=audit.AuditKind.ACCOUNT_DELETED)


def test_the_same_deletion_sent_twice_is_in_the_audit_log_once(zed):
    stale = User.objects.get(pk=zed.pk)  # as the second tab's request holds it
    services.account_delete(member=zed, request=deletion_request(zed))
    with pytest.raises(services.AccountGone):
        services.account_delete(member=stale, request=deletion_request(stale))

    event = AuditEvent.objects.get(kind=audit.AuditKind.ACCOUNT_DELETED)
    assert event.subject_key == audit.pseudonym(zed)


def test_peers_ends_the_match_the_usual_way_first():
    assert end_match_before_account_delete in extensions.before_account_delete


def test_the_match_ended_email_finds_nothing_to_send_once_the_member_is_gone(
    zed, supporter, django_capture_on_commit_callbacks
):
    supporter.email = "sam@example.org"
    supporter.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.account_delete(member=zed)
    assert mail.outbox == []
    # The supporter's "match ended" found no match to speak of: dropped, not sent.
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"dropped"}


# --- From the other side --------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, zed):
    url = reverse(DELETE)
    assertRedirects(client.get(url), f"{reverse('login')}?next={url}")
    assertRedirects(
        client.post(url, {"password": PASSWORD}), f"{reverse('login')}?next={url}"
    )
    assert User.objects.filter(pk=zed.pk).exists()


@pytest.mark.parametrize("role", ["supporter", "coordinator"])
def test_supporters_and_coordinators_are_refused(request, role, zed):
    person = request.getfixturevalue(role)
    client = signed_in(person)
    assert client.get(reverse(DELETE)).status_code == 403
    assert client.post(reverse(DELETE), {"password": PASSWORD}).status_code == 403
    assert User.objects.filter(pk=person.pk).exists()
    assert User.objects.filter(pk=zed.pk).exists()


def test_another_member_can_only_delete_their_own(zed, other_member):
    GoalFactory(member=other_member)
    client = signed_in(other_member)

    assert "Zqxzed" not in page_text(client.get(reverse(DELETE)))
    delete(client)

    assert not User.objects.filter(pk=other_member.pk).exists()
    assert User.objects.filter(pk=zed.pk).exists()
    assert Goal.objects.filter(member=zed).exists()
    assert Match.objects.active().filter(member=zed).exists()


def test_the_goodbye_page_is_open_to_anyone(client):
    response = client.get(reverse(GOODBYE))
    assert response.status_code == 200
    assert "Your account is deleted" in page_text(response)


def test_someone_signed_in_has_no_goodbye_to_read(member_client):
    response = member_client.get(reverse(GOODBYE))
    assertRedirects(response, reverse("home"), fetch_redirect_response=False)


def test_deleting_forgets_their_sign_in_failures_and_signs_out_every_device(
    zed, bystanders
):
    # On main, counted failures for the username and the other devices' sessions
    # outlived the account. (Signing in clears failures, so devices first.)
    phone, bystander, this_one = signed_in(zed), signed_in(bystanders), signed_in(zed)
    Client().post(reverse("login"), {"username": zed.username, "password": "wrong"})
    Client().post(
        reverse("login"), {"username": bystanders.username, "password": "wrong"}
    )
    assert AccessAttempt.objects.filter(username=zed.username).exists()

    delete(this_one)

    assert not AccessAttempt.objects.filter(username=zed.username).exists()
    assert AccessAttempt.objects.filter(username=bystanders.username).exists()
    url = reverse("goals:home")
    assertRedirects(phone.get(url), f"{reverse('login')}?next={url}")
    assert bystander.get(url).status_code == 200
    signed_in_ids = {s.get_decoded().get(SESSION_KEY) for s in Session.objects.all()}
    assert str(zed.pk) not in signed_in_ids


def test_a_wrong_password_here_counts_as_a_failed_sign_in(zed, settings):
    # On main the check was check_password() alone: guesses here were never
    # counted, so the lockout could be walked around from a signed-in session.
    client = signed_in(zed)
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT - 1):
        assert delete(client, password="not my password").status_code == 200
    assert AccessAttempt.objects.get(username=zed.username).failures_since_start == (
        settings.SIGN_IN_FAILURE_LIMIT - 1
    )

    locked = delete(client, password="not my password")
    then_right = delete(client)

    assert locked.status_code == 429
    assert then_right.status_code == 429
    assert User.objects.filter(pk=zed.pk).exists()
