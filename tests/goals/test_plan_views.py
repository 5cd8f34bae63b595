"""The member's plan pages (goals/views/plans.py): each action as a plain POST that
comes back to the page, and as htmx that swaps one part in place; limits and phone
numbers refused in words; a stranger's items and versions answer 404; and the
plan one tap away from the crisis page and from a very hard day's card."""

import datetime
import html
import re
import uuid

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from goals import plans, services
from goals.models import Plan, PlanItem, PlanKind, PlanSection, PlanVersion
from recovery.models import CrisisLine
from tests.factories import WellnessToolFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

SAFETY_PAGE = "goals:safety-plan"
ADD = "goals:safety-plan-item-add"


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def words_of(response) -> str:
    """What a screen reader reads: the text without its tags."""
    return re.sub(r"<[^>]+>", "", text_of(response))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add(member, section, text, *, kind=PlanKind.SAFETY, phone=""):
    return plans.plan_item_add(
        member=member, kind=kind, section=section, text=text, phone=phone
    )


def item_texts(member, section) -> list[str]:
    return list(
        PlanItem.objects.filter(plan__member=member, section=section)
        .order_by("position", "pk")
        .values_list("text", flat=True)
    )


# --- The page -----------------------------------------------------------------------


def test_an_empty_safety_plan_shows_every_part_and_writes_nothing(member_client):
    response = member_client.get(reverse(SAFETY_PAGE))
    text = text_of(response)

    assert response.status_code == 200
    for part in (
        "My reasons for living",
        "My warning signs",
        "Things I can do on my own",
        "People and places that take my mind off things",
        "People I can ask for help",
        "Professionals and crisis lines",
        "Making my surroundings safer",
    ):
        assert f">{part}</h2>" in text, part
    assert "Not started yet." in text
    assert "Private: only you can read it." in text
    assert not Plan.objects.exists()


def test_the_wellness_plan_shows_the_toolbox_from_what_helps_me(member, member_client):
    WellnessToolFactory(member=member, name="A walk by the river", description="daily")
    WellnessToolFactory(member=member, name="Late-night TV", in_use=False)

    text = text_of(member_client.get(reverse("goals:wellness-plan")))

    assert ">My wellness toolbox</h2>" in text
    assert "A walk by the river" in text and "Late-night TV" not in text
    assert reverse("goals:tools") in text
    for part in (
        "What I do every day to stay well",
        "What can knock me off balance",
        "Early signs that things are slipping",
        "If things break down: who I would like to step in",
        "What does not help me then",
    ):
        assert f">{part}</h2>" in text, part


def test_no_published_plan_is_named(member_client):
    for name in (SAFETY_PAGE, "goals:wellness-plan"):
        text = text_of(member_client.get(reverse(name)))
        assert "WRAP" not in text and "Wellness Recovery Action" not in text
        assert "Stanley" not in text


def test_a_text_box_says_its_limit_in_words(member_client):
    page = member_client.get(reverse(SAFETY_PAGE)).content.decode()
    box = re.search(r'<input[^>]*id="id_warning_signs_text"[^>]*>', page).group(0)

    assert "maxlength" not in box and 'data-limit="200"' in box
    assert 'id="id_warning_signs_text_limit"' in page
    assert "Up to 200 characters." in page


def test_the_page_reads_in_the_same_queries_however_long_the_plan(
    member, other_member, django_assert_num_queries
):
    WellnessToolFactory(member=member)
    add(member, PlanSection.DAILY, "Breakfast", kind=PlanKind.WELLNESS)
    for n in range(8):
        WellnessToolFactory(member=other_member, name=f"Tool {n}")
        for section in plans.PLAN_SECTIONS[PlanKind.WELLNESS]:
            add(other_member, section, f"{section} {n}", kind=PlanKind.WELLNESS)
    url = reverse("goals:wellness-plan")
    small, large = signed_in(member), signed_in(other_member)
    small.get(url)
    large.get(url)

    with CaptureQueriesContext(connection) as captured:
        assert small.get(url).status_code == 200
    with django_assert_num_queries(len(captured)):
        assert large.get(url).status_code == 200


# --- Adding -------------------------------------------------------------------------


