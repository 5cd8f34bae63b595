"""Our own deploy checks (`manage.py check --deploy`), beside Django's.

Each warns of a setting that is right in some deployments and a hole in others;
README's deploy notes say when each is right.
"""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def staff_two_step_sign_in(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG or settings.REQUIRE_STAFF_2FA:
        return []
    return [
        checks.Warning(
            "REQUIRE_STAFF_2FA is off with DEBUG off: supporters and coordinators "
            "can sign in with a password alone.",
            hint="Unset REQUIRE_STAFF_2FA (it is on by default in production) or "
            "set it to 1.",
            id="recovery.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def forwarded_addresses_trusted(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if settings.TRUSTED_PROXY_COUNT <= 0:
        return []
    return [
        checks.Warning(
            f"TRUSTED_PROXY_COUNT is {settings.TRUSTED_PROXY_COUNT}: the sign-in "
            "lockout takes the address from X-Forwarded-For, which a client that "
            "reaches the app directly (not through the proxies) can write itself.",
            hint="Right only when every request comes through exactly that many "
            "reverse proxies and the app is unreachable otherwise (README, "
            "'Reverse proxy').",
            id="recovery.W002",
        )
    ]
