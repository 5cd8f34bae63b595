"""The member's recovery measures: choosing questionnaires and how often, answering
one (one statement a screen, or all on one page), and each one's totals over time.

One statement a screen works without JavaScript: each answer is a plain POST that
redirects to the next statement. With htmx the next statement replaces the form in
place (the same template's `step` partial) and the address follows it. Answers are
kept as they are given, so "Finish later" and a closed tab lose nothing.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, push_url

from goals import measure_services
from goals.forms import NOT_NOW, AllStatementsForm, MeasureChoicesForm, StatementForm
from goals.measure_history import (
    answers_of,
    draft_of,
    get_questionnaire_or_404,
    history,
    standings,
    totals_chart,
)
from goals.measures import Questionnaire
from goals.models import MeasureResult
from goals.notifications import MEASURE_DUE
from goals.views.common import member_only
from recovery.notifications import choices_of, email_choose
from recovery.types import AuthedRequest

# --- Choosing -------------------------------------------------------------------


@member_only
def measure_list(request: AuthedRequest) -> HttpResponse:
    member = request.user
    rows = standings(member)
    _in_app, by_email = choices_of(member)[MEASURE_DUE.key]
    initial = {"by_email": by_email}
    for row in rows:
        every = row.choice.every_months if row.choice else NOT_NOW
        initial[f"every_{row.questionnaire.key}"] = every
    form = MeasureChoicesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        measure_services.measure_choices_save(member=member, chosen=form.chosen())
        email_choose(member, MEASURE_DUE.key, form.cleaned_data["by_email"])
        messages.success(request, _("Your choices are saved."))
        return redirect("goals:measures")
    context = {"rows": rows, "form": form, "has_email": bool(member.email)}
    return render(request, "goals/measure_list.html", context)


# --- One questionnaire over time ------------------------------------------------


@member_only
def measure_detail(request: AuthedRequest, measure: str) -> HttpResponse:
    q = get_questionnaire_or_404(measure)
    past = history(request.user, q)
    totals = past.totals
    context = {
        "q": q,
        "history": past,
        "totals": totals,
        "chart": totals_chart(q, totals) if totals else None,
    }
    return render(request, "goals/measure_detail.html", context)


# --- Answering ------------------------------------------------------------------


def _next_url(q: Questionnaire, draft: MeasureResult) -> str:
    """Where answering goes on: the statement after the last one reached, or the
    check before finishing once every statement was reached."""
    if draft.position >= len(q.items):
        return reverse("goals:measure-review", args=[q.key])
    return reverse("goals:measure-item", args=[q.key, draft.position + 1])


@member_only
@require_POST
def measure_start(request: AuthedRequest, measure: str) -> HttpResponse:
    """Start answering, or carry on where the member left off."""
    q = get_questionnaire_or_404(measure)
    draft = measure_services.measure_draft(member=request.user, questionnaire=q)
    if request.POST.get("layout") == "all":
        return redirect("goals:measure-all", measure=q.key)
    return redirect(_next_url(q, draft))


def _not_started(request: AuthedRequest, q: Questionnaire) -> HttpResponse:
    """A statement's page with nothing in progress (finished in another tab, or
    an old link): say so, and go where answering starts."""
    messages.info(
        request, _("There is nothing in progress for %(name)s.") % {"name": q.name}
    )
    url = reverse("goals:measure", args=[q.key])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _step_context(q: Questionnaire, draft: MeasureResult, number: int, form) -> dict:
    return {
        "q": q,
        "draft": draft,
        "number": number,
        "count": len(q.items),
        "form": form,
        "back": number - 1 if number > 1 else None,
    }


@member_only
@vary_on_headers("HX-Request")
def measure_answer(request: AuthedRequest, measure: str, item: int) -> HttpResponse:
    """One statement a screen: Next, Skip this one, Back, Finish later."""
    q = get_questionnaire_or_404(measure)
    if not 1 <= item <= len(q.items):
        return redirect("goals:measure", measure=q.key)
    draft = draft_of(request.user, q)
    if draft is None:
        return _not_started(request, q)
    if request.method != "POST":
        form = StatementForm(
            initial={"answer": draft.answers[item - 1]}, questionnaire=q, number=item
        )
        return render(
            request, "goals/measure_item.html", _step_context(q, draft, item, form)
        )

    form = StatementForm(request.POST, questionnaire=q, number=item)
    action = request.POST.get("action", "next")
    if not form.is_valid():
        return _step_again(request, q, draft, item, form)
    value = form.cleaned_data["answer"]
    if action == "later" and value is None:
        return _later(request)  # nothing chosen here: nothing to keep, nor skip
    if action == "next" and value is None:
        form.add_error("answer", _("Please choose an answer, or skip this one."))
        return _step_again(request, q, draft, item, form)
    try:
        draft = measure_services.measure_answer(
            draft=draft, item=item, value=None if action == "skip" else value
        )
    except measure_services.DraftGone:
        return _not_started(request, q)
    if action == "later":
        return _later(request)
    following = item + 1
    # Past the last statement, or changing one after reaching the end (from the
    # check before finishing): back to that check.
    if following > len(q.items) or draft.position >= len(q.items):
        url = reverse("goals:measure-review", args=[q.key])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    url = reverse("goals:measure-item", args=[q.key, following])
    if not request.htmx:
        return redirect(url)
    form = StatementForm(
        initial={"answer": draft.answers[following - 1]},
        questionnaire=q,
        number=following,
    )
    context = _step_context(q, draft, following, form)
    return push_url(render(request, "goals/measure_item.html#step", context), url)


def _later(request: AuthedRequest) -> HttpResponse:
    messages.success(
        request, _("Your answers so far are kept. Carry on whenever you like.")
    )
    url = reverse("goals:measures")
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _step_again(request, q, draft, item, form) -> HttpResponse:
    context = _step_context(q, draft, item, form)
    template = "goals/measure_item.html#step" if request.htmx else None
    return render(request, template or "goals/measure_item.html", context)


@member_only
def measure_answer_all(request: AuthedRequest, measure: str) -> HttpResponse:
    """Every statement on one page."""
    q = get_questionnaire_or_404(measure)
    draft = draft_of(request.user, q)
    if draft is None:
        return _not_started(request, q)
    if request.method != "POST":
        initial = {f"item_{n}": v for n, v in enumerate(draft.answers, start=1)}
        form = AllStatementsForm(initial=initial, questionnaire=q)
        return render(request, "goals/measure_all.html", {"q": q, "form": form})
    form = AllStatementsForm(request.POST, questionnaire=q)
    if not form.is_valid():
        return render(request, "goals/measure_all.html", {"q": q, "form": form})
    try:
        measure_services.measure_answer_all(draft=draft, answers=form.answers())
    except measure_services.DraftGone:
        return _not_started(request, q)
    if request.POST.get("action") == "later":
        return _later(request)
    if None in form.answers():
        return redirect("goals:measure-review", measure=q.key)
    return _finish(request, q)


@member_only
def measure_review(request: AuthedRequest, measure: str) -> HttpResponse:
    """Every answer before finishing, each with a way back to change it."""
    q = get_questionnaire_or_404(measure)
    draft = draft_of(request.user, q)
    if draft is None:
        return _not_started(request, q)
    answers = answers_of(draft)
    context = {
        "q": q,
        "draft": draft,
        "answers": answers,
        "skipped": sum(1 for a in answers if a.value is None),
    }
    return render(request, "goals/measure_review.html", context)


def _finish(request: AuthedRequest, q: Questionnaire) -> HttpResponse:
    try:
        result = measure_services.measure_finish(member=request.user, questionnaire=q)
    except measure_services.DraftGone:
        return _not_started(request, q)
    if result.total is None:
        messages.success(
            request,
            _(
                "Thank you. Your answers are saved. With a statement skipped there is "
                "no total this time, and that is fine."
            ),
        )
    else:
        messages.success(
            request,
            _("Thank you. Your total is %(total)s (from %(low)s to %(high)s).")
            % {"total": result.total, "low": q.total_min, "high": q.total_max},
        )
    return redirect("goals:measure", measure=q.key)


@member_only
@require_POST
def measure_finish(request: AuthedRequest, measure: str) -> HttpResponse:
    return _finish(request, get_questionnaire_or_404(measure))


@member_only
@require_POST
def measure_discard(request: AuthedRequest, measure: str) -> HttpResponse:
    """Let go of the answers in progress, to start again another time."""
    q = get_questionnaire_or_404(measure)
    if measure_services.measure_draft_discard(member=request.user, questionnaire=q):
        messages.success(request, _("Those answers are let go."))
    return redirect("goals:measure", measure=q.key)