def test_adding_as_a_plain_post_comes_back_to_the_part(member, member_client):
    response = member_client.post(
        reverse(ADD), {"section": "warning_signs", "text": "  Not sleeping  "}
    )

    assertRedirects(
        response,
        reverse(SAFETY_PAGE) + "#section-warning_signs",
        fetch_redirect_response=False,
    )
    assert item_texts(member, "warning_signs") == ["Not sleeping"]
    page = text_of(member_client.get(reverse(SAFETY_PAGE)))
    assert "Added “Not sleeping”." in page and "Not sleeping" in page


def test_adding_with_htmx_swaps_only_that_part(member, member_client):
    response = member_client.post(
        reverse(ADD),
        {"section": "reasons", "text": "My daughter"},
        HTTP_HX_REQUEST="true",
    )
    text = text_of(response)

    assert response.status_code == 200
    assert text.lstrip().startswith('<section class="card plan-section"')
    assert 'id="section-reasons"' in text and "My daughter" in text
    assert "<html" not in text and "My warning signs" not in text
    assert 'hx-swap-oob="innerHTML">Added “My daughter”.' in text
    # No autofocus: it would pull the focus from wherever the person has moved
    # on to meanwhile (static/js/plan.js moves it only when it was here).
    assert "autofocus" not in text
    assert "HX-Request" in response["Vary"]


def test_an_add_sent_twice_makes_one_item(member, member_client):
    data = {"section": "reasons", "text": "My cat", "once": str(uuid.uuid4())}

    first = member_client.post(reverse(ADD), data)
    second = member_client.post(reverse(ADD), data)
    htmx = member_client.post(reverse(ADD), data, HTTP_HX_REQUEST="true")

    assert first.status_code == second.status_code == 302
    assert htmx.status_code == 200
    assert item_texts(member, "reasons") == ["My cat"]


def test_every_add_box_carries_a_one_time_key(member_client):
    page = member_client.get(reverse(SAFETY_PAGE)).content.decode()
    forms = re.findall(
        rf'<form[^>]*action="{reverse(ADD)}"[^>]*>(.*?)</form>', page, re.S
    )
    # One per part, and one for each of the programme's crisis lines.
    assert len(forms) == 7 + 1
    assert all(re.search(r'name="once" value="[0-9a-f-]{36}"', f) for f in forms)


def test_too_many_words_are_refused_in_words_and_kept_in_the_box(member, member_client):
    long = "I notice I stop answering the phone. " * 6 + "Again"  # 227 characters
    response = member_client.post(
        reverse(ADD), {"section": "warning_signs", "text": long}
    )
    text = text_of(response)

    assert response.status_code == 400
    assert "at most 200 characters (it has 227)" in text
    assert long in text
    assert not PlanItem.objects.exists()


def test_no_words_are_refused_in_words_with_htmx(member_client):
    response = member_client.post(
        reverse(ADD), {"section": "reasons", "text": "   "}, HTTP_HX_REQUEST="true"
    )
    text = text_of(response)

    assert response.status_code == 200
    assert "Please write a few words." in text
    assert 'hx-swap-oob="innerHTML">Please write a few words.' in text
    assert not PlanItem.objects.exists()


def test_a_phone_number_shows_as_a_tap_to_call_link(member, member_client):
    member_client.post(
        reverse(ADD),
        {"section": "helpers", "text": "Jo, my sister", "phone": "+1 (555) 123-4567"},
    )

    page = member_client.get(reverse(SAFETY_PAGE)).content.decode()

    assert '<a class="phone" href="tel:+15551234567">+1 (555) 123-4567</a>' in page


@pytest.mark.parametrize(
    "nonsense", ["call me", "12", "555-CALL-NOW", "1234567890123456789", "5;5;5"]
)
def test_a_phone_number_that_is_not_one_is_refused_in_words(
    member, member_client, nonsense
):
    response = member_client.post(
        reverse(ADD), {"section": "helpers", "text": "Jo", "phone": nonsense}
    )
    text = text_of(response)

    assert response.status_code == 400
    assert "That does not look like a phone number." in text
    assert not PlanItem.objects.exists()


def test_a_part_without_people_takes_no_phone_number(member, member_client):
    member_client.post(
        reverse(ADD), {"section": "reasons", "text": "My cat", "phone": "555 1234"}
    )
    assert PlanItem.objects.get().phone == ""


@pytest.mark.parametrize("section", ["daily", "no-such-part", ""])
def test_a_part_that_is_not_in_this_plan_is_not_found(member_client, section):
    response = member_client.post(reverse(ADD), {"section": section, "text": "x"})
    assert response.status_code == 404
    assert not PlanItem.objects.exists()


