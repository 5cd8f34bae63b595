"""Download my data: everything a member owns, as a ZIP streamed while it is written.

The archive holds `data.json` (every kind of the member's rows, one list each),
CSV files of their check-ins, goals and steps for a spreadsheet, and `README.txt`
describing every field. Memory stays the same for any length of history: rows
are read a chunk at a time (`.iterator(chunk_size=...)`), the JSON document is
written row by row, and the ZIP writer fills a small buffer that is handed to the
response and emptied as soon as it holds `CHUNK_BYTES`.

`goals` exports its own models here; apps built on it add theirs to
`goals.extensions.exports`.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals import extensions
from goals.extensions import Export
from goals.models import (
    CheckIn,
    Consent,
    Goal,
    JourneyEvent,
    MeasureChoice,
    MeasureResult,
    Plan,
    PlanItem,
    PlanVersion,
    Reminder,
    Sharing,
    Step,
    Strength,
    WellnessTool,
)
from recovery.models import Notification, NotificationChoice, OutgoingEmail, User

# Hand the response a piece of the archive once this much is waiting.
CHUNK_BYTES = 64 * 1024
# Rows fetched from the database at a time.
ROWS_PER_QUERY = 500

YOU = gettext_lazy("you: every row here is yours")

OWN_EXPORTS = [
    Export(
        key="account",
        model=User,
        rows=lambda member: User.objects.filter(pk=member.pk),
        about=gettext_lazy("Your account."),
        fields=(
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "time_zone",
            "role",
            "date_joined",
            "last_login",
        ),
        left_out={
            "password": gettext_lazy(
                "a one-way scramble of your password, which nobody can read back"
            ),
            "is_active": gettext_lazy("the app's own bookkeeping"),
            "is_staff": gettext_lazy("the app's own bookkeeping"),
            "is_superuser": gettext_lazy("the app's own bookkeeping"),
            "groups": gettext_lazy("the app's own bookkeeping"),
            "user_permissions": gettext_lazy("the app's own bookkeeping"),
        },
        single=True,
    ),
    Export(
        key="sharing",
        model=Sharing,
        rows=lambda member: Sharing.objects.filter(member=member),
        about=gettext_lazy(
            "What you share with your peer supporter by default. Empty if you never "
            "changed the starting choices."
        ),
        left_out={"member": YOU},
        single=True,
    ),
    Export(
        key="consents",
        model=Consent,
        rows=lambda member: Consent.objects.for_user(member).order_by("given_at"),
        about=gettext_lazy("Each consent you gave, and when you withdrew it."),
        left_out={"member": YOU},
    ),
    Export(
        key="strengths",
        model=Strength,
        rows=lambda member: Strength.all_objects.for_user(member).order_by("pk"),
        about=gettext_lazy("Your strengths."),
        left_out={"member": YOU},
    ),
    Export(
        key="wellness_tools",
        model=WellnessTool,
        rows=lambda member: WellnessTool.all_objects.for_user(member).order_by("pk"),
        about=gettext_lazy("What helps you: your wellness tools."),
        left_out={"member": YOU},
    ),
    Export(
        key="goals",
        model=Goal,
        rows=lambda member: Goal.objects.for_user(member).order_by("created_at", "pk"),
        about=gettext_lazy("Your goals, oldest first."),
        left_out={"member": YOU},
        csv=True,
    ),
    Export(
        key="steps",
        model=Step,
        rows=lambda member: Step.all_objects.for_user(member).order_by(
            "goal_id", "created_at", "pk"
        ),
        about=gettext_lazy("The steps of your goals."),
        csv=True,
    ),
    Export(
        key="checkins",
        model=CheckIn,
        rows=lambda member: CheckIn.objects.for_user(member).order_by("day"),
        about=gettext_lazy("Your check-ins, one a day at most, oldest first."),
        left_out={"member": YOU},
        csv=True,
    ),
    Export(
        key="journey",
        model=JourneyEvent,
        rows=lambda member: JourneyEvent.objects.for_user(member).order_by(
            "occurred_at", "pk"
        ),
        about=gettext_lazy("The moments of your journey, as your timeline shows them."),
        left_out={"member": YOU},
    ),
    Export(
        key="plans",
        model=Plan,
        rows=lambda member: Plan.objects.for_user(member).order_by("kind"),
        about=gettext_lazy(
            "Your safety plan and wellness plan, once started: whether each is "
            "shared with your peer supporter, and when you last changed it."
        ),
        left_out={"member": YOU},
    ),
    Export(
        key="plan_items",
        model=PlanItem,
        rows=lambda member: PlanItem.objects.for_user(member).order_by(
            "plan_id", "section", "position", "pk"
        ),
        about=gettext_lazy(
            "What your plans say: each item, the part of the plan it is in, and "
            "its place in that part's list."
        ),
    ),
    Export(
        key="plan_versions",
        model=PlanVersion,
        rows=lambda member: PlanVersion.objects.for_user(member).order_by(
            "plan_id", "day"
        ),
        about=gettext_lazy(
            "Earlier versions of your plans: each day you changed a plan, the "
            "whole plan as it stood at the end of that day."
        ),
    ),
    Export(
        key="reminder",
        model=Reminder,
        rows=lambda member: Reminder.objects.filter(member=member),
        about=gettext_lazy("Your check-in reminder: on or off, the days and the time."),
        fields=("on", "weekdays", "at", "paused_until", "updated_at"),
        left_out={"id": gettext_lazy("our own numbering"), "member": YOU},
        single=True,
    ),
    Export(
        key="questionnaires_chosen",
        model=MeasureChoice,
        rows=lambda member: MeasureChoice.objects.for_user(member).order_by("pk"),
        about=gettext_lazy(
            "The recovery questionnaires you chose to answer, and how often."
        ),
        fields=("measure", "every_months", "notified_for", "created_at", "updated_at"),
        left_out={"id": gettext_lazy("our own numbering"), "member": YOU},
    ),
    Export(
        key="questionnaire_answers",
        model=MeasureResult,
        rows=lambda member: MeasureResult.objects.for_user(member).order_by(
            "started_at", "pk"
        ),
        about=gettext_lazy(
            "Each time you answered a recovery questionnaire, oldest first: your "
            "answer to each statement (numbered as on the questionnaire), the total, "
            "and the day. One without a finished time is still in progress."
        ),
        left_out={
            "member": YOU,
            "position": gettext_lazy("which statement an unfinished one is at"),
        },
        csv=True,
    ),
    Export(
        key="notifications",
        model=Notification,
        rows=lambda member: Notification.objects.filter(recipient=member).order_by(
            "created_at", "pk"
        ),
        about=gettext_lazy(
            "What the planner told you under its bell: the kind, who, and when you "
            "read it."
        ),
        fields=("kind", "actor", "url", "created_at", "read_at"),
        left_out={"id": gettext_lazy("our own numbering"), "recipient": YOU},
    ),
    Export(
        key="notification_choices",
        model=NotificationChoice,
        rows=lambda member: NotificationChoice.objects.filter(user=member),
        about=gettext_lazy(
            "What you chose to hear about, in the planner and by email."
        ),
        fields=("kind", "in_app", "by_email"),
        left_out={"id": gettext_lazy("our own numbering"), "user": YOU},
    ),
    Export(
        key="emails",
        model=OutgoingEmail,
        rows=lambda member: OutgoingEmail.objects.filter(user=member).order_by(
            "created_at", "pk"
        ),
        about=gettext_lazy(
            "The emails the planner sent you or tried to: their kind and dates. "
            "They carried only a link, never what you wrote."
        ),
        fields=("kind", "status", "created_at", "sent_at", "attempts"),
        left_out={
            "id": gettext_lazy("our own numbering"),
            "user": YOU,
            "invitation": gettext_lazy(
                "an invitation's email, before there was an account: not yours"
            ),
            "key": gettext_lazy("how we make sure each is sent once"),
            "params": gettext_lazy("the ids of what it was about"),
            "next_attempt_at": gettext_lazy("when a failed one would be tried again"),
            "last_error": gettext_lazy("the kind of error of a failed attempt"),
        },
    ),
]


def all_exports() -> list[Export]:
    return [*OWN_EXPORTS, *extensions.exports]


def columns(export: Export) -> list[models.Field]:
    """The fields written for `export`, the id first, then in declaration order."""
    meta = export.model._meta
    if export.fields is not None:
        return [meta.get_field(name) for name in export.fields]
    every = sorted(
        [*meta.concrete_fields, *meta.many_to_many], key=lambda f: f.creation_counter
    )
    every.sort(key=lambda f: not f.primary_key)
    return [f for f in every if f.name not in export.left_out]


def _is_person(field: models.Field) -> bool:
    return field.is_relation and field.related_model is User


def _queryset(export: Export, member: User) -> models.QuerySet:
    """The member's rows with the people and lists they name, in a fixed number of
    queries per chunk of rows."""
    fields = columns(export)
    rows = export.rows(member)
    people = [f.name for f in fields if _is_person(f) and not f.many_to_many]
    lists = [f for f in fields if f.many_to_many]
    if people:
        rows = rows.select_related(*people)
    if lists:
        # Every row a list names, also one removed from the member's own list but
        # kept (a tool a past check-in ticked): the download holds what is stored.
        rows = rows.prefetch_related(
            *(Prefetch(f.name, f.related_model._base_manager.all()) for f in lists)
        )
    return rows


def _rows(export: Export, member: User) -> Iterator[models.Model]:
    return _queryset(export, member).iterator(chunk_size=ROWS_PER_QUERY)


def _value(obj: models.Model, field: models.Field, member: User) -> object:
    if field.many_to_many:
        return [str(related) for related in getattr(obj, field.name).all()]
    if _is_person(field):
        person = getattr(obj, field.name)
        return person.display_name if person is not None else None
    if field.is_relation:
        return getattr(obj, field.attname)
    value = field.value_from_object(obj)
    if isinstance(value, datetime):
        return timezone.localtime(value, member.zone).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def row_dict(obj: models.Model, fields: list[models.Field], member: User) -> dict:
    return {field.name: _value(obj, field, member) for field in fields}


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        # A spreadsheet would run it as a formula; a leading ' shows it as text.
        return "'" + value
    return value


class _Pipe(io.RawIOBase):
    """Where the ZIP writer writes: bytes wait here until the response takes them.

    It cannot seek, so zipfile writes each entry's sizes after its data, and never
    needs to go back.
    """

    def __init__(self) -> None:
        self._waiting = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._waiting += data
        return len(data)

    def __len__(self) -> int:
        return len(self._waiting)

    def drain(self) -> bytes:
        data = bytes(self._waiting)
        self._waiting.clear()
        return data


def filename(member: User) -> str:
    return f"my-recovery-planner-data-{member.local_date():%Y-%m-%d}.zip"


def archive_chunks(member: User) -> Iterator[bytes]:
    """The member's download, a piece at a time."""
    exports = all_exports()
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(member, exports))
        with archive.open("data.json", "w", force_zip64=True) as out:
            for text in _json_pieces(member, exports):
                out.write(text.encode())
                if len(pipe) >= CHUNK_BYTES:
                    yield pipe.drain()
        for export in exports:
            if not export.csv:
                continue
            with archive.open(f"{export.key}.csv", "w", force_zip64=True) as out:
                # With a byte-order mark, spreadsheets read the file as UTF-8.
                text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
                writer = csv.writer(text)
                fields = columns(export)
                writer.writerow([field.name for field in fields])
                for obj in _rows(export, member):
                    row = row_dict(obj, fields, member)
                    writer.writerow([_csv_cell(value) for value in row.values()])
                    if len(pipe) >= CHUNK_BYTES:
                        text.flush()
                        yield pipe.drain()
                text.flush()
                text.detach()
            yield pipe.drain()
    # Closing the archive wrote its table of contents.
    yield pipe.drain()


