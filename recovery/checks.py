"""Our own deploy checks (`manage.py check --deploy`), beside Django's.

Each warns of a setting that is right in some deployments and a hole in others;
README's deploy notes say when each is right.
"""

from urllib.parse import urlsplit

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


@checks.register(checks.Tags.security, deploy=True)
def site_url_for_emails(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The links in every email start with SITE_URL: left at `make run`'s default,
    or on plain http, they lead nowhere or in the clear."""
    if settings.DEBUG:
        return []
    url = urlsplit(settings.SITE_URL)
    if url.scheme == "https" and url.hostname not in {"localhost", "127.0.0.1", "::1"}:
        return []
    return [
        checks.Warning(
            f"SITE_URL is {settings.SITE_URL!r}: the links in emails must lead to "
            "the planner's own https:// address.",
            hint="Set SITE_URL to the address people use, e.g. "
            "https://planner.example.org.",
            id="recovery.W003",
        )
    ]
