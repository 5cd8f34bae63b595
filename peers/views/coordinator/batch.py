"""Batch matching: the proposal for everyone waiting, reviewed and confirmed."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peers import selectors, services
from peers.forms_coordinator import BatchConfirmForm
from peers.views.coordinator.lookup import coordinator_only
from recovery import audit
from recovery.models import User
from recovery.types import AuthedRequest


@coordinator_only
def batch_review(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        form = BatchConfirmForm(request.POST)
        if form.is_valid():
            _confirm_batch(request, form.cleaned_data["rows"])
            return redirect("peers:batch")
        for errors in form.errors.values():
            for error in dict.fromkeys(errors):
                messages.error(request, error)
        return redirect("peers:batch")
    rows, left = selectors.batch_proposal()
    audit.viewed_many(
        request, [r.member for r in rows] + left, audit.Seen.BATCH_PROPOSAL
    )
    context = {"rows": rows, "left": left}
    return render(request, "peers/coordinator/batch_review.html", context)


def _confirm_batch(request: AuthedRequest, rows) -> None:
    results = services.batch_confirm(rows=rows, by=request.user)
    names = User.objects.in_bulk(
        [r.member_id for r in results] + [r.supporter_id for r in results]
    )
    applied = 0
    for result in results:
        people = {
            "member": names.get(result.member_id, _("someone")),
            "supporter": names.get(result.supporter_id, _("someone")),
        }
        if result.match is not None:
            applied += 1
            messages.success(
                request, _("%(member)s and %(supporter)s are matched.") % people
            )
        else:
            messages.error(
                request,
                _("%(member)s and %(supporter)s were not matched: %(reason)s")
                % {**people, "reason": result.refused},
            )
    messages.info(
        request,
        _("%(applied)d of %(total)d proposed matches were made.")
        % {"applied": applied, "total": len(results)},
    )
