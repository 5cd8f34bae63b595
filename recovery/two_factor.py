"""Two-step sign-in with an authenticator app (TOTP, through django-otp).

Anyone may turn it on from their settings; supporters and coordinators must when
`settings.REQUIRE_STAFF_2FA` is on. After the password, a person with an app set
up is asked for its six-digit code before any page (recovery.middleware
.TwoFactorMiddleware); a supporter or coordinator without one is sent to set it up.

Setting up shows the secret as text and as an otpauth link, and as a QR code: an
SVG made on the server by segno, shown as a data: image (no script, nothing
fetched from elsewhere). The app is only switched on once it has shown a code
that works.
"""

from __future__ import annotations

import base64
import math
from urllib.parse import urlencode

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery.decorators import two_factor_exempt
from recovery.models import Role, User
from recovery.types import AuthedRequest

# What a signed-in person still owes, kept in their session: "verify" (enter a
# code), "setup" (staff who must set an app up first) or "" (nothing).
SESSION_KEY = "_two_factor"
VERIFY, SETUP, NOTHING = "verify", "setup", ""
DEVICE_NAME = "Authenticator app"


def is_required_for(user: User) -> bool:
    """Whether this person may not use the planner without two-step sign-in."""
    return settings.REQUIRE_STAFF_2FA and user.role in {
        Role.SUPPORTER,
        Role.COORDINATOR,
    }


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def owed_at_sign_in(user: User) -> str:
    if confirmed_device(user) is not None:
        return VERIFY
    if is_required_for(user):
        return SETUP
    return NOTHING


def step_needed(request: HttpRequest) -> str | None:
    """The URL name of the page a signed-in person must pass before any other, or
    None when they may carry on."""
    user = request.user
    if user.is_verified():
        return None
    owed = request.session.get(SESSION_KEY)
    if owed is None:
        owed = request.session[SESSION_KEY] = owed_at_sign_in(user)
    if owed == VERIFY:
        return "two-factor-verify"
    if owed == SETUP:
        return "two-factor"
    return None


def remember_at_sign_in(request: HttpRequest, user: User) -> None:
    """Called on every sign-in (recovery.apps connects it)."""
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = owed_at_sign_in(user)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _signed_in_with(request: HttpRequest, device: TOTPDevice) -> None:
    django_otp.login(request, device)
    # Passing the second step is a new level of trust: a new session key for it.
    request.session.cycle_key()
    request.session[SESSION_KEY] = VERIFY


# --- Forms -----------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("The 6-digit code your app shows now"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
            }
        ),
    )

    def __init__(self, *args, device: TOTPDevice | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(_("The code is made of digits only."))
        return code

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("code")
        if code is None or self.device is None:
            return cleaned
        # The failure count that django-otp raises on a wrong code must be
        # committed: raising inside the atomic block would roll it back and let
        # codes be guessed without limit. So check inside the lock, answer after.
        with transaction.atomic():
            locked = TOTPDevice.objects.select_for_update().filter(pk=self.device.pk)
            if (device := locked.first()) is None:  # turned off in another tab
                raise forms.ValidationError(
                    _("Two-step sign-in was turned off meanwhile. Please start again.")
                )
            allowed, why = device.verify_is_allowed()
            worked = allowed and device.verify_token(code)
        if not allowed:
            raise self._wait_error(why)
        if not worked:
            raise forms.ValidationError(
                _(
                    "That code did not work. Codes change every 30 seconds: "
                    "try the newest one, and check your phone's clock."
                )
            )
        self.device = device
        return cleaned

    @staticmethod
    def _wait_error(why: dict | None) -> forms.ValidationError:
        locked_until = (why or {}).get("locked_until") or timezone.now()
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        return forms.ValidationError(
            ngettext(
                "Too many codes that did not work. Wait %(seconds)d second, "
                "then try the newest code.",
                "Too many codes that did not work. Wait %(seconds)d seconds, "
                "then try the newest code.",
                seconds,
            )
            % {"seconds": seconds}
        )


# --- Views -----------------------------------------------------------------------


@two_factor_exempt
def verify(request: AuthedRequest) -> HttpResponse:
    """After the password: the code from the person's authenticator app."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect("two-factor")
    if request.user.is_verified():
        return redirect(_next_url(request) or "home")
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        _signed_in_with(request, form.device)
        return redirect(_next_url(request) or "home")
    return render(
        request,
        "recovery/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
    )


@two_factor_exempt
def manage(request: AuthedRequest) -> HttpResponse:
    """Settings for two-step sign-in: turn it on (with the secret and QR code),
    or see that it is on and, where it is optional, turn it off."""
    return _manage_page(request)


def _manage_page(request: AuthedRequest, form: CodeForm | None = None) -> HttpResponse:
    user = request.user
    device = confirmed_device(user)
    pending = None
    if device is None:
        pending = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    context = {
        "device": device,
        "pending": pending,
        "required": is_required_for(user),
        "next": _next_url(request),
        "form": form or CodeForm(device=device or pending),
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
def start(request: AuthedRequest) -> HttpResponse:
    """Make a new secret for the person to add to their app (not on until a code
    from it works)."""
    user = request.user
    if confirmed_device(user) is None:
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return redirect(_with_next("two-factor", request))


@two_factor_exempt
@require_POST
def confirm(request: AuthedRequest) -> HttpResponse:
    """Switch the app on once it has shown a code that works."""
    user = request.user
    pending = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if pending is None or confirmed_device(user) is not None:
        return redirect("two-factor")
    form = CodeForm(request.POST, device=pending)
    if not form.is_valid():
        return _manage_page(request, form)
    device = form.device
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _signed_in_with(request, device)
    messages.success(
        request,
        _(
            "Two-step sign-in is on. Next time you sign in, "
            "you will be asked for a code from your app."
        ),
    )
    return redirect(_next_url(request) or "two-factor")


@two_factor_exempt
@require_POST
def turn_off(request: AuthedRequest) -> HttpResponse:
    """Turn two-step sign-in off, with a current code (only where it is optional)."""
    user = request.user
    device = confirmed_device(user)
    if device is None:
        return redirect("two-factor")
    if is_required_for(user):
        messages.error(request, _("Two-step sign-in stays on for your role."))
        return redirect("two-factor")
    form = CodeForm(request.POST, device=device)
    if not form.is_valid():
        return _manage_page(request, form)
    TOTPDevice.objects.filter(user=user).delete()
    request.session[SESSION_KEY] = NOTHING
    messages.success(request, _("Two-step sign-in is off."))
    return redirect("two-factor")


def _with_next(name: str, request: HttpRequest) -> str:
    url = reverse(name)
    target = _next_url(request)
    return f"{url}?{urlencode({'next': target})}" if target else url


urlpatterns = [
    path("account/two-step/", manage, name="two-factor"),
    path("account/two-step/start/", start, name="two-factor-start"),
    path("account/two-step/confirm/", confirm, name="two-factor-confirm"),
    path("account/two-step/off/", turn_off, name="two-factor-off"),
    path("account/two-step/verify/", verify, name="two-factor-verify"),
]
