"""Two-step sign-in's pages: setting the app up (secret and QR code), the code
after the password, backup codes, and turning it off (rules: recovery.two_factor)."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp.models import Device

from recovery import two_factor
from recovery.decorators import two_factor_exempt
from recovery.forms import CodeForm
from recovery.two_factor import (
    NOTHING,
    SESSION_KEY,
    VERIFY,
    backup_codes_left,
    backup_codes_make,
    backup_device,
    confirmed_device,
    is_required_for,
    pending_device,
)
from recovery.types import AuthedRequest


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _signed_in_with(request: HttpRequest, device: Device) -> None:
    django_otp.login(request, device)
    # Passing the second step is a new level of trust: a new session key for it.
    request.session.cycle_key()
    request.session[SESSION_KEY] = VERIFY


@two_factor_exempt
def two_factor_verify(request: AuthedRequest) -> HttpResponse:
    """After the password: the code from the person's authenticator app."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect("two-factor")
    if request.user.is_verified():
        return redirect(_next_url(request) or "home")
    backup = backup_device(request.user)
    form = CodeForm(request.POST or None, device=device, backup=backup)
    if request.method == "POST" and form.is_valid():
        _signed_in_with(request, form.device)
        if form.used_backup:
            _say_backup_codes_left(request)
        return redirect(_next_url(request) or "home")
    context = {
        "form": form,
        "next": _next_url(request),
        "backup": backup,
        "otp_issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "recovery/two_factor_verify.html", context)


def _say_backup_codes_left(request: AuthedRequest) -> None:
    left = backup_codes_left(request.user)
    messages.warning(
        request,
        ngettext(
            "You signed in with a backup code: %(left)d is left. You can make new "
            "ones on the two-step sign-in page.",
            "You signed in with a backup code: %(left)d are left. You can make new "
            "ones on the two-step sign-in page.",
            left,
        )
        % {"left": left},
    )


@two_factor_exempt
def two_factor_manage(request: AuthedRequest) -> HttpResponse:
    """Settings for two-step sign-in: turn it on (with the secret and QR code),
    or see that it is on and, where it is optional, turn it off."""
    return _manage_page(request)


def _manage_page(request: AuthedRequest, form: CodeForm | None = None) -> HttpResponse:
    user = request.user
    device = confirmed_device(user)
    pending = None if device is not None else pending_device(user)
    context = {
        "device": device,
        "pending": pending,
        "required": is_required_for(user),
        "next": _next_url(request),
        "form": form or CodeForm(device=device or pending, backup=backup_device(user)),
        "backup_codes_left": backup_codes_left(user) if device else 0,
    }
    if pending is not None:
        secret = base64.b32encode(pending.bin_key).decode()
        context |= {
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "otpauth_uri": pending.config_url,
            "qr_data_uri": segno.make(pending.config_url, error="m").svg_data_uri(
                scale=5, dark="#1c2421", light="#ffffff"
            ),
        }
    status = 400 if form is not None and form.errors else 200
    return render(request, "recovery/two_factor.html", context, status=status)


@two_factor_exempt
@require_POST
def two_factor_start(request: AuthedRequest) -> HttpResponse:
    """Make a new secret for the person to add to their app (not on until a code
    from it works)."""
    two_factor.two_factor_start(user=request.user)
    return redirect(_with_next("two-factor", request))


@two_factor_exempt
@require_POST
def two_factor_confirm(request: AuthedRequest) -> HttpResponse:
    """Switch the app on once it has shown a code that works."""
    user = request.user
    pending = pending_device(user)
    if pending is None or confirmed_device(user) is not None:
        return redirect("two-factor")
    form = CodeForm(request.POST, device=pending)
    if not form.is_valid():
        return _manage_page(request, form)
    codes = two_factor.two_factor_confirm(user=user, device=form.device)
    _signed_in_with(request, form.device)
    messages.success(
        request,
        _(
            "Two-step sign-in is on. Next time you sign in, "
            "you will be asked for a code from your app."
        ),
    )
    return _backup_codes_page(request, codes)


def _backup_codes_page(request: AuthedRequest, codes: list[str]) -> HttpResponse:
    """The backup codes, shown this once: the answer to a POST, never stored in
    the session, and the page itself never cached (NoStoreMiddleware)."""
    context = {"codes": codes, "next": _next_url(request)}
    return render(request, "recovery/two_factor_backup_codes.html", context)


@two_factor_exempt
@require_POST
def backup_codes_renew(request: AuthedRequest) -> HttpResponse:
    """New backup codes (the old ones stop working), for someone signed in with
    two-step sign-in on."""
    if confirmed_device(request.user) is None:
        return redirect("two-factor")
    return _backup_codes_page(request, backup_codes_make(request.user))


@two_factor_exempt
@require_POST
def two_factor_turn_off(request: AuthedRequest) -> HttpResponse:
    """Turn two-step sign-in off, with a current code (only where it is optional)."""
    user = request.user
    device = confirmed_device(user)
    if device is None:
        return redirect("two-factor")
    if is_required_for(user):
        messages.error(request, _("Two-step sign-in stays on for your role."))
        return redirect("two-factor")
    form = CodeForm(request.POST, device=device, backup=backup_device(user))
    if not form.is_valid():
        return _manage_page(request, form)
    two_factor.two_factor_turn_off(user=user)
    request.session[SESSION_KEY] = NOTHING
    messages.success(request, _("Two-step sign-in is off."))
    return redirect("two-factor")


def _with_next(name: str, request: HttpRequest) -> str:
    url = reverse(name)
    target = _next_url(request)
    return f"{url}?{urlencode({'next': target})}" if target else url
