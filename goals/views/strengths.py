"""The member's strengths: adding one, removing one with Undo."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from goals import services
from goals.forms import StrengthForm
from goals.models import Strength
from goals.selectors import get_strength_for_user, strengths_by_category
from goals.views.common import member_only, undo_and_say
from recovery import once
from recovery.types import AuthedRequest


@member_only
def strength_list(request: AuthedRequest) -> HttpResponse:
    form = StrengthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        once.submit_once(
            request.user,
            once.key_from(request),
            lambda: services.strength_add(
                member=request.user, strength=form.save(commit=False)
            ),
        )
        messages.success(request, _("Added to your strengths."))
        return redirect("goals:strengths")
    groups = strengths_by_category(request.user, now=timezone.now())
    return render(request, "goals/strength_list.html", {"form": form, "groups": groups})


def _strength_row(request: AuthedRequest, strength: Strength, **extra) -> HttpResponse:
    strength.refresh_from_db(fields=["removed_at"])
    context = {"strength": strength, **extra}
    return render(request, "goals/strength_list.html#strength-row", context)


@member_only
@require_POST
@vary_on_headers("HX-Request")
def strength_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove a strength. Its place says so and offers Undo, with htmx or not."""
    strength = get_strength_for_user(request.user, pk, removed_too=True)
    services.strength_remove(strength=strength)
    if request.htmx:
        announce = _("Removed “%(text)s”. Undo is in its place.") % {
            "text": strength.text
        }
        return _strength_row(
            request, strength, announce=announce, focus=f"undo-strength-{pk}"
        )
    return redirect(f"{reverse('goals:strengths')}#strength-{pk}")


@member_only
@require_POST
@vary_on_headers("HX-Request")
def strength_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    strength = get_strength_for_user(request.user, pk, removed_too=True)
    level, announce = undo_and_say(
        lambda: services.strength_restore(strength=strength), text=strength.text
    )
    if request.htmx:
        return _strength_row(
            request, strength, announce=announce, focus=f"remove-strength-{pk}"
        )
    messages.add_message(request, level, announce)
    return redirect(f"{reverse('goals:strengths')}#strength-{pk}")
