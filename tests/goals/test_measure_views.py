"""The member's questionnaire pages: choosing, answering one statement a screen
(without JavaScript, and with htmx), all on one page, finishing later, and the
totals over time with the answers beside them."""

import html
import re

import pytest
from django.urls import reverse

from goals import measure_services as services
from goals.measures import BARC_10
from goals.models import MeasureChoice, MeasureResult
from recovery.models import NotificationChoice

pytestmark = pytest.mark.django_db

KEY = BARC_10.key


def text(response) -> str:
    return html.unescape(
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    )


def item_url(number: int) -> str:
    return reverse("goals:measure-item", args=[KEY, number])


def start(client, layout="one"):
    return client.post(reverse("goals:measure-start", args=[KEY]), {"layout": layout})


def finished(member, answers, **kwargs):
    draft = services.measure_draft(member=member, questionnaire=BARC_10)
    services.measure_answer_all(draft=draft, answers=answers)
    return services.measure_finish(member=member, questionnaire=BARC_10)


# --- Choosing ----------------------------------------------------------------------


def test_none_is_chosen_by_default(member_client):
    response = member_client.get(reverse("goals:measures"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form[f"every_{KEY}"].value() == ""
    assert form["by_email"].value() is False
    assert "Not for me now" in text(response)
    assert not MeasureChoice.objects.exists()


def test_choosing_a_questionnaire_how_often_and_email(member, member_client):
    response = member_client.post(
        reverse("goals:measures"), {f"every_{KEY}": "2", "by_email": "on"}
    )
    assert response.status_code == 302
    choice = MeasureChoice.objects.get(member=member)
    assert (choice.measure, choice.every_months) == (KEY, 2)
    email = NotificationChoice.objects.get(user=member, kind="measure_due")
    assert email.by_email and email.in_app

    page = text(member_client.get(reverse("goals:measures")))
    assert "Your choices are saved." in page
    assert "Next one from" in page

    member_client.post(reverse("goals:measures"), {f"every_{KEY}": ""})
    assert not MeasureChoice.objects.exists()
    assert not NotificationChoice.objects.get(user=member, kind="measure_due").by_email


def test_a_frequency_not_offered_is_refused_in_words(member_client):
    response = member_client.post(reverse("goals:measures"), {f"every_{KEY}": "12"})
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert not MeasureChoice.objects.exists()


# --- One statement a screen, without JavaScript -------------------------------------


def test_one_statement_a_screen_from_start_to_total(member, member_client):
    response = start(member_client)
    assert response["Location"] == item_url(1)

    page = member_client.get(item_url(1))
    assert "Statement 1 of 10" in text(page)
    assert BARC_10.items[0] in text(page)
    assert "1 – Strongly disagree" in text(page)

    for number, value in enumerate([4, 5, 3, 2, 6, 4, 1, 5, 3, 4], start=1):
        response = member_client.post(
            item_url(number), {"answer": value, "action": "next"}
        )
        expected = (
            item_url(number + 1)
            if number < 10
            else reverse("goals:measure-review", args=[KEY])
        )
        assert response["Location"] == expected

    review = member_client.get(reverse("goals:measure-review", args=[KEY]))
    assert "Check and finish" in text(review)
    finish = member_client.post(reverse("goals:measure-finish", args=[KEY]))
    assert finish["Location"] == reverse("goals:measure", args=[KEY])
    page = text(member_client.get(finish["Location"]))
    assert "Your total is 37 (from 10 to 60)." in page
    assert "37 out of 60" in page
    assert MeasureResult.objects.get().total == 37


def test_a_statement_changed_from_the_check_goes_back_to_the_check(member_client):
    start(member_client, layout="all")
    member_client.post(
        reverse("goals:measure-all", args=[KEY]),
        {f"item_{n}": 3 for n in range(2, 11)} | {"action": "finish"},
    )  # statement 1 left out: to the check
    review = member_client.get(reverse("goals:measure-review", args=[KEY]))
    assert item_url(1) in review.content.decode()
    response = member_client.post(item_url(1), {"answer": 6, "action": "next"})
    assert response["Location"] == reverse("goals:measure-review", args=[KEY])
    assert MeasureResult.objects.get().answers[0] == 6


def test_next_without_an_answer_asks_for_one_or_a_skip(member_client):
    start(member_client)
    response = member_client.post(item_url(1), {"action": "next"})
    assert response.status_code == 200
    assert "Please choose an answer, or skip this one." in text(response)
    assert MeasureResult.objects.get().position == 0


def test_skip_back_and_a_skipped_statement_scores_no_total(member, member_client):
    start(member_client)
    member_client.post(item_url(1), {"answer": 6, "action": "next"})
    member_client.post(item_url(2), {"action": "skip"})
    back = member_client.get(item_url(1))
    assert back.context["form"]["answer"].value() == 6  # the answer is still there
    assert (
        'href="' + item_url(1) + '"' in member_client.get(item_url(2)).content.decode()
    )
    for number in range(3, 11):
        member_client.post(item_url(number), {"answer": 5, "action": "next"})

    review = text(member_client.get(reverse("goals:measure-review", args=[KEY])))
    assert "You left 1 statement out." in review
    member_client.post(reverse("goals:measure-finish", args=[KEY]))
    page = text(member_client.get(reverse("goals:measure", args=[KEY])))
    assert "With a statement skipped there is no total this time" in page
    assert "No total: a statement was skipped" in page
    assert MeasureResult.objects.get().total is None


def test_finish_later_keeps_the_answers_and_carries_on_where_it_stopped(
    member, member_client
):
    start(member_client)
    member_client.post(item_url(1), {"answer": 2, "action": "next"})
    response = member_client.post(item_url(2), {"answer": 3, "action": "later"})
    assert response["Location"] == reverse("goals:measures")
    page = text(member_client.get(reverse("goals:measures")))
    assert "Your answers so far are kept." in page
    assert "2 of 10 statements reached" in page

    again = start(member_client)
    assert again["Location"] == item_url(3)
    draft = MeasureResult.objects.get()
    assert draft.answers[:3] == [2, 3, None] and not draft.is_completed


def test_finish_later_with_nothing_chosen_skips_nothing(member_client):
    start(member_client)
    member_client.post(item_url(1), {"action": "later"})
    assert MeasureResult.objects.get().position == 0


def test_a_statement_page_with_nothing_in_progress_goes_back_calmly(member_client):
    response = member_client.get(item_url(1))
    assert response["Location"] == reverse("goals:measure", args=[KEY])
    assert member_client.get(item_url(99)).status_code == 302


def test_finishing_twice_is_harmless(member_client):
    start(member_client, layout="all")
    member_client.post(
        reverse("goals:measure-all", args=[KEY]),
        {f"item_{n}": 3 for n in range(1, 11)} | {"action": "finish"},
    )
    again = member_client.post(reverse("goals:measure-finish", args=[KEY]))
    assert again.status_code == 302
    assert MeasureResult.objects.count() == 1


# --- With htmx ------------------------------------------------------------------


def test_with_htmx_the_next_statement_replaces_the_form_and_the_address_follows(
    member_client,
):
    start(member_client)
    response = member_client.post(
        item_url(1), {"answer": 4, "action": "next"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="measure-step">')
    assert "<html" not in body
    assert "Statement 2 of 10" in body
    assert BARC_10.items[1] in body
    assert response["HX-Push-Url"] == item_url(2)

    last = member_client.post(
        item_url(10), {"answer": 4, "action": "next"}, headers={"HX-Request": "true"}
    )
    assert last["HX-Redirect"] == reverse("goals:measure-review", args=[KEY])


def test_with_htmx_a_missing_answer_comes_back_in_place(member_client):
    start(member_client)
    response = member_client.post(
        item_url(1), {"action": "next"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "Please choose an answer, or skip this one." in body


# --- All on one page -----------------------------------------------------------


def test_all_on_one_page_finishes_at_once(member_client):
    start(member_client, layout="all")
    page = member_client.get(reverse("goals:measure-all", args=[KEY]))
    for statement in BARC_10.items:
        assert statement in text(page)
    response = member_client.post(
        reverse("goals:measure-all", args=[KEY]),
        {f"item_{n}": 6 for n in range(1, 11)} | {"action": "finish"},
    )
    assert response["Location"] == reverse("goals:measure", args=[KEY])
    assert MeasureResult.objects.get().total == 60


def test_all_on_one_page_with_gaps_goes_to_the_check(member_client):
    start(member_client, layout="all")
    response = member_client.post(
        reverse("goals:measure-all", args=[KEY]),
        {"item_1": 1, "item_2": 1, "action": "finish"},
    )
    assert response["Location"] == reverse("goals:measure-review", args=[KEY])
    assert not MeasureResult.objects.get().is_completed


def test_all_on_one_page_can_be_saved_for_later(member_client):
    start(member_client, layout="all")
    member_client.post(
        reverse("goals:measure-all", args=[KEY]), {"item_4": 2, "action": "later"}
    )
    draft = MeasureResult.objects.get()
    assert draft.answers[3] == 2 and not draft.is_completed


def test_an_answer_off_the_scale_is_refused_in_words(member_client):
    start(member_client, layout="all")
    response = member_client.post(
        reverse("goals:measure-all", args=[KEY]), {"item_1": 9, "action": "finish"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    start(member_client)
    response = member_client.post(item_url(1), {"answer": 0, "action": "next"})
    assert "Select a valid choice" in text(response)


# --- Over time ------------------------------------------------------------------


def test_totals_over_time_as_a_chart_with_a_table_and_the_answers(
    member, member_client, time_machine
):
    import datetime

    for month, value in ((1, 2), (3, 4), (5, 5)):
        time_machine.move_to(
            datetime.datetime(2026, month, 10, 12, tzinfo=datetime.UTC)
        )
        finished(member, [value] * 10)

    response = member_client.get(reverse("goals:measure", args=[KEY]))
    body = response.content.decode()
    page = text(response)
    assert 'role="img"' in body and 'aria-labelledby="totals-caption"' in body
    assert "Your latest 3 totals, oldest first, on the scale from 10 to 60." in page
    for total in ("20 out of 60", "40 out of 60", "50 out of 60"):
        assert total in page
    assert page.index("10 May 2026") < page.index("10 Jan 2026")  # newest first
    assert "Answers of 10 May 2026" in page
    assert f"{BARC_10.items[0]} 5" in page


def test_no_label_is_put_on_a_total(member, member_client):
    finished(member, [1] * 10)
    page = text(member_client.get(reverse("goals:measure", args=[KEY]))).lower()
    for label in ("low recovery", "high recovery", "moderate", "remission", "47"):
        assert label not in page


def test_an_unknown_questionnaire_is_not_found(member_client):
    assert (
        member_client.get(reverse("goals:measure", args=["qpr-99"])).status_code == 404
    )
    response = member_client.post(reverse("goals:measure-start", args=["qpr-99"]))
    assert response.status_code == 404


def test_letting_a_draft_go(member_client):
    start(member_client)
    response = member_client.post(reverse("goals:measure-discard", args=[KEY]))
    assert response.status_code == 302
    assert not MeasureResult.objects.exists()


# --- Whose -----------------------------------------------------------------------


def test_another_member_sees_only_their_own(member, other_member, client):
    finished(member, [6] * 10)
    services.measure_draft(member=member, questionnaire=BARC_10)
    client.force_login(other_member)

    page = text(client.get(reverse("goals:measure", args=[KEY])))
    assert "60 out of 60" not in page
    assert "Nothing answered yet." in page
    assert client.get(item_url(1)).status_code == 302  # nothing of theirs started
    client.post(reverse("goals:measure-finish", args=[KEY]))
    client.post(reverse("goals:measure-discard", args=[KEY]))
    assert MeasureResult.objects.filter(member=member).count() == 2


@pytest.mark.parametrize(
    "name", ["goals:measures", "goals:measure", "goals:measure-review"]
)
def test_staff_are_refused_and_anonymous_sent_to_sign_in(
    name, client, supporter, coordinator
):
    url = reverse(name, args=[] if name == "goals:measures" else [KEY])
    assert client.get(url)["Location"].startswith(reverse("login"))
    for person in (supporter, coordinator):
        client.force_login(person)
        assert client.get(url).status_code == 403
