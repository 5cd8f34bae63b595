"""The member's control: sharing defaults, consent records and the privacy page.

Consent records are the source of truth for sharing numbers; `Sharing.numbers_shared`
is the copy supporters' pages read, and must always agree with them.
"""

import html
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from goals import services
from goals.models import CheckIn, Consent, ConsentTo, Goal, Sharing
from tests.factories import (
    CheckInFactory,
    GoalFactory,
    MatchFactory,
    StrengthFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

NUMBERS = ConsentTo.NUMBERS_TO_SUPPORTER
CRISIS = ConsentTo.CRISIS_FLAG_TO_SUPPORTER
PRIVACY = "goals:privacy"


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def choices(**chosen) -> dict:
    """A privacy form POST: ticked boxes are sent, unticked ones are not."""
    return {name: "on" for name, ticked in chosen.items() if ticked}


def numbers_copy_agrees(member) -> bool:
    open_consent = Consent.objects.filter(
        member=member, what=NUMBERS, withdrawn_at__isnull=True
    ).exists()
    sharing = Sharing.objects.filter(member=member).first() or Sharing(member=member)
    return sharing.numbers_shared == open_consent


# --- Consent records ------------------------------------------------------------


def test_numbers_are_private_until_the_member_consents(member):
    assert Sharing.for_member(member).numbers_shared is False
    assert not Consent.objects.exists()


def test_giving_consent_records_what_to_whom_and_when(member):
    consent = services.consent_give(member=member, what=NUMBERS)

    assert consent.what == NUMBERS
    assert consent.to_whom == "my peer supporter"
    assert consent.given_at <= timezone.now() and consent.withdrawn_at is None
    member.refresh_from_db()
    assert Sharing.for_member(member).numbers_shared is True
    assert numbers_copy_agrees(member)


def test_giving_consent_twice_keeps_one_open_record(member):
    first = services.consent_give(member=member, what=NUMBERS)
    again = services.consent_give(member=member, what=NUMBERS)

    assert again.pk == first.pk
    assert Consent.objects.filter(member=member).count() == 1


def test_withdrawing_closes_the_record_and_the_copy_follows(member):
    given = services.consent_give(member=member, what=NUMBERS)

    withdrawn = services.consent_withdraw(member=member, what=NUMBERS)

    assert withdrawn.pk == given.pk and withdrawn.withdrawn_at is not None
    assert Sharing.objects.get(member=member).numbers_shared is False
    assert numbers_copy_agrees(member)


def test_withdrawing_what_was_never_given_changes_nothing(member):
    assert services.consent_withdraw(member=member, what=CRISIS) is None
    assert not Consent.objects.exists()


def test_giving_again_after_withdrawing_opens_a_new_record(member):
    services.consent_give(member=member, what=NUMBERS)
    services.consent_withdraw(member=member, what=NUMBERS)
    services.consent_give(member=member, what=NUMBERS)

    records = list(Consent.objects.filter(member=member).order_by("given_at", "pk"))
    assert [r.withdrawn_at is None for r in records] == [False, True]
    assert numbers_copy_agrees(member)


def test_the_crisis_flag_consent_leaves_the_numbers_alone(member):
    services.consent_give(member=member, what=CRISIS)

    assert Sharing.objects.get(member=member).numbers_shared is False
    assert Consent.objects.get(member=member).what == CRISIS


def test_a_copy_set_by_hand_is_put_right_by_the_next_consent_change(member):
    """The records are the truth: a copy that disagrees is rewritten from them."""
    Sharing.objects.create(member=member, numbers_shared=True)

    services.consent_withdraw(member=member, what=NUMBERS)

    assert Sharing.objects.get(member=member).numbers_shared is False


def test_the_database_refuses_two_open_consents_of_one_kind(member):
    Consent.objects.create(member=member, what=NUMBERS, to_whom="my peer supporter")
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(member=member, what=NUMBERS, to_whom="my peer supporter")


def test_the_database_refuses_an_unknown_consent(member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(member=member, what="sell_my_data", to_whom="anyone")


def test_the_database_refuses_a_withdrawal_before_the_consent(member):
    consent = Consent.objects.create(member=member, what=NUMBERS, to_whom="x")
    consent.withdrawn_at = consent.given_at - timezone.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        consent.save()


def test_the_demo_data_keeps_the_copy_and_the_records_in_step():
    call_command("seed_demo", "--members", "8", "--days", "5", stdout=StringIO())
    consented = Consent.objects.filter(
        member=OuterRef("member"), what=NUMBERS, withdrawn_at__isnull=True
    )
    rows = Sharing.objects.annotate(consented=Exists(consented))
    assert rows.exists()
    assert [r.pk for r in rows if r.numbers_shared != r.consented] == []
    maya = Sharing.objects.get(member__username="maya")
    assert maya.numbers_shared


# --- Sharing defaults reach the forms -------------------------------------------


def test_a_new_goal_starts_shared_by_default(member_client):
    form = member_client.get(reverse("goals:create")).context["form"]
    assert form["shared"].value() is True


def test_a_new_goal_starts_private_when_the_member_chose_so(member, member_client):
    services.sharing_update(
        member=member,
        goals_shared=False,
        notes_shared=False,
        numbers_shared=False,
        crisis_flag=False,
        measures_shared=False,
    )
    form = member_client.get(reverse("goals:create")).context["form"]
    assert form["shared"].value() is False


def test_a_check_in_note_starts_private_by_default(member_client):
    form = member_client.get(reverse("goals:checkin")).context["form"]
    assert form["note_shared"].value() is False


def test_a_check_in_note_starts_shared_when_the_member_chose_so(member, member_client):
    services.sharing_update(
        member=member,
        goals_shared=True,
        notes_shared=True,
        numbers_shared=False,
        crisis_flag=False,
        measures_shared=False,
    )
    form = member_client.get(reverse("goals:checkin")).context["form"]
    assert form["note_shared"].value() is True


def test_todays_check_in_keeps_its_own_note_choice(member, member_client):
    services.sharing_update(
        member=member,
        goals_shared=True,
        notes_shared=True,
        numbers_shared=False,
        crisis_flag=False,
        measures_shared=False,
    )
    services.checkin_record(member=member, wellbeing=5, hope=5, note_shared=False)
    form = member_client.get(reverse("goals:checkin")).context["form"]
    assert form["note_shared"].value() is False


def test_the_check_in_form_says_where_the_choice_is(member_client):
    text = page_text(member_client.get(reverse("goals:checkin")))
    assert "crisis lines show as soon as you save" in text
    assert f'<a href="{reverse(PRIVACY)}">privacy page</a>' in text


# --- The privacy page -----------------------------------------------------------


def test_the_page_says_what_the_supporter_sees(member, match):
    StrengthFactory(member=member)
    StrengthFactory(member=member)
    GoalFactory(member=member, title="Walk to the park")
    GoalFactory(member=member, title="ZZ-PRIVATE-GOAL", shared=False)
    CheckInFactory(member=member, note="shared words", note_shared=True)
    CheckInFactory(member=member, day=days_ago(1), note="private words")

    text = page_text(signed_in(member).get(reverse(PRIVACY)))

    assert "Sam is your peer supporter" in text
    assert "All 2 of your strengths" in text
    assert "1 shared goal, with its steps:" in text
    assert '<li class="tag">Walk to the park</li>' in text
    assert "ZZ-PRIVATE-GOAL" not in text
    assert "1 private goal only you see." in text
    assert "1 check-in note you shared." in text and "1 note is private." in text
    assert "Not your wellbeing and hope numbers" in text
    assert "No crisis flag" in text
    # The preview shows titles, counts and choices: never a note itself.
    assert "shared words" not in text and "private words" not in text


def test_without_a_supporter_the_page_says_what_one_would_see(member_client):
    text = page_text(member_client.get(reverse(PRIVACY)))
    assert "You have no peer supporter right now" in text
    assert "None of your goals: they are all private." in text


def test_saving_the_choices_records_consents(member, member_client):
    response = member_client.post(
        reverse(PRIVACY),
        choices(goals_shared=False, notes_shared=True, numbers_shared=True),
    )

    assertRedirects(response, reverse(PRIVACY), fetch_redirect_response=False)
    sharing = Sharing.objects.get(member=member)
    assert (sharing.goals_shared, sharing.notes_shared, sharing.numbers_shared) == (
        False,
        True,
        True,
    )
    assert list(Consent.objects.values_list("what", flat=True)) == [NUMBERS]
    text = page_text(member_client.get(reverse(PRIVACY)))
    assert "Your choices are saved." in text
    assert "Your wellbeing and hope numbers, and how they change." in text


def test_unticking_withdraws_and_the_record_shows_both_dates(member, member_client):
    member_client.post(reverse(PRIVACY), choices(numbers_shared=True, crisis_flag=True))
    member_client.post(reverse(PRIVACY), choices(crisis_flag=True))

    numbers = Consent.objects.get(what=NUMBERS)
    assert numbers.withdrawn_at is not None
    assert Consent.objects.get(what=CRISIS).withdrawn_at is None
    assert Sharing.objects.get(member=member).numbers_shared is False
    text = page_text(member_client.get(reverse(PRIVACY)))
    assert "My peer supporter sees my wellbeing and hope numbers" in text
    assert "Still given" in text
    assert text.count(f"{timezone.localtime(numbers.given_at):%-d %B %Y}") >= 2


def test_each_consent_is_a_card_that_says_every_part_in_words(member, member_client):
    """Not a table: on a phone a table's last columns were cut to "Withdra"."""
    services.consent_give(member=member, what=NUMBERS)
    services.consent_withdraw(member=member, what=NUMBERS)
    services.consent_give(member=member, what=CRISIS)

    text = page_text(member_client.get(reverse(PRIVACY)))

    cards = re.findall(r'<li class="consent( withdrawn)?">(.*?)</li>', text, re.S)
    assert [bool(withdrawn) for withdrawn, _card in cards] == [False, True]
    words = [" ".join(re.sub(r"<[^>]+>", " ", card).split()) for _w, card in cards]
    assert words[0].startswith(
        "My peer supporter is told when a check-in says things are very hard "
        "To whom my peer supporter Given "
    )
    assert words[0].endswith("Withdrawn Still given")
    assert "Withdrawn Still given" not in words[1]
    assert '<table class="data">' not in text.split('id="consents-heading"')[1]


def test_the_form_starts_from_the_members_choices(member, member_client):
    services.sharing_update(
        member=member,
        goals_shared=False,
        notes_shared=True,
        numbers_shared=True,
        crisis_flag=True,
        measures_shared=True,
    )
    form = member_client.get(reverse(PRIVACY)).context["form"]
    assert {name: form[name].value() for name in form.fields} == {
        "goals_shared": False,
        "notes_shared": True,
        "numbers_shared": True,
        "crisis_flag": True,
        "measures_shared": True,
    }


def test_the_page_links_to_downloading_and_deleting(member_client):
    text = page_text(member_client.get(reverse(PRIVACY)))
    assert f'href="{reverse("goals:data-download")}"' in text
    assert f'href="{reverse("goals:account-delete")}"' in text


def test_the_page_links_to_who_viewed_my_data(member_client):
    text = page_text(member_client.get(reverse(PRIVACY)))
    assert f'<a href="{reverse("data-views")}">Who viewed my data</a>' in text


def test_the_member_nav_leads_to_the_privacy_page(member_client):
    text = page_text(member_client.get(reverse("goals:home")))
    assert f'<a href="{reverse(PRIVACY)}">Privacy</a>' in text
    text = page_text(member_client.get(reverse(PRIVACY)))
    assert f'<a href="{reverse(PRIVACY)}" aria-current="page">Privacy</a>' in text


def test_the_page_reads_in_the_same_queries_for_a_longer_history(
    member, other_member, django_assert_num_queries
):
    def grow(person, size):
        MatchFactory(member=person)
        for n in range(size):
            GoalFactory(member=person, shared=bool(n % 2))
            CheckInFactory(member=person, day=days_ago(n), note=f"n{n}")
            StrengthFactory(member=person)
        services.consent_give(member=person, what=NUMBERS)
        services.consent_withdraw(member=person, what=NUMBERS)
        services.consent_give(member=person, what=CRISIS)

    grow(member, 2)
    grow(other_member, 20)
    small, large = signed_in(member), signed_in(other_member)
    with CaptureQueriesContext(connection) as captured:
        assert small.get(reverse(PRIVACY)).status_code == 200
    with django_assert_num_queries(len(captured)):
        assert large.get(reverse(PRIVACY)).status_code == 200


# --- From the other side --------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    url = reverse(PRIVACY)
    assertRedirects(client.get(url), f"{reverse('login')}?next={url}")
    response = client.post(url, choices(numbers_shared=True))
    assertRedirects(response, f"{reverse('login')}?next={url}")
    assert not Consent.objects.exists()


@pytest.mark.parametrize("role", ["supporter", "coordinator"])
def test_supporters_and_coordinators_are_refused(request, role, member):
    client = signed_in(request.getfixturevalue(role))
    url = reverse(PRIVACY)
    assert client.get(url).status_code == 403
    assert client.post(url, choices(numbers_shared=True)).status_code == 403
    assert not Consent.objects.exists() and not Sharing.objects.exists()


def test_another_member_sees_and_changes_only_their_own(member, other_member):
    GoalFactory(member=member, title="ZZ-MAYAS-GOAL")
    services.consent_give(member=member, what=CRISIS)
    client = signed_in(other_member)

    text = page_text(client.get(reverse(PRIVACY)))
    client.post(reverse(PRIVACY), choices(numbers_shared=True))

    assert "ZZ-MAYAS-GOAL" not in text and "Still given" not in text
    assert list(
        Consent.objects.filter(member=member).values_list("what", "withdrawn_at")
    ) == [(CRISIS, None)]
    assert Consent.objects.get(member=other_member).what == NUMBERS
    assert not Sharing.objects.get(member=member).numbers_shared


def test_the_supporter_sees_numbers_only_with_consent(member, match, supporter):
    services.checkin_record(member=member, wellbeing=7, hope=6)
    client = signed_in(supporter)
    url = reverse("peers:member", args=[member.pk])

    assert "wellbeing 7, hope 6" not in page_text(client.get(url))
    services.consent_give(member=member, what=NUMBERS)
    assert "wellbeing 7, hope 6" in page_text(client.get(url))
    services.consent_withdraw(member=member, what=NUMBERS)
    assert "wellbeing 7, hope 6" not in page_text(client.get(url))


def test_goals_and_check_ins_keep_their_own_switches(member):
    """The defaults only start new goals and notes; nothing already there moves."""
    goal = GoalFactory(member=member, shared=True)
    checkin = CheckInFactory(member=member, note="n", note_shared=True)
    services.sharing_update(
        member=member,
        goals_shared=False,
        notes_shared=False,
        numbers_shared=False,
        crisis_flag=False,
        measures_shared=False,
    )
    assert Goal.objects.get(pk=goal.pk).shared
    assert CheckIn.objects.get(pk=checkin.pk).note_shared


def test_the_privacy_page_lists_the_latest_views_by_others(client, match):
    """Who viewed my data shows on the privacy page itself, newest first."""
    from django.urls import reverse

    client.force_login(match.supporter)
    client.get(reverse("peers:member", args=[match.member.pk]))
    client.force_login(match.member)
    page = client.get(reverse("goals:privacy")).content.decode()
    assert f"{match.supporter.first_name} (peer supporter)" in page