def _json_pieces(member: User, exports: list[Export]) -> Iterator[str]:
    """data.json as a stream of small strings: never the whole document at once."""

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    about = {
        "downloaded_at": timezone.localtime(timezone.now(), member.zone).isoformat(),
        "time_zone": member.time_zone,
        "fields_described_in": "README.txt",
    }
    yield "{\n" + f'  "about": {dump(about)}'
    for export in exports:
        fields = columns(export)
        yield f",\n  {dump(export.key)}: "
        if export.single:
            first = _queryset(export, member).first()
            yield dump(row_dict(first, fields, member) if first else None)
            continue
        yield "["
        separator = "\n    "
        for obj in _rows(export, member):
            yield separator + dump(row_dict(obj, fields, member))
            separator = ",\n    "
        yield "\n  ]" if separator != "\n    " else "]"
    yield "\n}\n"


def _describe(field: models.Field, keys: dict[type[models.Model], str]) -> str:
    words = str(field.verbose_name)
    if field.primary_key:
        words = _("the number of this row; other rows refer to it by this number")
    elif field.many_to_many:
        words += " " + _("(a list of names)")
    elif _is_person(field):
        words += " " + _("(the person's first name)")
    elif field.is_relation:
        target = keys.get(field.related_model, "")
        words += " " + (
            _("(the id of a row in “%(list)s”)") % {"list": target}
            if target
            else _("(the id of a row)")
        )
    if field.help_text:
        words += ". " + str(field.help_text)
    if field.choices and not field.is_relation:
        codes = "; ".join(f"{code} = {label}" for code, label in field.choices)
        words += ". " + _("One of: %(codes)s") % {"codes": codes}
    return words