def test_a_full_part_says_so_and_offers_no_box(member, member_client):
    for n in range(plans.ITEMS_PER_SECTION):
        add(member, PlanSection.SAFER, f"Step {n}")

    response = member_client.post(reverse(ADD), {"section": "safer", "text": "More"})
    page = text_of(member_client.get(reverse(SAFETY_PAGE)))

    assert response.status_code == 400
    assert "This part holds 10 items, enough to take in on a hard day." in page
    assert 'id="id_safer_text"' not in page
    assert len(item_texts(member, "safer")) == plans.ITEMS_PER_SECTION


# --- The programme's crisis lines, one tap each -------------------------------------


def test_a_crisis_line_is_added_in_one_tap_and_then_shows_in_the_plan(
    member, member_client
):
    page = words_of(member_client.get(reverse(SAFETY_PAGE)))
    assert "Add “988 Suicide & Crisis Lifeline (US)”" in page

    member_client.post(
        reverse(ADD),
        {
            "section": "professionals",
            "text": "988 Suicide & Crisis Lifeline (US): Call or text 988, any time.",
            "line_contact": "988",
            "once": str(uuid.uuid4()),
        },
    )

    item = PlanItem.objects.get()
    assert item.section == "professionals" and item.phone == "988"
    page = text_of(member_client.get(reverse(SAFETY_PAGE)))
    assert '<a class="phone" href="tel:988">988</a>' in page
    assert "In your plan" in page
    assert "Add “988 Suicide" not in words_of(member_client.get(reverse(SAFETY_PAGE)))


def test_the_programmes_own_lines_are_offered(member_client):
    CrisisLine.objects.all().delete()
    CrisisLine.objects.create(name="Samaritans", contact="116 123", kind="call")
    CrisisLine.objects.create(name="Shout", contact="85258", kind="text", position=1)
    page = words_of(member_client.get(reverse(SAFETY_PAGE)))
    assert "Add “Samaritans”" in page and "Add “Shout”" in page


def test_a_text_line_keeps_its_words_in_the_item(member, member_client):
    member_client.post(
        reverse(ADD),
        {
            "section": "professionals",
            "text": "Shout: Text, free.",
            "line_contact": "Text SHOUT to 85258",
        },
    )
    item = PlanItem.objects.get()
    assert item.text == "Shout: Text, free. (Text SHOUT to 85258)"
    assert item.phone == ""


# --- Moving, editing, removing ------------------------------------------------------


@pytest.fixture
def three_reasons(member):
    return [
        add(member, PlanSection.REASONS, words)
        for words in ("My daughter", "The sea", "My course")
    ]


def test_moving_up_as_a_plain_post(member, member_client, three_reasons):
    url = reverse("goals:plan-item-move", args=[three_reasons[2].pk])

    response = member_client.post(url, {"direction": "up"})

    assertRedirects(
        response,
        reverse(SAFETY_PAGE) + "#section-reasons",
        fetch_redirect_response=False,
    )
    assert item_texts(member, "reasons") == ["My daughter", "My course", "The sea"]


def test_moving_down_with_htmx_swaps_the_part(member, member_client, three_reasons):
    url = reverse("goals:plan-item-move", args=[three_reasons[0].pk])

    response = member_client.post(url, {"direction": "down"}, HTTP_HX_REQUEST="true")
    text = text_of(response)

    assert response.status_code == 200
    assert 'id="section-reasons"' in text and "<html" not in text
    assert text.index("The sea") < text.index("My daughter") < text.index("My course")
    assert "Moved “My daughter” down." in text
    assert item_texts(member, "reasons") == ["The sea", "My daughter", "My course"]


def test_the_first_item_offers_no_up_and_the_last_no_down(member_client, three_reasons):
    page = member_client.get(reverse(SAFETY_PAGE)).content.decode()
    first, second, last = (item.pk for item in three_reasons)

    assert f'id="up-{first}"' not in page and f'id="down-{first}"' in page
    assert f'id="up-{second}"' in page and f'id="down-{second}"' in page
    assert f'id="up-{last}"' in page and f'id="down-{last}"' not in page


def test_removing_with_htmx_and_plain(member, member_client, three_reasons):
    member_client.post(
        reverse("goals:plan-item-delete", args=[three_reasons[1].pk]),
        HTTP_HX_REQUEST="true",
    )
    response = member_client.post(
        reverse("goals:plan-item-delete", args=[three_reasons[0].pk])
    )

    assert response.status_code == 302
    assert item_texts(member, "reasons") == ["My course"]


