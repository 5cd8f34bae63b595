"""The safety plan and the wellness plan: what each part is for, the rules for
changing a plan, and the reads its pages make.

Both plans are one design: a `Plan` of short lists (`PlanItem`) in sections, in
the member's own words, each list added to, reordered and removed from, and a
`PlanVersion` snapshot of the whole plan for each day it changed (the model says
why a version is a day). Every change goes through a service here, which locks the
plan's row, so two tabs moving items at once take turns, and rewrites the day's
version in the same transaction.

A plan is private until the member shares it; a supporter reads it through
`peers.access`, never here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from goals.models import (
    PHONE_SECTIONS,
    PLAN_SECTIONS,
    Plan,
    PlanItem,
    PlanKind,
    PlanSection,
    PlanVersion,
    WellnessTool,
    tel_of,
)
from recovery.models import User

# A short list is one a person can take in on a hard day, and a plan of short
# lists prints on one page: a section holds at most this many items.
ITEMS_PER_SECTION = 10


@dataclass(frozen=True)
class SectionWords:
    """What a section is for, in our own words, and what its add box is called."""

    hint: Promise
    label: Promise


SECTION_WORDS = {
    PlanSection.REASONS: SectionWords(
        _("People, hopes and things I still want to see or do: what keeps me going."),
        _("A reason of mine"),
    ),
    PlanSection.WARNING_SIGNS: SectionWords(
        _("Thoughts, feelings or things I do that tell me a hard time may be coming."),
        _("A warning sign"),
    ),
    PlanSection.ON_MY_OWN: SectionWords(
        _("What calms me or takes my attention, without needing anyone else."),
        _("Something I can do on my own"),
    ),
    PlanSection.DISTRACTIONS: SectionWords(
        _("Being with them, or there, helps, even without talking about how I feel."),
        _("A person or a place"),
    ),
    PlanSection.HELPERS: SectionWords(
        _("People I can tell how I really am, and ask to help."),
        _("A person I can ask"),
    ),
    PlanSection.PROFESSIONALS: SectionWords(
        _("People whose work is to help, and lines that answer at any hour."),
        _("A professional or a service"),
    ),
    PlanSection.SAFER: SectionWords(
        _("What I can put out of reach or change, and who could help me do it."),
        _("A way to make things safer"),
    ),
    PlanSection.DAILY: SectionWords(
        _("Small things that keep me well when I do them most days."),
        _("Something I do every day"),
    ),
    PlanSection.KNOCKS: SectionWords(
        _("Events or situations that can throw me."),
        _("Something that can knock me off balance"),
    ),
    PlanSection.KNOCKS_PLAN: SectionWords(
        _("How I will look after myself when one of them happens."),
        _("Something I will do when that happens"),
    ),
    PlanSection.EARLY_SIGNS: SectionWords(
        _("Changes that I, or people close to me, may notice first."),
        _("An early sign"),
    ),
    PlanSection.EARLY_SIGNS_PLAN: SectionWords(
        _("How I will get back on track when I notice them."),
        _("Something I will do then"),
    ),
    PlanSection.OTHERS_WHO: SectionWords(
        _("People I would like to step in if I cannot look after myself for a while."),
        _("Someone I would like to step in"),
    ),
    PlanSection.OTHERS_HELPS: SectionWords(
        _("What I would like them to do for me then."),
        _("Something that helps"),
    ),
    PlanSection.OTHERS_NOT: SectionWords(
        _("What I would like them not to do, even with the best intentions."),
        _("Something that does not help"),
    ),
}


# --- What a page shows --------------------------------------------------------------


@dataclass(frozen=True)
class SheetItem:
    """An item as a version kept it (its words and phone number), or a tool of a
    wellness plan's toolbox (its name, and how the member uses it)."""

    text: str
    phone: str = ""
    note: str = ""

    @property
    def tel(self) -> str:
        return tel_of(self.phone)


@dataclass
class SheetSection:
    """One part of a plan with its items (`PlanItem`s, or a version's `SheetItem`s)."""

    section: PlanSection
    items: list = field(default_factory=list)
    # The member's page puts this part's add box here (goals.views.plans).
    form: object = None

    @property
    def key(self) -> str:
        return self.section.value

    @property
    def title(self) -> str:
        return self.section.label

    @property
    def hint(self) -> Promise:
        return SECTION_WORDS[self.section].hint

    @property
    def label(self) -> Promise:
        return SECTION_WORDS[self.section].label

    @property
    def takes_phone(self) -> bool:
        return self.section in PHONE_SECTIONS

    @property
    def is_full(self) -> bool:
        return len(self.items) >= ITEMS_PER_SECTION

    @property
    def phones(self) -> set[str]:
        return {item.phone for item in self.items if item.phone}


