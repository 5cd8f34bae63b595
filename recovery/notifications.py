"""Notifications: the bell in the header, its list, and each person's choices.

Apps name their kinds with `Kind(...)` (peers/notifications.py): the sentence
shown ("%(who)s wrote to you"), who may choose email for it, and whether email is
on before anyone chooses. A change calls `notify(...)` inside its transaction;
the notification is written if the person has that kind on in the app, and an
email (recovery.email, from the worker) goes if they chose email for it. Nothing
anyone wrote is kept in a notification or sent in its email: the actor's first
name and a link.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recovery.email import Letter, email_kind, email_person, sign_in_to_see
from recovery.models import Notification, NotificationChoice, User

PAGE_SIZE = 20


@dataclass(frozen=True)
class Kind:
    key: str
    sentence: str  # lazy text with %(who)s
    choice: str  # lazy text naming the kind on the settings page
    roles: frozenset[str]  # who receives it
    email_roles: frozenset[str] = field(default_factory=frozenset)
    email_default: bool = False


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.key in KINDS:
        raise ValueError(f"notification kind {kind.key!r} is registered twice")
    KINDS[kind.key] = kind
    return kind


def kinds_for(user: User) -> list[Kind]:
    return [kind for kind in KINDS.values() if user.role in kind.roles]


def choices_of(user: User) -> dict[str, tuple[bool, bool]]:
    """Each kind the person receives: (in the app, by email), defaults filled in."""
    made = {c.kind: c for c in NotificationChoice.objects.filter(user=user)}
    chosen = {}
    for kind in kinds_for(user):
        emailable = user.role in kind.email_roles
        if kind.key in made:
            row = made[kind.key]
            chosen[kind.key] = (row.in_app, row.by_email and emailable)
        else:
            chosen[kind.key] = (True, kind.email_default and emailable)
    return chosen


@transaction.atomic
def choices_save(user: User, chosen: dict[str, tuple[bool, bool]]) -> None:
    for kind in kinds_for(user):
        in_app, by_email = chosen.get(kind.key, (True, False))
        NotificationChoice.objects.update_or_create(
            user=user,
            kind=kind.key,
            defaults={
                "in_app": in_app,
                "by_email": by_email and user.role in kind.email_roles,
            },
        )


def email_choose(user: User, kind: str, by_email: bool) -> None:
    """Turn email for one kind on or off (where another page offers that one
    choice), keeping the person's choice for it in the app."""
    spec = KINDS[kind]
    if user.role not in spec.roles:
        raise ValueError(f"{user.role} does not receive {kind}")
    in_app, _by_email = choices_of(user)[kind]
    NotificationChoice.objects.update_or_create(
        user=user,
        kind=kind,
        defaults={
            "in_app": in_app,
            "by_email": by_email and user.role in spec.email_roles,
        },
    )


def notify(
    recipient: User, kind: str, *, actor: User | None, url: str
) -> Notification | None:
    """Tell `recipient`, as they chose for this kind. Returns the notification,
    or None when they turned it off in the app (an email may still go)."""
    spec = KINDS[kind]
    if recipient.role not in spec.roles or not recipient.is_active:
        return None
    in_app, by_email = choices_of(recipient).get(kind, (True, False))
    note = None
    if in_app:
        note = Notification.objects.create(
            recipient=recipient, kind=kind, actor=actor, url=url
        )
    if by_email:
        # Once per notification; without one (off in the app), once per event.
        key = f"{kind}-{note.pk}" if note else f"{kind}-{uuid.uuid4().hex}"
        email_person(
            recipient,
            "notification",
            key,
            {"kind": kind, "actor_id": actor.pk if actor else None, "url": url},
        )
    return note


def sentence(note: Notification) -> str:
    who = note.actor.display_name if note.actor else _("Someone")
    return KINDS[note.kind].sentence % {"who": who}


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user: User, pk: int) -> Notification | None:
    note = Notification.objects.filter(recipient=user, pk=pk).first()
    if note is not None and note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return note


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@email_kind("notification")
def _notification_email(person: User, params: dict) -> Letter | None:
    """Names nobody: a subject shows on a lock screen and in a shared inbox, and a
    name there ties the reader to a person and to peer support. The app says who."""
    spec = KINDS.get(params.get("kind", ""))
    if spec is None:
        return None
    return Letter(
        str(spec.choice), sign_in_to_see(_("what is new"), params.get("url", "/"))
    )
