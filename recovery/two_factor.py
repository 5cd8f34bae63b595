"""Two-step sign-in with an authenticator app (TOTP, through django-otp).

Anyone may turn it on from their settings; supporters and coordinators must when
`settings.REQUIRE_STAFF_2FA` is on. After the password, a person with an app set
up is asked for its six-digit code before any page (recovery.middleware
.TwoFactorMiddleware); a supporter or coordinator without one is sent to set it up.

Setting up shows the secret as text and as an otpauth link, and as a QR code: an
SVG made on the server by segno, shown as a data: image (no script, nothing
fetched from elsewhere). The app is only switched on once it has shown a code
that works.

Backup codes (django-otp's static device) are for a lost or forgotten phone: ten,
shown once when the app is switched on and whenever the person makes new ones,
each working once in place of the app's code. Only a keyed hash of each is
stored, so a copy of the database holds no code that works.
"""

from __future__ import annotations

import base64
import math
import secrets
from urllib.parse import urlencode

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery.decorators import two_factor_exempt
from recovery.models import Role, User
from recovery.types import AuthedRequest

# What a signed-in person still owes, kept in their session: "verify" (enter a
# code), "setup" (staff who must set an app up first) or "" (nothing).
SESSION_KEY = "_two_factor"
VERIFY, SETUP, NOTHING = "verify", "setup", ""
DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
# Ten letters and digits, none that look alike (no 0/o, 1/l/i): about 49 bits each.
BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BACKUP_CODE_LENGTH = 10


def is_required_for(user: User) -> bool:
    """Whether this person may not use the planner without two-step sign-in."""
    return settings.REQUIRE_STAFF_2FA and user.role in {
        Role.SUPPORTER,
        Role.COORDINATOR,
    }


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def backup_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def _backup_stored(code: str) -> str:
    """What the database keeps of a backup code: a hash keyed with SECRET_KEY, so
    neither a copy of the table nor a guess at 49 bits without the key finds it."""
    digest = salted_hmac("recovery.two_factor.backup", code, algorithm="sha256")
    return digest.hexdigest()[:16]


def _backup_normal(typed: str) -> str:
    return "".join(typed.lower().split()).replace("-", "")


@transaction.atomic
def backup_codes_make(user: User) -> list[str]:
    """New backup codes for this person, the old ones no longer working. The codes
    themselves are returned to be shown once; they are not kept."""
    device = StaticDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [
        "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
        for _ in range(BACKUP_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=_backup_stored(code)) for code in codes
    )
    half = BACKUP_CODE_LENGTH // 2
    return [f"{code[:half]}-{code[half:]}" for code in codes]


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


def _signed_in_with(request: HttpRequest, device: Device) -> None:
    django_otp.login(request, device)
    # Passing the second step is a new level of trust: a new session key for it.
    request.session.cycle_key()
    request.session[SESSION_KEY] = VERIFY


# --- Forms -----------------------------------------------------------------------


class CodeForm(forms.Form):
    """A code from the person's app, or, where `backup` is given (signing in,
    turning it off), one of their backup codes instead."""

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

    def __init__(
        self,
        *args,
        device: TOTPDevice | None,
        backup: StaticDevice | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.device: Device | None = device
        self.backup = backup
        self.used_backup = False
        if backup is not None:
            field = self.fields["code"]
            field.label = gettext_lazy("The code your app shows now, or a backup code")
            field.max_length = 24
            field.validators = [
                validator
                for validator in field.validators
                if not isinstance(validator, MaxLengthValidator)
            ] + [MaxLengthValidator(24)]
            field.widget.attrs = {"autocomplete": "one-time-code", "maxlength": "24"}

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if code.isdigit():
            return code
        if self.backup is not None:
            backup = _backup_normal(code)
            if len(backup) == BACKUP_CODE_LENGTH and backup.isalnum():
                self.used_backup = True
                return backup
            raise forms.ValidationError(
                _(
                    "Enter the 6-digit code from your app, or one of your backup "
                    "codes (ten letters and digits)."
                )
            )
        raise forms.ValidationError(_("The code is made of digits only."))

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("code")
        if code is None or self.device is None:
            return cleaned
        if self.used_backup:
            model, token = StaticDevice, _backup_stored(code)
            pk = self.backup.pk  # type: ignore[union-attr]
        else:
            model, token, pk = TOTPDevice, code, self.device.pk
        # The failure count that django-otp raises on a wrong code must be
        # committed: raising inside the atomic block would roll it back and let
        # codes be guessed without limit. So check inside the lock, answer after.
        with transaction.atomic():
            device = model.objects.select_for_update().filter(pk=pk).first()
            if device is None:  # turned off in another tab
                raise forms.ValidationError(
                    _("Two-step sign-in was turned off meanwhile. Please start again.")
                )
            allowed, why = device.verify_is_allowed()
            worked = allowed and device.verify_token(token)
        if not allowed:
            raise self._wait_error(why)
        if not worked and self.used_backup:
            raise forms.ValidationError(
                _(
                    "That backup code did not work. Each one works once: "
                    "try another from your list."
                )
            )
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
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = backup_codes_make(user)
    _signed_in_with(request, device)
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
def turn_off(request: AuthedRequest) -> HttpResponse:
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
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
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
    path(
        "account/two-step/backup-codes/",
        backup_codes_renew,
        name="two-factor-backup-codes",
    ),
]