def test_editing_an_item_on_a_page_of_its_own(member, member_client):
    item = add(member, PlanSection.HELPERS, "Jo", phone="555 123 4567")
    url = reverse("goals:plan-item-edit", args=[item.pk])

    page = text_of(member_client.get(url))
    assert 'value="Jo"' in page and 'value="555 123 4567"' in page
    assert "A person I can ask" in page

    bad = member_client.post(url, {"text": "Jo", "phone": "ring her"})
    assert bad.status_code == 400
    assert "That does not look like a phone number." in text_of(bad)

    response = member_client.post(url, {"text": "Jo, my sister", "phone": "555 1234"})
    assertRedirects(
        response,
        reverse(SAFETY_PAGE) + "#section-helpers",
        fetch_redirect_response=False,
    )
    item.refresh_from_db()
    assert (item.text, item.phone) == ("Jo, my sister", "555 1234")


# --- Sharing and versions -----------------------------------------------------------


def test_sharing_is_the_members_choice_and_said_on_the_page(member, member_client):
    url = reverse("goals:safety-plan-sharing")

    member_client.post(url, {"shared": "on"})
    assert Plan.objects.get(member=member).shared
    page = text_of(member_client.get(reverse(SAFETY_PAGE)))
    assert "Shared with your peer supporter." in page

    member_client.post(url, {})
    assert not Plan.objects.get(member=member).shared


def test_the_privacy_page_says_which_plans_are_shared(member, member_client):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)):
        add(member, PlanSection.REASONS, "My cat")
    plans.plan_set_shared(member=member, kind=PlanKind.SAFETY, shared=True)

    page = text_of(member_client.get(reverse("goals:privacy")))

    assert "Your safety plan, as it is now (last updated 2 March 2026)." in page
    assert "Not your wellness plan: it is private." in page


def test_versions_are_listed_with_their_dates(member, member_client):
    with time_machine.travel(
        datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False
    ):
        item = add(member, PlanSection.REASONS, "My cat")
    with time_machine.travel(
        datetime.datetime(2026, 3, 9, 18, 30, tzinfo=datetime.UTC), tick=False
    ):
        plans.plan_item_edit(item=item, text="My cat, Miso")

    page = text_of(member_client.get(reverse("goals:safety-plan-versions")))

    assert page.index("Monday 9 March 2026") < page.index("Monday 2 March 2026")
    assert "last change at 18:30 · as it is now" in page
    earlier = PlanVersion.objects.get(day=datetime.date(2026, 3, 2))
    shown = text_of(member_client.get(reverse("goals:plan-version", args=[earlier.pk])))
    assert "As it was on Monday 2 March 2026" in shown
    assert "My cat" in shown and "Miso" not in shown
    assert "This is your plan as it is now." not in shown


def test_a_plan_never_changed_has_no_versions_yet(member_client):
    page = text_of(member_client.get(reverse("goals:wellness-plan-versions")))
    assert "No versions yet" in page


# --- Someone else's -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("goals:plan-item-edit", "get"),
        ("goals:plan-item-edit", "post"),
        ("goals:plan-item-move", "post"),
        ("goals:plan-item-delete", "post"),
    ],
)
def test_a_strangers_item_is_not_found_and_stays_as_it_was(
    member, other_member, name, method
):
    item = add(member, PlanSection.REASONS, "Maya's own reason")
    add(member, PlanSection.REASONS, "Another of Maya's")
    client = signed_in(other_member)
    url = reverse(name, args=[item.pk])

    for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
        if method == "get":
            response = client.get(url, **extra)
        else:
            response = client.post(url, {"text": "x", "direction": "down"}, **extra)
        assert response.status_code == 404
        assert "Maya's own reason" not in text_of(response)

    assert item_texts(member, "reasons") == ["Maya's own reason", "Another of Maya's"]


def test_a_strangers_version_is_not_found(member, other_member):
    add(member, PlanSection.REASONS, "Maya's own reason")
    version = PlanVersion.objects.get()

    response = signed_in(other_member).get(
        reverse("goals:plan-version", args=[version.pk])
    )

    assert response.status_code == 404
    assert "Maya's own reason" not in text_of(response)


