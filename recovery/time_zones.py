"""Choosing a time zone in plain words: the programme's usual zones first, then
every place grouped by region ("New York (UTC−4)"), never a flat list of 400 IANA
names.

The names come from the IANA database itself: "America/Argentina/Buenos_Aires" is
read as "Buenos Aires, Argentina". The offset is the one in force now, so a person
choosing in July sees summer time, as their clock does.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The IANA regions people live in, in the order the list shows them. Legacy
# aliases ("US/Eastern", "Etc/GMT+5", "EST5EDT") are left out: each of them is
# also a place here under its own name.
REGIONS = {
    "Africa": _("Africa"),
    "America": _("The Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}
UTC = "UTC"


@functools.cache
def zones_by_region() -> dict[str, tuple[str, ...]]:
    """Every place's zone name, by region (read from the system's time zone
    database once per process)."""
    found: dict[str, list[str]] = {region: [] for region in REGIONS}
    for zone in zoneinfo.available_timezones():
        region = zone.split("/", 1)[0]
        if region in found and "/" in zone:
            found[region].append(zone)
    return {region: tuple(zones) for region, zones in found.items()}


def is_known(zone: str) -> bool:
    """A zone the list offers: a place in a region, or UTC."""
    region = zone.split("/", 1)[0]
    return zone == UTC or zone in zones_by_region().get(region, ())


def place_name(zone: str) -> str:
    """ "America/New_York" -> "New York"; "America/Argentina/Buenos_Aires" ->
    "Buenos Aires, Argentina"; "UTC" stays "UTC"."""
    parts = [part.replace("_", " ") for part in zone.split("/")[1:]]
    if not parts:
        return zone
    return ", ".join(reversed(parts))


def offset_words(zone: str, now: datetime | None = None) -> str:
    """The zone's offset from UTC now: "UTC−4", "UTC+5:30", "UTC"."""
    now = now or timezone.now()
    offset = now.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    minutes = round(offset.total_seconds() / 60) if offset else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"  # a real minus sign, read as "minus"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02}" if rest else "")


def zone_label(zone: str, now: datetime | None = None) -> str:
    if zone == UTC:
        return str(_("UTC (Coordinated Universal Time)"))
    return f"{place_name(zone)} ({offset_words(zone, now)})"


def time_zone_choices(
    now: datetime | None = None, *, also: str = ""
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for a time zone <select>, in <optgroup>s: the programme's usual
    zones first (settings.USUAL_TIME_ZONES, in the order given), then each region's
    places by name, then UTC. `also` keeps a zone the list would not offer (an
    older alias a person already has) selectable as it is."""
    now = now or timezone.now()
    usual = list(dict.fromkeys(settings.USUAL_TIME_ZONES))
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    if also and not is_known(also) and also not in usual:
        groups.append((str(_("Your time zone now")), [(also, also.replace("_", " "))]))
    groups.append(
        (
            str(_("Usual for this programme")),
            [(zone, zone_label(zone, now)) for zone in usual],
        )
    )
    for region, words in REGIONS.items():
        places = sorted(
            (zone for zone in zones_by_region()[region] if zone not in usual),
            key=lambda zone: place_name(zone).casefold(),
        )
        if places:
            groups.append(
                (str(words), [(zone, zone_label(zone, now)) for zone in places])
            )
    if UTC not in usual:
        groups.append((str(_("Other")), [(UTC, zone_label(UTC, now))]))
    return groups


class TimeZoneField(forms.ChoiceField):
    """A time zone chosen from the grouped list; anything else is refused in
    words."""

    default_error_messages = {
        "required": _("Please choose your time zone."),
        "invalid_choice": _(
            "“%(value)s” is not a time zone we know. Please choose the place "
            "nearest you from the list."
        ),
    }

    def __init__(self, *, also: str = "", **kwargs) -> None:
        kwargs.setdefault("label", _("Time zone"))
        kwargs.setdefault(
            "help_text",
            _("Choose the place nearest you, or one that keeps the same time."),
        )
        super().__init__(choices=time_zone_choices(also=also), **kwargs)
