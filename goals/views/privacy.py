"""The member's control over their data: what their peer supporter sees, their
consents, downloading everything, and deleting their account.

Every page here is the member's own (another member gets their own data, never
someone else's), except the goodbye page, which anyone may read.
"""

from contextlib import suppress

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from goals import export, services
from goals.extensions import privacy_panels_for
from goals.forms import AccountDeleteForm, SharingForm
from goals.selectors import sharing_preview
from goals.views.common import member_only
from recovery import audit
from recovery.types import AuthedRequest

# The latest few people-and-days of views; the whole list is one link away.
RECENT_DAYS_OF_VIEWS = 3


@member_only
@never_cache
def privacy_detail(request: AuthedRequest) -> HttpResponse:
    member = request.user
    preview = sharing_preview(member)
    form = SharingForm(request.POST or None, initial=preview.choices)
    if request.method == "POST" and form.is_valid():
        services.sharing_update(member=member, **form.cleaned_data)
        messages.success(request, _("Your choices are saved."))
        return redirect("goals:privacy")
    context = {
        "form": form,
        "preview": preview,
        "panels": privacy_panels_for(member),
        "recent_views": audit.days_of_views(
            member, audit.views_by_day(member)[:RECENT_DAYS_OF_VIEWS]
        ),
    }
    return render(request, "goals/privacy.html", context)


@member_only
@never_cache
@require_GET
def data_download(request: AuthedRequest) -> StreamingHttpResponse:
    """Everything the member owns, as a ZIP written while it is sent."""
    member = request.user
    audit.record(request, kind=audit.AuditKind.EXPORTED, subject=member)
    response = StreamingHttpResponse(
        export.archive_chunks(member), content_type="application/zip"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{export.filename(member)}"'
    )
    return response


@member_only
@never_cache
def account_delete(request: AuthedRequest) -> HttpResponse:
    member = request.user
    form = AccountDeleteForm(request.POST or None, member=member, request=request)
    if request.method == "POST" and form.is_valid():
        # The same form sent twice: the first one deleted it, and that is fine.
        with suppress(services.AccountGone):
            services.account_delete(member=member, request=request)
        logout(request)
        return redirect("goals:goodbye")
    return render(request, "goals/account_delete.html", {"form": form})


@login_not_required
@require_GET
def account_deleted(request: HttpRequest) -> HttpResponse:
    """After an account is deleted. Someone signed in has nothing to say goodbye
    to, and goes to their start page."""
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "goals/goodbye.html")
