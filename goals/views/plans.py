"""The member's safety plan and wellness plan: one page each, with every part
added to, reordered and removed from in place (htmx swaps the part's named
partial), each action also a plain POST that comes back to the page; the plan's
versions; whether their peer supporter may read it.

Everything here is the member's own: another member's item or version is a 404.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from goals import plans
from goals.forms import PlanItemForm, PlanSharingForm
from goals.models import PLAN_SECTIONS, PlanKind, PlanSection
from goals.views.common import member_only
from recovery import once
from recovery.types import AuthedRequest

# Days a page of a plan's versions lists.
VERSIONS_PER_PAGE = 30

# The first part of each plan's URL names: goals:safety-plan, goals:safety-plan-...
SLUG = {PlanKind.SAFETY: "safety-plan", PlanKind.WELLNESS: "wellness-plan"}


def plan_urls(kind: PlanKind) -> dict[str, str]:
    slug = SLUG[kind]
    return {
        what: reverse(f"goals:{slug}{suffix}")
        for what, suffix in (
            ("page", ""),
            ("add", "-item-add"),
            ("sharing", "-sharing"),
            ("versions", "-versions"),
        )
    }


def _section_url(kind: PlanKind, key: str) -> str:
    return f"{plan_urls(kind)['page']}#section-{key}"


def _add_form(section: plans.SheetSection, data=None) -> PlanItemForm:
    """A section's add box; ids carry the section's key, as the page has one each."""
    return PlanItemForm(data, section=section, auto_id=f"id_{section.key}_%s")


def _page_context(
    sheet: plans.PlanSheet, *, refused: PlanItemForm | None = None
) -> dict:
    """The whole page: each part with its add box (the `refused` one keeping what
    was written, beside the reason)."""
    for part in sheet.sections:
        if refused is not None and refused.section.key == part.key:
            part.form = refused
        else:
            part.form = _add_form(part)
    return {
        "sheet": sheet,
        "urls": plan_urls(sheet.kind),
        "sharing_form": PlanSharingForm(initial={"shared": sheet.shared}),
    }


def _section_response(
    request: AuthedRequest,
    kind: PlanKind,
    key: str,
    *,
    announce: str,
    form: PlanItemForm | None = None,
) -> HttpResponse:
    """One part of the plan, as htmx swaps it in place."""
    sheet = plans.plan_sheet(request.user, kind)
    part = sheet.section(key)
    # Where the focus goes after the swap is static/js/plan.js's: never away from
    # another part's box the person moved on to while this one was on its way.
    part.form = form or _add_form(part)
    context = {"sheet": sheet, "part": part, "urls": plan_urls(kind)}
    context["announce"] = announce
    return render(request, "goals/plan.html#section", context)


@member_only
def plan_detail(request: AuthedRequest, kind: PlanKind) -> HttpResponse:
    sheet = plans.plan_sheet(request.user, kind)
    return render(request, "goals/plan.html", _page_context(sheet))


@member_only
@require_POST
@vary_on_headers("HX-Request")
def plan_item_add(request: AuthedRequest, kind: PlanKind) -> HttpResponse:
    try:
        section = PlanSection(request.POST.get("section", ""))
    except ValueError:
        raise Http404 from None
    if section not in PLAN_SECTIONS[kind]:
        raise Http404
    form = _add_form(plans.SheetSection(section), request.POST)
    announce = ""
    if form.is_valid():
        try:
            item, _made = once.submit_once(
                request.user,
                once.key_from(request),
                lambda: plans.plan_item_add(
                    member=request.user,
                    kind=kind,
                    section=section,
                    text=form.cleaned_data["text"],
                    phone=form.cleaned_data.get("phone", ""),
                ),
            )
        except plans.SectionFull:
            form.add_error(
                "text",
                _(
                    "This part holds %(n)s items, enough to take in on a hard day. "
                    "Remove one to make room."
                )
                % {"n": plans.ITEMS_PER_SECTION},
            )
        else:
            announce = _("Added “%(text)s”.") % {"text": item.text}
    if request.htmx:
        if announce:
            return _section_response(request, kind, section.value, announce=announce)
        # The box comes back with its words and the reason, said aloud too.
        reason = next(iter(form.errors.values()))[0]
        return _section_response(
            request, kind, section.value, announce=reason, form=form
        )
    if announce:
        messages.success(request, announce)
        return redirect(_section_url(kind, section.value))
    # The whole page again, this part's box keeping what was written.
    sheet = plans.plan_sheet(request.user, kind)
    context = _page_context(sheet, refused=form)
    return render(request, "goals/plan.html", context, status=400)


@member_only
def plan_item_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """New words for an item (a page of its own: it works without JavaScript)."""
    item = plans.get_plan_item_for_user(request.user, pk)
    kind = PlanKind(item.plan.kind)
    part = plans.SheetSection(PlanSection(item.section))
    form = PlanItemForm(request.POST or None, instance=item, section=part)
    if request.method == "POST" and form.is_valid():
        try:
            plans.plan_item_edit(
                item=item,
                text=form.cleaned_data["text"],
                phone=form.cleaned_data.get("phone", ""),
            )
        except plans.PlanItemGone:
            messages.info(request, _("That item was removed, so there was no change."))
        else:
            messages.success(request, _("Saved “%(text)s”.") % {"text": item.text})
        return redirect(_section_url(kind, item.section))
    context = {"form": form, "item": item, "part": part, "urls": plan_urls(kind)}
    context["sheet_title"] = kind.label
    status = 400 if form.errors else 200
    return render(request, "goals/plan_item_form.html", context, status=status)


@member_only
@require_POST
@vary_on_headers("HX-Request")
def plan_item_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    item = plans.get_plan_item_for_user(request.user, pk)
    kind = PlanKind(item.plan.kind)
    say = messages.success
    try:
        plans.plan_item_remove(item=item)
    except plans.PlanItemGone:
        say, announce = messages.info, _("That item was removed already.")
    else:
        announce = _("Removed “%(text)s”.") % {"text": item.text}
    if request.htmx:
        return _section_response(request, kind, item.section, announce=announce)
    say(request, announce)
    return redirect(_section_url(kind, item.section))


@member_only
@require_POST
@vary_on_headers("HX-Request")
def plan_item_move(request: AuthedRequest, pk: int) -> HttpResponse:
    item = plans.get_plan_item_for_user(request.user, pk)
    kind = PlanKind(item.plan.kind)
    up = request.POST.get("direction") != "down"
    say = messages.success
    try:
        plans.plan_item_move(item=item, up=up)
    except plans.PlanItemGone:
        say = messages.info
        announce = _("That item was removed, so there was nothing to move.")
    else:
        announce = (
            _("Moved “%(text)s” up.") if up else _("Moved “%(text)s” down.")
        ) % {"text": item.text}
    if request.htmx:
        return _section_response(request, kind, item.section, announce=announce)
    say(request, announce)
    return redirect(_section_url(kind, item.section))


@member_only
@require_POST
def plan_set_shared(request: AuthedRequest, kind: PlanKind) -> HttpResponse:
    form = PlanSharingForm(request.POST)
    shared = form.is_valid() and form.cleaned_data["shared"]
    plans.plan_set_shared(member=request.user, kind=kind, shared=shared)
    if shared:
        messages.success(request, _("Your peer supporter can now read this plan."))
    else:
        messages.success(request, _("This plan is private: only you can read it."))
    return redirect(f"{plan_urls(kind)['page']}#sharing")


@member_only
def plan_version_list(request: AuthedRequest, kind: PlanKind) -> HttpResponse:
    versions = plans.plan_versions(request.user, kind)
    page = Paginator(versions, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"kind": kind, "page": page, "urls": plan_urls(kind)}
    return render(request, "goals/plan_versions.html", context)


@member_only
def plan_version_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    version = plans.get_plan_version_for_user(request.user, pk)
    kind = PlanKind(version.plan.kind)
    context = {
        "version": version,
        "sheet": plans.version_sheet(version),
        "is_latest": plans.version_is_latest(version),
        "urls": plan_urls(kind),
    }
    return render(request, "goals/plan_version.html", context)
