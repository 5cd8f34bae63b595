"""Answering a recovery questionnaire (goals.measure_services) and the rules the
database keeps for it: answers on the scale, a total that is the sum, one finished
result a day and one draft at a time."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from goals import measure_services as services
from goals.measures import BARC_10
from goals.models import MeasureChoice, MeasureResult

pytestmark = pytest.mark.django_db


def answer_all(member, answers):
    draft = services.measure_draft(member=member, questionnaire=BARC_10)
    services.measure_answer_all(draft=draft, answers=answers)
    return services.measure_finish(member=member, questionnaire=BARC_10)


def test_answers_are_kept_screen_by_screen_and_scored_on_finishing(member):
    draft = services.measure_draft(member=member, questionnaire=BARC_10)
    for number, value in enumerate([4, 5, 3, 2, 6, 4, 1, 5, 3, 4], start=1):
        services.measure_answer(draft=draft, item=number, value=value)
        kept = MeasureResult.objects.get(pk=draft.pk)
        assert kept.answers[number - 1] == value
        assert kept.position == number
        assert kept.total is None and not kept.is_completed

    result = services.measure_finish(member=member, questionnaire=BARC_10)

    assert result.pk == draft.pk
    assert result.total == 37
    assert result.day == member.local_date()
    assert not MeasureResult.objects.drafts().exists()


def test_a_draft_is_picked_up_again_where_it_was_left(member):
    first = services.measure_draft(member=member, questionnaire=BARC_10)
    services.measure_answer(draft=first, item=1, value=6)
    services.measure_answer(draft=first, item=2, value=None)  # skipped

    again = services.measure_draft(member=member, questionnaire=BARC_10)

    assert again.pk == first.pk
    assert again.position == 2
    assert again.answers[:3] == [6, None, None]


def test_a_skipped_statement_leaves_the_result_without_a_total(member):
    result = answer_all(member, [6, 6, 6, 6, None, 6, 6, 6, 6, 6])
    assert result.is_completed
    assert result.total is None
    assert result.answers[4] is None


@pytest.mark.parametrize(
    ("answers", "total"), [([1] * 10, 10), ([6] * 10, 60), ([3] * 10, 30)]
)
def test_the_lowest_and_highest_totals(member, answers, total):
    assert answer_all(member, answers).total == total


def test_finishing_twice_in_a_day_changes_that_days_result(member):
    first = answer_all(member, [2] * 10)
    draft = services.measure_draft(member=member, questionnaire=BARC_10)
    assert draft.answers == [2] * 10  # today's answers, ready to change
    services.measure_answer(draft=draft, item=1, value=6)

    second = services.measure_finish(member=member, questionnaire=BARC_10)

    assert second.pk == first.pk
    assert second.total == 24
    assert MeasureResult.objects.count() == 1


def test_a_day_later_is_a_new_result(member, time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC))
    answer_all(member, [2] * 10)
    time_machine.move_to(datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC))
    answer_all(member, [3] * 10)
    days = list(MeasureResult.objects.values_list("day", "total").order_by("day"))
    assert days == [(datetime.date(2026, 5, 1), 20), (datetime.date(2026, 7, 1), 30)]


def test_the_day_is_the_members_own(member, time_machine):
    member.time_zone = "Pacific/Auckland"
    member.save()
    # 20:00 in London on 1 May is 07:00 on 2 May in Auckland.
    time_machine.move_to(datetime.datetime(2026, 5, 1, 19, tzinfo=datetime.UTC))
    assert answer_all(member, [4] * 10).day == datetime.date(2026, 5, 2)


def test_finishing_with_nothing_in_progress_says_so(member):
    with pytest.raises(services.DraftGone):
        services.measure_finish(member=member, questionnaire=BARC_10)


def test_an_answer_to_a_draft_finished_meanwhile_is_refused(member):
    draft = services.measure_draft(member=member, questionnaire=BARC_10)
    stale = MeasureResult.objects.get(pk=draft.pk)
    services.measure_finish(member=member, questionnaire=BARC_10)
    with pytest.raises(services.DraftGone):
        services.measure_answer(draft=stale, item=1, value=3)


@pytest.mark.parametrize("value", [0, 7])
def test_an_answer_off_the_scale_is_refused(member, value):
    draft = services.measure_draft(member=member, questionnaire=BARC_10)
    with pytest.raises(ValueError):
        services.measure_answer(draft=draft, item=1, value=value)
    with pytest.raises(ValueError):
        services.measure_answer(draft=draft, item=11, value=3)


def test_letting_go_of_a_draft(member):
    services.measure_draft(member=member, questionnaire=BARC_10)
    assert services.measure_draft_discard(member=member, questionnaire=BARC_10)
    assert not services.measure_draft_discard(member=member, questionnaire=BARC_10)
    assert not MeasureResult.objects.exists()


def test_choosing_keeps_exactly_what_was_chosen(member):
    services.measure_choices_save(member=member, chosen={"barc-10": 2})
    assert list(MeasureChoice.objects.values_list("measure", "every_months")) == [
        ("barc-10", 2)
    ]
    services.measure_choices_save(member=member, chosen={"barc-10": 3})
    assert MeasureChoice.objects.get().every_months == 3
    answer_all(member, [3] * 10)
    services.measure_choices_save(member=member, chosen={})
    assert not MeasureChoice.objects.exists()
    assert MeasureResult.objects.count() == 1  # the results stay the member's
    with pytest.raises(ValueError):
        services.measure_choices_save(member=member, chosen={"barc-10": 6})


# --- What the database itself refuses ----------------------------------------------


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureResult.objects.create(**fields)


def finished(member, day, **fields):
    return {
        "member": member,
        "measure": "barc-10",
        "completed_at": timezone.now(),
        "day": day,
        **fields,
    }


@pytest.mark.parametrize("value", [0, 7, -1, 100])
def test_the_database_keeps_answers_on_the_scale(member, value):
    refused(member=member, measure="barc-10", item_3=value)


def test_the_database_keeps_totals_the_sum_of_the_answers(member):
    today = datetime.date(2026, 5, 1)
    tens = {f"item_{n}": 1 for n in range(1, 11)}
    refused(**finished(member, today, total=11, **tens))
    refused(**finished(member, today, total=9, **{**tens, "item_1": None}))
    MeasureResult.objects.create(**finished(member, today, total=10, **tens))


def test_the_database_holds_one_finished_result_a_day(member):
    day = datetime.date(2026, 5, 1)
    MeasureResult.objects.create(**finished(member, day))
    refused(**finished(member, day))
    MeasureResult.objects.create(**finished(member, day + datetime.timedelta(days=1)))


def test_the_database_holds_one_draft_at_a_time(member):
    MeasureResult.objects.create(member=member, measure="barc-10")
    refused(member=member, measure="barc-10")


def test_the_database_refuses_an_unknown_questionnaire_or_a_draft_with_a_total(
    member,
):
    refused(member=member, measure="qpr-99")
    refused(member=member, measure="barc-10", total=30)
    refused(member=member, measure="barc-10", completed_at=timezone.now())  # no day


def test_the_database_refuses_a_frequency_not_offered(member):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureChoice.objects.create(member=member, measure="barc-10", every_months=4)
