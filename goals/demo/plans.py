"""Maya's safety plan and wellness plan for the demo, in her own voice.

Each plan was written in two sittings weeks apart, so each has two versions, as
the app keeps them (one snapshot for each day a plan changed: goals.models.
PlanVersion). Her safety plan is shared with her supporter; her wellness plan she
keeps to herself. Phone numbers are the US's fictional 555-01xx numbers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from goals.models import Plan, PlanItem, PlanKind, PlanSection
from goals.plans import plan_content
from recovery.models import User

# (section, [(words, phone)]) for each sitting, first the earlier one.
Sitting = dict[PlanSection, list[tuple[str, str]]]

SAFETY_PLAN: tuple[Sitting, Sitting] = (
    {
        PlanSection.REASONS: [
            ("My nephew Leo, and seeing him grow up", ""),
            ("Finishing my cookery course", ""),
        ],
        PlanSection.WARNING_SIGNS: [
            ("Lying awake past three, night after night", ""),
            ("Cancelling on people and leaving my post unopened", ""),
        ],
        PlanSection.ON_MY_OWN: [
            ("A hot shower, then my blue blanket and a film", ""),
            ("A walk round the block with music on", ""),
        ],
        PlanSection.HELPERS: [("Jo, my sister", "555 0142")],
        PlanSection.PROFESSIONALS: [
            (
                "988 Suicide & Crisis Lifeline (US): Call or text 988, any time, "
                "day or night.",
                "988",
            )
        ],
    },
    {
        PlanSection.REASONS: [("The sea in spring", "")],
        PlanSection.WARNING_SIGNS: [
            ("Telling myself that nothing will ever change", "")
        ],
        PlanSection.ON_MY_OWN: [("Name five things I can see and four I can hear", "")],
        PlanSection.DISTRACTIONS: [
            ("The library café on Mill Street", ""),
            ("Tuesday choir, even if I only listen", ""),
        ],
        PlanSection.HELPERS: [("Dev from choir", "555 0187")],
        PlanSection.PROFESSIONALS: [("Dr Okafor at the health centre", "555 0120")],
        PlanSection.SAFER: [
            ("Jo keeps my spare medication at her place", ""),
            ("Go to a café rather than stay home alone on a bad night", ""),
        ],
    },
)

WELLNESS_PLAN: tuple[Sitting, Sitting] = (
    {
        PlanSection.DAILY: [
            ("Breakfast before nine", ""),
            ("Ten minutes outside, whatever the weather", ""),
        ],
        PlanSection.KNOCKS: [
            ("Letters from the benefits office", ""),
            ("November, when Mum died", ""),
        ],
        PlanSection.KNOCKS_PLAN: [
            ("Open letters with Jo on the phone", ""),
            ("Plan something kind for myself on the day", ""),
        ],
        PlanSection.EARLY_SIGNS: [("Skipping choir", ""), ("Living on toast", "")],
        PlanSection.EARLY_SIGNS_PLAN: [("Tell Sam at our next call", "")],
    },
    {
        PlanSection.DAILY: [("Phone off at eleven", "")],
        PlanSection.EARLY_SIGNS_PLAN: [
            ("Go back to the daily list, one thing at a time", "")
        ],
        PlanSection.OTHERS_WHO: [("Jo, my sister", "555 0142")],
        PlanSection.OTHERS_HELPS: [
            ("Sit with me, and bring something to eat", ""),
            ("Feed my cat, Miso", ""),
        ],
        PlanSection.OTHERS_NOT: [
            ("Telling me to cheer up", ""),
            ("Deciding things for me without asking", ""),
        ],
    },
)

# Days before "now" of each sitting: (earlier, later).
SITTINGS_AGO = {PlanKind.SAFETY: (26, 4), PlanKind.WELLNESS: (40, 9)}


def plan_build(
    *, member: User, kind: PlanKind, sittings: tuple[Sitting, Sitting], now: datetime
) -> int:
    """Write one plan sitting by sitting, each sitting's items and version dated
    to its day. Returns how many items it holds."""
    plan = Plan.objects.create(member=member, kind=kind, shared=kind == PlanKind.SAFETY)
    count = 0
    for words, days_ago in zip(sittings, SITTINGS_AGO[kind], strict=True):
        at = now - timedelta(days=days_ago, hours=2)
        made = []
        for section, entries in words.items():
            start = plan.items.filter(section=section).count()
            made += [
                PlanItem(plan=plan, section=section, text=text, phone=phone, position=n)
                for n, (text, phone) in enumerate(entries, start=start)
            ]
        PlanItem.objects.bulk_create(made)
        # auto_now_add stamped them now; they were written on the sitting's day.
        PlanItem.objects.filter(pk__in=[i.pk for i in made]).update(
            created_at=at, updated_at=at
        )
        plan.versions.create(
            day=member.local_date(at), made_at=at, content=plan_content(plan)
        )
        plan.edited_at = at
        count += len(made)
    plan.save(update_fields=["edited_at"])
    return count


def demo_plans_build(*, member: User, now: datetime) -> int:
    """Maya's two plans. Returns how many items they hold."""
    return plan_build(
        member=member, kind=PlanKind.SAFETY, sittings=SAFETY_PLAN, now=now
    ) + plan_build(
        member=member, kind=PlanKind.WELLNESS, sittings=WELLNESS_PLAN, now=now
    )
