"""Rules for a member's recovery measures: which questionnaires they chose and how
often, answering one (a draft kept across screens, so "finish later" loses
nothing), and finishing it (scored by goals.measures, one finished result per
questionnaire per day in their own time zone).

Views call these; they never write the models themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from goals.measures import EVERY_MONTHS, Questionnaire, check_answers, score
from goals.models import MeasureChoice, MeasureResult
from recovery.models import User


class DraftGone(Exception):
    """The draft was finished or let go (in another tab) before this change."""


@transaction.atomic
def measure_choices_save(*, member: User, chosen: Mapping[str, int]) -> None:
    """Keep exactly the questionnaires in `chosen` ({key: every_months}). One no
    longer chosen goes from the list; its results stay the member's."""
    for key, every in chosen.items():
        if every not in EVERY_MONTHS:
            raise ValueError(f"every {every} months is not a choice")
        MeasureChoice.objects.update_or_create(
            member=member, measure=key, defaults={"every_months": every}
        )
    MeasureChoice.objects.for_user(member).exclude(measure__in=list(chosen)).delete()


def _items(answers: Sequence[int | None]) -> dict[str, int | None]:
    return {f"item_{n}": value for n, value in enumerate(answers, start=1)}


def measure_draft(*, member: User, questionnaire: Questionnaire) -> MeasureResult:
    """The member's answers in progress for `questionnaire`, started now if there
    are none. Started again on a day it was already finished, it begins with that
    day's answers, so finishing changes them (one finished result a day)."""
    drafts = MeasureResult.objects.for_user(member).drafts()
    draft = drafts.filter(measure=questionnaire.key).first()
    if draft is not None:
        return draft
    today = (
        MeasureResult.objects.for_user(member)
        .completed()
        .filter(measure=questionnaire.key, day=member.local_date())
        .first()
    )
    start = _items(today.answers) if today else {}
    try:
        with transaction.atomic():
            return MeasureResult.objects.create(
                member=member, measure=questionnaire.key, **start
            )
    except IntegrityError:  # started in another tab at the same moment
        return drafts.get(measure=questionnaire.key)


def measure_answer(
    *, draft: MeasureResult, item: int, value: int | None
) -> MeasureResult:
    """Record the answer to statement `item` (1 the first; None: skipped) and move
    the draft past it. DraftGone if it was finished or let go meanwhile."""
    q = draft.questionnaire
    if not 1 <= item <= len(q.items):
        raise ValueError(f"{q.name} has no statement {item}")
    answers = draft.answers
    answers[item - 1] = value
    check_answers(q, answers)
    position = max(draft.position, item)
    updated = MeasureResult.objects.drafts().filter(pk=draft.pk)
    fields = {f"item_{item}": value, "position": position}
    if not updated.update(**fields, updated_at=timezone.now()):
        raise DraftGone
    for name, new in fields.items():
        setattr(draft, name, new)
    return draft


def measure_answer_all(
    *, draft: MeasureResult, answers: Sequence[int | None]
) -> MeasureResult:
    """Record every answer at once (the one-page form; None: skipped)."""
    check_answers(draft.questionnaire, answers)
    fields = {**_items(answers), "position": len(answers)}
    updated = MeasureResult.objects.drafts().filter(pk=draft.pk)
    if not updated.update(**fields, updated_at=timezone.now()):
        raise DraftGone
    for name, new in fields.items():
        setattr(draft, name, new)
    return draft


@transaction.atomic
def measure_finish(*, member: User, questionnaire: Questionnaire) -> MeasureResult:
    """Score the member's draft and keep it as today's result (today in their own
    time zone). If today already has one, that one takes these answers: the
    database holds one finished result per questionnaire a day. DraftGone when
    there is no draft (finished already, in another tab or by a second click)."""
    draft = (
        MeasureResult.objects.select_for_update()
        .for_user(member)
        .drafts()
        .filter(measure=questionnaire.key)
        .first()
    )
    if draft is None:
        raise DraftGone
    now = timezone.now()
    day = member.local_date(now)
    answers = draft.answers
    fields = {
        **_items(answers),
        "total": score(questionnaire, answers).total,
        "completed_at": now,
        "position": len(answers),
    }
    today = (
        MeasureResult.objects.select_for_update()
        .for_user(member)
        .completed()
        .filter(measure=questionnaire.key, day=day)
        .first()
    )
    if today is not None:
        draft.delete()
        result = today
    else:
        result, fields["day"] = draft, day
    for name, value in fields.items():
        setattr(result, name, value)
    result.save()
    return result


def measure_draft_discard(*, member: User, questionnaire: Questionnaire) -> bool:
    """Let go of the answers in progress. False if there were none."""
    drafts = MeasureResult.objects.for_user(member).drafts()
    deleted, _kinds = drafts.filter(measure=questionnaire.key).delete()
    return bool(deleted)