@dataclass
class PlanSheet:
    """A whole plan as a page shows it: each section in order, its items in the
    member's order, and a wellness plan's toolbox (the names of the tools in use,
    with how the member uses them)."""

    kind: PlanKind
    plan: Plan | None
    sections: list[SheetSection]
    toolbox: list[SheetItem] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.kind.label

    @property
    def shared(self) -> bool:
        return self.plan is not None and self.plan.shared

    @property
    def edited_at(self) -> datetime | None:
        return self.plan.edited_at if self.plan is not None else None

    @property
    def is_empty(self) -> bool:
        return not any(s.items for s in self.sections) and not self.toolbox

    @property
    def has_toolbox(self) -> bool:
        return self.kind == PlanKind.WELLNESS

    def section(self, key: str) -> SheetSection:
        return next(s for s in self.sections if s.key == key)


def _toolbox(member_id: int) -> list[SheetItem]:
    tools = WellnessTool.objects.filter(member_id=member_id, in_use=True)
    return [SheetItem(text=tool.name, note=tool.description) for tool in tools]


def sheet_of(plan: Plan) -> PlanSheet:
    """The plan as it is now, for whoever may read it (the member, or their
    supporter through peers.access). Two queries; three with a toolbox."""
    kind = PlanKind(plan.kind)
    by_section: dict[str, list[PlanItem]] = {s: [] for s in PLAN_SECTIONS[kind]}
    for item in plan.items.all():
        by_section.setdefault(item.section, []).append(item)
    return PlanSheet(
        kind=kind,
        plan=plan,
        sections=[SheetSection(s, by_section[s]) for s in PLAN_SECTIONS[kind]],
        toolbox=_toolbox(plan.member_id) if kind == PlanKind.WELLNESS else [],
    )


def plan_sheet(member: User, kind: PlanKind | str) -> PlanSheet:
    """The member's own plan of this kind, empty if they have not started it."""
    kind = PlanKind(kind)
    plan = Plan.objects.for_user(member).filter(kind=kind).first()
    if plan is not None:
        return sheet_of(plan)
    return PlanSheet(
        kind=kind,
        plan=None,
        sections=[SheetSection(s) for s in PLAN_SECTIONS[kind]],
        toolbox=_toolbox(member.pk) if kind == PlanKind.WELLNESS else [],
    )


def version_sheet(version: PlanVersion) -> PlanSheet:
    """An earlier version of a plan, read from its snapshot alone."""
    kind = PlanKind(version.plan.kind)
    kept = version.content.get("sections", {})
    return PlanSheet(
        kind=kind,
        plan=None,
        sections=[
            SheetSection(s, [SheetItem(**item) for item in kept.get(s.value, [])])
            for s in PLAN_SECTIONS[kind]
        ],
        toolbox=[SheetItem(**tool) for tool in version.content.get("toolbox", [])],
    )


def plans_of(member: User) -> dict[str, Plan]:
    """The member's plans by kind (none until they start one): one query."""
    return {plan.kind: plan for plan in Plan.objects.for_user(member)}


def plan_versions(member: User, kind: PlanKind | str) -> QuerySet[PlanVersion]:
    """The versions of the member's plan of this kind, newest first (a day each),
    without their snapshots: the list shows days, a version page the words."""
    return (
        PlanVersion.objects.for_user(member)
        .filter(plan__kind=kind)
        .defer("content")
        .order_by("-day")
    )


def version_is_latest(version: PlanVersion) -> bool:
    """Whether this is the plan as it is now (no later day changed it)."""
    later = PlanVersion.objects.filter(plan_id=version.plan_id, day__gt=version.day)
    return not later.exists()


def get_plan_item_for_user(user: User, pk: int) -> PlanItem:
    """The member's own plan item, or 404 for anyone else's."""
    return get_object_or_404(
        PlanItem.objects.for_user(user).select_related("plan"), pk=pk
    )


def get_plan_version_for_user(user: User, pk: int) -> PlanVersion:
    """A version of the member's own plan, or 404 for anyone else's."""
    return get_object_or_404(
        PlanVersion.objects.for_user(user).select_related("plan"), pk=pk
    )


# --- Changing a plan ----------------------------------------------------------------


class PlanItemGone(Exception):
    """The item was removed (in another tab) before this change reached it."""


class SectionFull(Exception):
    """The section already holds ITEMS_PER_SECTION items."""


