"""The public page a set-your-password link opens: the person's sign-in name and
a new password (rules: recovery.password_links)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from recovery.forms import NewPasswordForm
from recovery.password_links import (
    LinkClosed,
    password_link_for_token,
    password_link_use,
)


@login_not_required
@never_cache
def password_link_open(request: HttpRequest, token: str) -> HttpResponse:
    """The public page a set-your-password link opens."""
    link = password_link_for_token(token)
    if link is None:
        return render(request, "recovery/password_link_closed.html", status=404)
    if not link.opens:
        return render(request, "recovery/password_link_closed.html")
    if request.user.is_authenticated:
        return render(request, "recovery/password_link_signed_in.html")
    form = NewPasswordForm(link.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = password_link_use(link=link, form=form, request=request)
        except LinkClosed:
            return render(request, "recovery/password_link_closed.html")
        messages.success(
            request,
            _(
                "Your new password is set. Sign in with your sign-in name, "
                "%(username)s, and your new password."
            )
            % {"username": user.get_username()},
        )
        return redirect("login")
    context = {"form": form, "person": link.user, "link": link}
    return render(request, "recovery/password_link.html", context)
