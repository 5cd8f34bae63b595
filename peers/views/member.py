"""The member's side of peer support: who my supporter is and how to reach them,
asking for a change, my matching preferences, and suggestions to accept or not."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goals.models import Goal
from peers import selectors, services
from peers.forms import ChangeRequestForm, MatchPreferencesForm, SuggestionDeclineForm
from peers.models import (
    SUGGESTION_ANSWER_MAX_LENGTH,
    MatchPreferences,
    Suggestion,
    SuggestionStatus,
)
from recovery.decorators import role_required
from recovery.models import Role
from recovery.types import AuthedRequest

member_only = role_required(Role.MEMBER)


@member_only
def my_supporter_detail(request: AuthedRequest) -> HttpResponse:
    """Who my supporter is and how to reach them, their ideas for my plan, notes
    they shared, and asking for a change."""
    page = selectors.my_supporter_for(request.user)
    context = {
        "match": page.match,
        "open_request": page.open_request,
        "suggestions": page.suggestions,
        "notes": page.notes,
        "left_aside": page.left_aside,
        "change_form": ChangeRequestForm(),
        "answer_limit": SUGGESTION_ANSWER_MAX_LENGTH,
    }
    return render(request, "peers/member/my_supporter.html", context)


@member_only
@require_POST
def change_request_create(request: AuthedRequest) -> HttpResponse:
    form = ChangeRequestForm(request.POST)
    if form.is_valid():
        services.change_request_create(
            member=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("Thank you for telling us. A coordinator will be in touch."),
        )
    return redirect("peers:my-supporter")


@member_only
@require_POST
def change_request_withdraw(request: AuthedRequest) -> HttpResponse:
    if services.change_request_withdraw(member=request.user):
        messages.success(request, _("Your request is taken back. Nothing changes."))
    else:
        messages.info(request, _("There is no open request to take back."))
    return redirect("peers:my-supporter")


@member_only
def preferences_edit(request: AuthedRequest) -> HttpResponse:
    instance = MatchPreferences.objects.filter(member=request.user).first()
    form = MatchPreferencesForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(member=request.user, **form.cleaned_data)
        messages.success(request, _("Your preferences are saved."))
        return redirect("peers:my-supporter")
    return render(request, "peers/member/preferences.html", {"form": form})


def _suggestion_for_member(request: AuthedRequest, pk: int) -> Suggestion:
    return get_object_or_404(Suggestion.objects.filter(member=request.user), pk=pk)


def _already_answered(request: AuthedRequest, suggestion: Suggestion) -> HttpResponse:
    """The calm page for a second answer: the first one stands."""
    return render(
        request,
        "peers/member/suggestion_answered.html",
        {"suggestion": suggestion},
        status=409,
    )


@member_only
@require_POST
def suggestion_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        added = services.suggestion_accept(
            suggestion=_suggestion_for_member(request, pk)
        )
    except services.SuggestionAlreadyAnswered as answered:
        return _already_answered(request, answered.suggestion)
    except services.SuggestionGone:
        raise Http404 from None
    if isinstance(added, Goal):
        messages.success(
            request, _("“%(title)s” is now one of your goals.") % {"title": added.title}
        )
        return redirect(added)
    messages.success(
        request, _("“%(title)s” is now a step of your goal.") % {"title": added.title}
    )
    return redirect(added.goal)


@member_only
@require_POST
def suggestion_decline(request: AuthedRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion_for_member(request, pk)
    if suggestion.status != SuggestionStatus.OPEN:
        return _already_answered(request, suggestion)
    form = SuggestionDeclineForm(request.POST)
    if not form.is_valid():
        for error in form.errors["words"]:
            messages.error(request, error)
        return redirect("peers:my-supporter")
    try:
        services.suggestion_decline(
            suggestion=suggestion, words=form.cleaned_data["words"]
        )
    except services.SuggestionAlreadyAnswered as answered:
        return _already_answered(request, answered.suggestion)
    except services.SuggestionGone:
        raise Http404 from None
    messages.success(request, _("Noted. Your plan stays as it is."))
    return redirect("peers:my-supporter")


@member_only
@require_POST
def suggestion_take_back(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        idea = services.suggestion_take_back(
            suggestion=_suggestion_for_member(request, pk)
        )
    except services.SuggestionAlreadyAnswered:
        messages.info(request, _("This idea can no longer be taken back."))
    except services.SuggestionGone:
        raise Http404 from None
    else:
        messages.success(
            request,
            _("“%(title)s” waits for your answer again.") % {"title": idea.title},
        )
    return redirect("peers:my-supporter")