def test_another_member_sees_only_their_own_plan(member, other_member):
    add(member, PlanSection.REASONS, "Maya's own reason")
    plans.plan_set_shared(member=member, kind=PlanKind.SAFETY, shared=True)

    client = signed_in(other_member)
    for name in (SAFETY_PAGE, "goals:safety-plan-versions", "goals:privacy"):
        text = text_of(client.get(reverse(name)))
        assert "Maya's own reason" not in text
        assert "Shared with your peer supporter" not in text


# --- One tap away ---------------------------------------------------------------


def test_the_crisis_page_signed_in_leads_with_my_safety_plan(member_client):
    text = text_of(member_client.get(reverse("crisis")))

    link = f'<a class="button" href="{reverse(SAFETY_PAGE)}">My safety plan</a>'
    assert link in text
    # First: before the crisis lines themselves.
    assert text.index(link) < text.index("988 Suicide & Crisis Lifeline")


def test_the_crisis_page_signed_out_gives_no_hint_of_a_plan(client):
    text = text_of(client.get(reverse("crisis"))).lower()
    assert "safety plan" not in text and reverse(SAFETY_PAGE) not in text


@pytest.mark.parametrize("role", ["supporter", "coordinator"])
def test_staff_have_no_safety_plan_on_the_crisis_page(request, role):
    client = signed_in(request.getfixturevalue(role))
    assert "safety plan" not in text_of(client.get(reverse("crisis"))).lower()


def test_the_need_help_now_link_leads_to_it(member_client):
    home = text_of(member_client.get(reverse("goals:home")))
    assert f'<a class="crisis-link" href="{reverse("crisis")}">Need help now?' in home


def test_the_card_after_a_very_hard_check_in_has_my_safety_plan(member):
    services.checkin_record(member=member, wellbeing=1, hope=2)

    text = text_of(signed_in(member).get(reverse("goals:home")))

    card = text[text.index('class="card crisis-card"') :]
    card = card[: card.index("</section>")]
    assert f'href="{reverse(SAFETY_PAGE)}">My safety plan</a>' in card


def test_a_day_that_is_not_very_hard_shows_no_crisis_card(member):
    services.checkin_record(member=member, wellbeing=6, hope=6)
    text = text_of(signed_in(member).get(reverse("goals:home")))
    assert "crisis-card" not in text


def test_home_and_what_helps_me_lead_to_both_plans(member_client):
    for page in ("goals:home", "goals:tools"):
        text = text_of(member_client.get(reverse(page)))
        assert f'href="{reverse(SAFETY_PAGE)}"' in text, page
        assert f'href="{reverse("goals:wellness-plan")}"' in text, page


def test_a_long_history_of_versions_is_paged(member, member_client):
    plan = plans.plan_set_shared(member=member, kind=PlanKind.SAFETY, shared=False)
    first = datetime.date(2025, 1, 1)
    PlanVersion.objects.bulk_create(
        PlanVersion(
            plan=plan,
            day=first + datetime.timedelta(days=n),
            made_at=datetime.datetime(2025, 1, 1, 9, tzinfo=datetime.UTC)
            + datetime.timedelta(days=n),
            content={"sections": {}},
        )
        for n in range(45)
    )
    url = reverse("goals:safety-plan-versions")

    first_page = text_of(member_client.get(url))
    second_page = text_of(member_client.get(url + "?page=2"))

    assert first_page.count("last change at") == 30
    assert "Page 1 of 2" in first_page and "· as it is now" in first_page
    assert second_page.count("last change at") == 15
    assert "· as it is now" not in second_page
    assert "Wednesday 1 January 2025" in second_page


@pytest.mark.parametrize(
    ("route", "data", "words"),
    [
        ("goals:plan-item-delete", {}, "That item was removed already."),
        (
            "goals:plan-item-move",
            {"direction": "up"},
            "That item was removed, so there was nothing to move.",
        ),
    ],
)
def test_an_item_removed_in_another_tab_is_said_as_information_not_success(
    member, member_client, three_reasons, monkeypatch, route, data, words
):
    """The page was open in two tabs: this one still shows an item the other
    removed. What happened is said plainly, not as a success."""
    stale = plans.get_plan_item_for_user(member, three_reasons[1].pk)
    plans.plan_item_remove(item=stale)
    monkeypatch.setattr(plans, "get_plan_item_for_user", lambda user, pk: stale)

    response = member_client.post(reverse(route, args=[stale.pk]), data, follow=True)

    assert f'<p class="message message-info">{words}</p>' in page_text(response)
