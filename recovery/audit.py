"""The audit log: who saw whose data, refused attempts, sign-ins and sign-outs.

Views call `viewed` (one member) or `viewed_many` (a list of members) whenever a
page or fragment shows a member's data to someone else; the event is written in
the same request, before the page is sent, so nothing is shown unrecorded. Sign-ins
and sign-outs are recorded by the signal receivers below, refusals (403 and 404 to
a signed-in person) by `RefusalAuditMiddleware`.

The log names no member: people are pseudonyms (`pseudonym`), and only
supporters' and coordinators' names are kept, so a member can read who looked.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db.models import Count, Max, Min, QuerySet
from django.db.models.functions import TruncDate
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from recovery.models import (
    STAFF_ROLE_WORDS,
    AuditEvent,
    AuditKind,
    Seen,
    User,
    pseudonym,
    seen_in_words,
    who_in_words,
)
from recovery.security import client_ip

__all__ = [
    "AuditKind",
    "DayOfViews",
    "days_of_views",
    "views_by_day",
    "last_visit",
    "RefusalAuditMiddleware",
    "Seen",
    "network_of",
    "pseudonym",
    "record",
    "viewed",
    "viewed_many",
]

REFUSALS = {403, 404}


def network_of(address: str) -> str:
    """The network an address belongs to: IPv4 to /24, IPv6 to /48.

    Truncated rather than hashed: an IPv4 hash can be reversed by trying all four
    billion addresses, and a hash tells a coordinator nothing. The network still
    shows many failed sign-ins coming from one place, without pointing at one
    person's home connection.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def _signed_in(request: HttpRequest | None) -> User | None:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _event(
    request: HttpRequest | None,
    *,
    kind: AuditKind,
    actor: User | None,
    subject_key: str = "",
    what: str = "",
    status: int | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    return AuditEvent(
        **_event_fields(
            request, kind=kind, actor=actor, what=what, status=status, at=at
        ),
        subject_key=subject_key,
    )


# URL parameters that are secrets (invitation, set-your-password, password-reset and
# reminder-stop links): the log keeps the URL pattern in their place.
SECRET_URL_PARAMETERS = frozenset({"token", "uidb64"})


def path_kept(request: HttpRequest) -> str:
    """The path an event keeps: never a query string (it may carry what someone
    typed), and for a link that carries a token, its pattern
    ("/invite/<str:token>/") rather than the token, which may still work."""
    match = getattr(request, "resolver_match", None)
    if (
        match is not None
        and match.route
        and SECRET_URL_PARAMETERS & match.kwargs.keys()
    ):
        return "/" + match.route
    return request.path


def _event_fields(
    request: HttpRequest | None,
    *,
    kind: AuditKind,
    actor: User | None,
    what: str = "",
    status: int | None = None,
    at: datetime | None = None,
) -> dict:
    """An event's fields but its subject: the same for every member a list shows."""
    staff = actor is not None and actor.role in STAFF_ROLE_WORDS
    return {
        "kind": kind,
        "at": at or timezone.now(),
        "actor_key": pseudonym(actor) if actor is not None else "",
        "actor_name": str(actor)[:150] if staff else "",
        "actor_role": actor.role if staff else "",
        "what": str(what)[:80],
        "path": path_kept(request)[:300] if request is not None else "",
        "status": status,
        "network": network_of(client_ip(request)) if request is not None else "",
    }


def record(
    request: HttpRequest | None,
    *,
    kind: AuditKind,
    subject: User | int | None = None,
    what: str = "",
    actor: User | None = None,
    status: int | None = None,
    path: str | None = None,
) -> AuditEvent:
    """Write one event now. The actor is the signed-in person unless given; the
    subject (whose data or account it is about) may be a user or a user's id, so
    an event can be written for an account being deleted. `path` stands in for
    the request's own where that carries a token."""
    event = _event(
        request,
        kind=kind,
        actor=actor or _signed_in(request),
        subject_key=pseudonym(subject) if subject is not None else "",
        what=what,
        status=status,
    )
    if path is not None:
        event.path = path[:300]
    event.save()
    return event


def viewed(request: HttpRequest, member: User, what: Seen | str) -> None:
    """Someone opened a page or fragment with this member's data. Nothing is
    written when the member looks at their own."""
    viewer = _signed_in(request)
    if viewer is None or viewer.pk == member.pk:
        return
    record(request, kind=AuditKind.VIEWED, subject=member, what=what, actor=viewer)


def viewed_many(
    request: HttpRequest, members: Iterable[User], what: Seen | str
) -> None:
    """A list (a caseload, the waiting list) showed these members' data: one
    event per member, written in one query."""
    viewer = _signed_in(request)
    if viewer is None:
        return
    shared = _event_fields(request, kind=AuditKind.VIEWED, actor=viewer, what=what)
    events = [
        AuditEvent(**shared, subject_key=pseudonym(member))
        for member in members
        if member.pk != viewer.pk
    ]
    if events:
        AuditEvent.objects.bulk_create(events)


# --- Who viewed my data, by person and day ---------------------------------------


