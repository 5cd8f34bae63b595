"""The public page an invitation link opens: choose a username, a password and a
time zone, and the account is made (rules: recovery.invitations)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from recovery import invitations
from recovery.forms import AcceptForm
from recovery.models import User


@login_not_required
@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The public page an invitation link opens."""
    invitation = invitations.invitation_for_token(token)
    if invitation is None:
        return render(request, "recovery/invitation_closed.html", status=404)
    if not invitation.is_usable:
        return render(request, "recovery/invitation_closed.html")
    if request.user.is_authenticated:
        return render(request, "recovery/invitation_signed_in.html")
    # The new account carries the name and email now, so the password validators
    # can refuse a password too close to them.
    person = User(
        first_name=invitation.name, email=invitation.email, role=invitation.role
    )
    form = AcceptForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.invitation_accept(invitation=invitation, form=form)
        except invitations.InvitationUsed:
            return render(request, "recovery/invitation_closed.html")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome, %(name)s. Your account is ready.")
            % {"name": user.display_name},
        )
        return redirect("home")
    context = {"form": form, "invitation": invitation}
    return render(request, "recovery/invitation_accept.html", context)
