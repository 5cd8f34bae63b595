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

This module holds the rules; the pages are recovery.views.two_factor and the
code's form is recovery.forms.CodeForm.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery.models import User

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
    return settings.REQUIRE_STAFF_2FA and user.has_staff_role


def confirmed_device(user: User) -> TOTPDevice | None:
    """The person's app, once it is on."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice | None:
    """The app being set up: its secret made, no code from it shown yet."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).first()


def backup_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def backup_code_stored(code: str) -> str:
    """What the database keeps of a backup code: a hash keyed with SECRET_KEY, so
    neither a copy of the table nor a guess at 49 bits without the key finds it."""
    digest = salted_hmac("recovery.two_factor.backup", code, algorithm="sha256")
    return digest.hexdigest()[:16]


def backup_code_normal(typed: str) -> str:
    """A backup code as typed ("ABCDE-fghjk ") as it was made ("abcdefghjk")."""
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
        StaticToken(device=device, token=backup_code_stored(code)) for code in codes
    )
    half = BACKUP_CODE_LENGTH // 2
    return [f"{code[:half]}-{code[half:]}" for code in codes]


@dataclass(frozen=True)
class CodeCheck:
    """What checking a code found: the device as it is now (None when two-step
    sign-in was turned off meanwhile), whether a try was allowed at all (else
    until when it is not), and whether the code worked."""

    device: Device | None
    allowed: bool = False
    worked: bool = False
    locked_until: datetime | None = None


def code_check(*, device: Device, code: str) -> CodeCheck:
    """Check a code against the person's app (`TOTPDevice`) or, normalised by
    `backup_code_normal`, against their backup codes (`StaticDevice`), under the
    device's row lock, so two tries at once count as two and a backup code works
    once.

    The failure count that django-otp raises on a wrong code must be committed:
    raising inside the atomic block would roll it back and let codes be guessed
    without limit. So the check is made inside the lock and answered after.
    """
    token = backup_code_stored(code) if isinstance(device, StaticDevice) else code
    with transaction.atomic():
        locked = type(device).objects.select_for_update().filter(pk=device.pk).first()
        if locked is None:
            return CodeCheck(device=None)
        allowed, why = locked.verify_is_allowed()
        worked = allowed and locked.verify_token(token)
    return CodeCheck(locked, allowed, worked, (why or {}).get("locked_until"))


@transaction.atomic
def two_factor_start(*, user: User) -> TOTPDevice | None:
    """A new secret for the person to add to their app, in place of any earlier
    one not yet confirmed; not on until a code from it works. None when the app
    is on already."""
    if confirmed_device(user) is not None:
        return None
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def two_factor_confirm(*, user: User, device: TOTPDevice) -> list[str]:
    """Switch the person's app on (it has shown a code that works) and make
    their backup codes, returned to be shown once."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_make(user)


@transaction.atomic
def two_factor_turn_off(*, user: User) -> None:
    """Turn two-step sign-in off: the app and the backup codes stop working."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def owed_at_sign_in(user: User) -> str:
    if confirmed_device(user) is not None:
        return VERIFY
    if is_required_for(user):
        return SETUP
    return NOTHING


def page_owed(request: HttpRequest) -> str | None:
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