def readme(member: User, exports: list[Export]) -> str:
    """README.txt: what the download holds, how values are written, every field."""
    keys = {export.model: export.key for export in exports}
    csv_files = ", ".join(f"{e.key}.csv" for e in exports if e.csv)
    lines = [
        _("Your data from the recovery planner"),
        "",
        _("Downloaded for %(name)s.") % {"name": member.username},
        "",
        _("What is in this download"),
        "- data.json: " + _("everything that is yours, one named list for each kind."),
        f"- {csv_files}: "
        + _("the same rows as in data.json, to open in a spreadsheet."),
        "- README.txt: " + _("this description."),
        "",
        _("How values are written"),
        "- "
        + _(
            "Times are in your time zone (%(zone)s), like 2026-06-17T09:30:00+02:00; "
            "days are like 2026-06-17."
        )
        % {"zone": member.time_zone},
        "- "
        + _(
            "Another person is written by first name; another row of yours by its "
            "id, the “id” in its list."
        ),
        "- "
        + _(
            "In CSV files, lists are separated by “; ”, yes and no are written as "
            "words, and an empty cell means not set. A cell that would start with "
            "= + - or @ starts with ' instead, so a spreadsheet shows it as text."
        ),
        "",
        _("What is not in it"),
        "- "
        + _(
            "Notes your peer supporter keeps for supporters' records, not shared "
            "with you. Ask your coordinator if you would like to see them."
        ),
        "- "
        + _("Anything of another member, and the fields listed as left out below."),
        "",
        _("Every list and its fields"),
    ]
    for export in exports:
        where = f"data.json “{export.key}”"
        if export.csv:
            where += f", {export.key}.csv"
        lines += ["", f"{export.key} ({where})", f"  {export.about}"]
        for field in columns(export):
            lines.append(f"  - {field.name}: {_describe(field, keys)}")
        for name, why in export.left_out.items():
            lines.append(f"  - {name}: " + _("left out: %(why)s") % {"why": why})
    return "\n".join(lines) + "\n"