def plan_content(plan: Plan) -> dict:
    """The whole plan as a version keeps it: words, not references."""
    sections = {s.value: [] for s in plan.sections}
    for item in plan.items.order_by("position", "pk"):
        sections.setdefault(item.section, []).append(
            {"text": item.text, "phone": item.phone}
        )
    content: dict = {"sections": sections}
    if plan.kind == PlanKind.WELLNESS:
        content["toolbox"] = [
            {"text": tool.text, "note": tool.note} for tool in _toolbox(plan.member_id)
        ]
    return content


def _plan_locked(*, member: User, kind: PlanKind | str) -> Plan:
    """The member's plan of this kind, made if need be, locked to the end of the
    transaction: changes to one plan happen in turn."""
    plan, _made = Plan.objects.get_or_create(member=member, kind=PlanKind(kind))
    return Plan.objects.select_for_update().select_related("member").get(pk=plan.pk)


def _item_locked(item: PlanItem) -> tuple[Plan, PlanItem]:
    """The item's plan locked, and the item read again under the lock."""
    plan = Plan.objects.select_for_update().select_related("member")
    plan = plan.filter(pk=item.plan_id).first()
    fresh = plan.items.filter(pk=item.pk).first() if plan is not None else None
    if plan is None or fresh is None:
        raise PlanItemGone
    return plan, fresh


def _version_record(plan: Plan) -> PlanVersion:
    """Write today's version of the plan (the member's own day), and its "last
    updated" moment. Called by every change, under the plan's lock."""
    now = timezone.now()
    version, _made = PlanVersion.objects.update_or_create(
        plan=plan,
        day=plan.member.local_date(now),
        defaults={"made_at": now, "content": plan_content(plan)},
    )
    Plan.objects.filter(pk=plan.pk).update(edited_at=now)
    plan.edited_at = now
    return version


@transaction.atomic
def plan_item_add(
    *,
    member: User,
    kind: PlanKind | str,
    section: PlanSection | str,
    text: str,
    phone: str = "",
) -> PlanItem:
    """Add an item at the end of a section of the member's plan (the plan is made
    with its first item). Raises SectionFull when the section holds
    ITEMS_PER_SECTION already."""
    section = PlanSection(section)
    if section not in PLAN_SECTIONS[PlanKind(kind)]:
        raise ValueError(f"{section} is not a part of the {kind} plan")
    plan = _plan_locked(member=member, kind=kind)
    in_section = plan.items.filter(section=section)
    if in_section.count() >= ITEMS_PER_SECTION:
        raise SectionFull
    last = in_section.aggregate(last=Max("position"))["last"]
    item = PlanItem.objects.create(
        plan=plan,
        section=section,
        text=text.strip(),
        phone=phone.strip() if section in PHONE_SECTIONS else "",
        position=0 if last is None else last + 1,
    )
    _version_record(plan)
    return item


@transaction.atomic
def plan_item_edit(*, item: PlanItem, text: str, phone: str = "") -> PlanItem:
    """New words (and phone number) for an item, in the same place."""
    plan, item = _item_locked(item)
    item.text = text.strip()
    item.phone = phone.strip() if item.section in PHONE_SECTIONS else ""
    item.save(update_fields=["text", "phone", "updated_at"])
    _version_record(plan)
    return item


@transaction.atomic
def plan_item_remove(*, item: PlanItem) -> None:
    """Take an item off the plan. Earlier versions keep it."""
    plan, item = _item_locked(item)
    item.delete()
    _version_record(plan)


@transaction.atomic
def plan_item_move(*, item: PlanItem, up: bool) -> PlanItem:
    """Move an item one place up or down its section; the first item going up
    (or the last going down) stays where it is. The section is numbered 0, 1, 2...
    again, so places stay whole however items came and went."""
    plan, item = _item_locked(item)
    items = list(plan.items.filter(section=item.section).order_by("position", "pk"))
    at = next(i for i, other in enumerate(items) if other.pk == item.pk)
    to = at - 1 if up else at + 1
    if not 0 <= to < len(items):
        return item
    items[at], items[to] = items[to], items[at]
    changed = []
    for position, other in enumerate(items):
        if other.position != position:
            other.position = position
            changed.append(other)
    PlanItem.objects.bulk_update(changed, ["position"])
    _version_record(plan)
    return items[to]


@transaction.atomic
def plan_set_shared(*, member: User, kind: PlanKind | str, shared: bool) -> Plan:
    """Share the plan with the member's peer supporter, or stop sharing it: their
    next page shows it, or no longer does. Not a change to the plan's words, so
    no version and no new "last updated"."""
    plan = _plan_locked(member=member, kind=kind)
    if plan.shared != shared:
        plan.shared = shared
        plan.save(update_fields=["shared"])
    return plan
