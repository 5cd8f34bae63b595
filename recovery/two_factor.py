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

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery.models import Role, User

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


def backup_code_stored(code: str) -> str:
    """What the database keeps of a backup code: a hash keyed with SECRET_KEY, so
    neither a copy of the table nor a guess at 49 bits without the key finds it."""
    digest = salted_hmac("recovery.two_factor.backup", code, algorithm="sha256")
    return digest.hexdigest()[:16]


def backup_code_normal(typed: str) -> str:
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