@dataclass(frozen=True)
class KindOfView:
    """One kind of view (a page) within a person's day, how often and when."""

    sentence: str  # "Sam (peer supporter) opened your member page"
    times: int
    first: datetime
    last: datetime


@dataclass(frozen=True)
class DayOfViews:
    """Everything one person saw of a member's data on one of the member's days."""

    day: date
    who: str
    times: int
    last: datetime
    sentence: str  # "Sam (peer supporter) opened your member page 25 times on …"
    kinds: list[KindOfView] = field(default_factory=list)


def views_by_day(member: User) -> QuerySet:
    """Who saw this member's data, one row per person and day (the member's own
    day, in their time zone), newest first: for a Paginator, then
    `days_of_views`. One query a page (and one to count)."""
    return (
        AuditEvent.objects.views_of(member)
        .annotate(day=TruncDate("at", tzinfo=member.zone))
        .values("day", "actor_key", "actor_name", "actor_role")
        .annotate(
            times=Count("pk"),
            last=Max("at"),
            kinds=Count("what", distinct=True),
            one_what=Max("what"),
        )
        .order_by("-day", "-last", "actor_key")
    )


def days_of_views(
    member: User, rows: Iterable[dict], *, detail: bool = False
) -> list[DayOfViews]:
    """The rows of `views_by_day` in words; with `detail`, each with what was
    seen, how often and when (one more query, however many rows)."""
    rows = list(rows)
    kinds: dict[tuple[date, str], list[KindOfView]] = {}
    if detail and rows:
        found = (
            AuditEvent.objects.views_of(member)
            .annotate(day=TruncDate("at", tzinfo=member.zone))
            .filter(
                day__in={row["day"] for row in rows},
                actor_key__in={row["actor_key"] for row in rows},
            )
            .values("day", "actor_key", "actor_name", "actor_role", "what")
            .annotate(times=Count("pk"), first=Min("at"), last=Max("at"))
            .order_by("-last")
        )
        for kind in found:
            who = who_in_words(kind["actor_name"], kind["actor_role"])
            kinds.setdefault((kind["day"], kind["actor_key"]), []).append(
                KindOfView(
                    seen_in_words(kind["what"], who),
                    kind["times"],
                    kind["first"],
                    kind["last"],
                )
            )
    today = timezone.localdate(timezone.now(), member.zone)
    days = []
    for row in rows:
        who = who_in_words(row["actor_name"], row["actor_role"])
        if row["kinds"] == 1:
            said = seen_in_words(row["one_what"], who)
        else:
            said = _("%(who)s looked at your data") % {"who": who}
        day = row["day"]
        when = formats.date_format(day, "l j F" if day.year == today.year else "j F Y")
        sentence = ngettext(
            "%(said)s once on %(day)s",
            "%(said)s %(times)s times on %(day)s",
            row["times"],
        ) % {"said": said, "times": row["times"], "day": when}
        days.append(
            DayOfViews(
                day,
                who,
                row["times"],
                row["last"],
                sentence,
                kinds.get((day, row["actor_key"]), []),
            )
        )
    return days


def last_visit(
    viewer: User, member: User, what: Seen, *, now: datetime, gap: timedelta
) -> datetime | None:
    """When `viewer`'s previous visit to `what` of this member ended: views less
    than `gap` apart are one visit, so the one going on now (however many reloads)
    is passed over. None if the log holds no earlier visit (among the latest 100
    views)."""
    times = (
        AuditEvent.objects.about(member)
        .filter(
            kind=AuditKind.VIEWED, actor_key=pseudonym(viewer), what=what, at__lt=now
        )
        .values_list("at", flat=True)[:100]
    )
    newer = now
    for at in times:
        if newer - at >= gap:
            return at
        newer = at
    return None


# --- Sign-in and sign-out -------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def _on_signed_in(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    record(request, kind=AuditKind.SIGNED_IN, actor=user)


@receiver(user_logged_out, dispatch_uid="audit_signed_out")
def _on_signed_out(
    sender, request: HttpRequest | None, user: User | None, **kwargs
) -> None:
    record(request, kind=AuditKind.SIGNED_OUT, actor=user)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _on_sign_in_failed(
    sender, credentials: dict, request: HttpRequest | None = None, **kwargs
) -> None:
    """A failed sign-in, tied to the account tried when it exists. Only the
    username is read; the password never reaches the log."""
    people = get_user_model()
    username = credentials.get(people.USERNAME_FIELD)
    pk = None
    if isinstance(username, str) and username:
        pk = (
            people._default_manager.filter(**{people.USERNAME_FIELD: username})
            .values_list("pk", flat=True)
            .first()
        )
    record(request, kind=AuditKind.SIGN_IN_FAILED, subject=pk)


# --- Refusals -------------------------------------------------------------------


class RefusalAuditMiddleware:
    """Record every 403 and 404 answered to a signed-in person: someone reaching for
    a page that is not theirs. Whose data it would have been is not known, so only
    the path is kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code in REFUSALS
            and _signed_in(request) is not None
            # A missing image or style sheet is not an attempt on anyone's data.
            and not request.path.startswith(settings.STATIC_URL)
        ):
            record(request, kind=AuditKind.REFUSED, status=response.status_code)
        return response
