"""The safety plan and the wellness plan, by their rules (goals/plans.py): items in
sections, in the member's order, versions as one snapshot a day, sharing."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from goals import plans
from goals.models import Plan, PlanItem, PlanKind, PlanSection, PlanVersion
from tests.factories import WellnessToolFactory

pytestmark = pytest.mark.django_db

SAFETY = PlanKind.SAFETY
WELLNESS = PlanKind.WELLNESS


def add(member, section, text, *, kind=SAFETY, phone=""):
    return plans.plan_item_add(
        member=member, kind=kind, section=section, text=text, phone=phone
    )


def words(member, section, kind=SAFETY) -> list[str]:
    sheet = plans.plan_sheet(member, kind)
    return [item.text for item in sheet.section(section).items]


# --- Items in sections, in the member's order ---------------------------------------


def test_opening_a_plan_writes_nothing(member):
    sheet = plans.plan_sheet(member, SAFETY)

    assert sheet.plan is None and sheet.is_empty and sheet.edited_at is None
    assert [s.section for s in sheet.sections] == [
        PlanSection.REASONS,
        PlanSection.WARNING_SIGNS,
        PlanSection.ON_MY_OWN,
        PlanSection.DISTRACTIONS,
        PlanSection.HELPERS,
        PlanSection.PROFESSIONALS,
        PlanSection.SAFER,
    ]
    assert not Plan.objects.exists()


def test_the_first_item_makes_the_plan_and_items_keep_the_order_added(member):
    add(member, PlanSection.WARNING_SIGNS, "Not sleeping")
    add(member, PlanSection.WARNING_SIGNS, "Skipping meals")
    add(member, PlanSection.ON_MY_OWN, "A cold shower")

    assert Plan.objects.get(member=member).kind == SAFETY
    assert words(member, "warning_signs") == ["Not sleeping", "Skipping meals"]
    assert words(member, "on_my_own") == ["A cold shower"]


def test_an_item_moves_up_and_down_and_stops_at_the_ends(member):
    first = add(member, PlanSection.REASONS, "My daughter")
    second = add(member, PlanSection.REASONS, "The sea in spring")
    third = add(member, PlanSection.REASONS, "Finishing my course")

    plans.plan_item_move(item=third, up=True)
    assert words(member, "reasons") == [
        "My daughter",
        "Finishing my course",
        "The sea in spring",
    ]
    plans.plan_item_move(item=first, up=False)
    assert words(member, "reasons") == [
        "Finishing my course",
        "My daughter",
        "The sea in spring",
    ]
    plans.plan_item_move(item=second, up=False)  # last already: stays
    plans.plan_item_move(item=third, up=True)  # first already: stays
    assert words(member, "reasons") == [
        "Finishing my course",
        "My daughter",
        "The sea in spring",
    ]
    positions = PlanItem.objects.order_by("position").values_list("position", flat=1)
    assert list(positions) == [0, 1, 2]


def test_moving_after_a_removal_keeps_places_whole(member):
    items = [add(member, PlanSection.SAFER, f"Step {n}") for n in range(4)]
    plans.plan_item_remove(item=items[1])

    plans.plan_item_move(item=items[3], up=True)

    assert words(member, "safer") == ["Step 0", "Step 3", "Step 2"]


def test_items_of_other_sections_do_not_move(member):
    add(member, PlanSection.HELPERS, "Jo")
    other = add(member, PlanSection.REASONS, "My cat")
    mine = add(member, PlanSection.HELPERS, "Sam next door")

    plans.plan_item_move(item=mine, up=True)

    assert words(member, "helpers") == ["Sam next door", "Jo"]
    assert words(member, "reasons") == [other.text]


def test_a_section_is_a_short_list(member):
    for n in range(plans.ITEMS_PER_SECTION):
        add(member, PlanSection.ON_MY_OWN, f"Idea {n}")

    with pytest.raises(plans.SectionFull):
        add(member, PlanSection.ON_MY_OWN, "One too many")
    assert plans.plan_sheet(member, SAFETY).section("on_my_own").is_full
    # Another part still has room.
    add(member, PlanSection.SAFER, "Give the pills to Jo")


def test_a_section_of_the_other_plan_is_refused(member):
    with pytest.raises(ValueError):
        add(member, PlanSection.DAILY, "Walk", kind=SAFETY)
    assert not Plan.objects.exists()


def test_only_people_to_reach_keep_a_phone_number(member):
    person = add(member, PlanSection.HELPERS, "Jo", phone=" 555 123 4567 ")
    sign = add(member, PlanSection.WARNING_SIGNS, "Pacing", phone="555 000 0000")

    assert person.phone == "555 123 4567" and person.tel == "5551234567"
    assert sign.phone == ""
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanItem.objects.filter(pk=sign.pk).update(phone="555")


def test_a_phone_link_keeps_a_leading_plus_and_only_digits(member):
    item = add(member, PlanSection.PROFESSIONALS, "Clinic", phone="+44 (20) 7946-0000")
    assert item.tel == "+442079460000"


def test_an_item_edited_keeps_its_place(member):
    add(member, PlanSection.HELPERS, "Jo")
    item = add(member, PlanSection.HELPERS, "Sam")
    add(member, PlanSection.HELPERS, "Ana")

    plans.plan_item_edit(item=item, text="Sam, my brother", phone="555 222 3333")

    assert words(member, "helpers") == ["Jo", "Sam, my brother", "Ana"]
    assert PlanItem.objects.get(pk=item.pk).phone == "555 222 3333"


def test_changing_an_item_removed_meanwhile_says_it_is_gone(member):
    item = add(member, PlanSection.REASONS, "My dog")
    PlanItem.objects.filter(pk=item.pk).delete()

    for change in (
        lambda: plans.plan_item_move(item=item, up=True),
        lambda: plans.plan_item_edit(item=item, text="new words"),
        lambda: plans.plan_item_remove(item=item),
    ):
        with pytest.raises(plans.PlanItemGone):
            change()


def test_the_database_keeps_one_plan_of_each_kind(member):
    Plan.objects.create(member=member, kind=SAFETY)
    Plan.objects.create(member=member, kind=WELLNESS)
    with pytest.raises(IntegrityError):
        Plan.objects.create(member=member, kind=SAFETY)


# --- Versions -----------------------------------------------------------------------


def test_every_change_of_a_day_is_one_version_of_that_day(member):
    with time_machine.travel(
        datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False
    ):
        item = add(member, PlanSection.REASONS, "My daughter")
        add(member, PlanSection.REASONS, "The sea")
        plans.plan_item_move(item=item, up=False)
    with time_machine.travel(
        datetime.datetime(2026, 3, 9, 18, tzinfo=datetime.UTC), tick=False
    ):
        plans.plan_item_edit(item=item, text="My daughter, Lily")

    versions = plans.plan_versions(member, SAFETY)

    assert [v.day for v in versions] == [
        datetime.date(2026, 3, 9),
        datetime.date(2026, 3, 2),
    ]
    earlier = plans.version_sheet(PlanVersion.objects.get(pk=versions[1].pk))
    later = plans.version_sheet(PlanVersion.objects.get(pk=versions[0].pk))
    assert [i.text for i in earlier.section("reasons").items] == [
        "The sea",
        "My daughter",
    ]
    assert [i.text for i in later.section("reasons").items] == [
        "The sea",
        "My daughter, Lily",
    ]
    assert Plan.objects.get().edited_at == datetime.datetime(
        2026, 3, 9, 18, tzinfo=datetime.UTC
    )


def test_a_version_is_the_members_own_day(member):
    member.time_zone = "Pacific/Auckland"
    member.save()
    # 20:00 in London on 1 March is 2 March in Auckland.
    with time_machine.travel(
        datetime.datetime(2026, 3, 1, 20, tzinfo=datetime.UTC), tick=False
    ):
        add(member, PlanSection.REASONS, "Sunrise")
    assert PlanVersion.objects.get().day == datetime.date(2026, 3, 2)


def test_an_earlier_version_still_reads_whole_after_its_items_go(member):
    with time_machine.travel(
        datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False
    ):
        item = add(member, PlanSection.HELPERS, "Jo", phone="555 123 4567")
    with time_machine.travel(
        datetime.datetime(2026, 3, 3, 10, tzinfo=datetime.UTC), tick=False
    ):
        plans.plan_item_remove(item=item)

    earlier = PlanVersion.objects.get(day=datetime.date(2026, 3, 2))
    kept = plans.version_sheet(earlier).section("helpers").items
    assert [(i.text, i.phone, i.tel) for i in kept] == [
        ("Jo", "555 123 4567", "5551234567")
    ]
    assert plans.version_is_latest(earlier) is False
    assert plans.version_is_latest(PlanVersion.objects.get(day="2026-03-03"))


def test_a_wellness_version_keeps_the_toolbox_as_it_was(member):
    WellnessToolFactory(member=member, name="A walk", description="mornings")
    WellnessToolFactory(member=member, name="Late TV", in_use=False)
    add(member, PlanSection.DAILY, "Breakfast", kind=WELLNESS)

    sheet = plans.version_sheet(PlanVersion.objects.get())

    assert [(t.text, t.note) for t in sheet.toolbox] == [("A walk", "mornings")]
    assert [i.text for i in sheet.section("daily").items] == ["Breakfast"]


def test_one_version_a_day_is_kept_by_the_database(member):
    add(member, PlanSection.REASONS, "My cat")
    version = PlanVersion.objects.get()
    with pytest.raises(IntegrityError):
        PlanVersion.objects.create(
            plan=version.plan, day=version.day, made_at=version.made_at, content={}
        )


# --- Sharing ------------------------------------------------------------------------


def test_a_plan_is_private_until_shared(member):
    add(member, PlanSection.REASONS, "My cat")
    assert Plan.objects.get().shared is False


def test_sharing_is_no_change_to_the_plan(member):
    with time_machine.travel(
        datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False
    ):
        add(member, PlanSection.REASONS, "My cat")
    with time_machine.travel(
        datetime.datetime(2026, 3, 5, 10, tzinfo=datetime.UTC), tick=False
    ):
        plan = plans.plan_set_shared(member=member, kind=SAFETY, shared=True)

    assert plan.shared
    assert plan.edited_at.date() == datetime.date(2026, 3, 2)
    assert PlanVersion.objects.count() == 1


def test_a_plan_can_be_shared_before_it_is_written(member):
    plans.plan_set_shared(member=member, kind=WELLNESS, shared=True)
    assert plans.plan_sheet(member, WELLNESS).shared
    assert not PlanVersion.objects.exists()
