"""recovery.once: a create form's one-time key."""

import datetime
import uuid

import pytest

from goals.models import Strength
from recovery.models import FormSubmission
from recovery.once import submit_once
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _maker(member):
    return lambda: Strength.objects.create(
        member=member, category="personal", text="Kind"
    )


def test_the_second_call_with_a_key_gets_the_first_ones_thing():
    member = MemberFactory()
    key = uuid.uuid4()

    first, made_first = submit_once(member, key, _maker(member))
    second, made_second = submit_once(member, key, _maker(member))

    assert (made_first, made_second) == (True, False)
    assert second == first
    assert Strength.objects.filter(member=member).count() == 1


def test_without_a_key_each_call_makes_its_own():
    member = MemberFactory()
    submit_once(member, None, _maker(member))
    submit_once(member, None, _maker(member))
    assert Strength.objects.filter(member=member).count() == 2


def test_a_key_is_one_persons_own():
    maya, sam = MemberFactory(), MemberFactory()
    key = uuid.uuid4()
    submit_once(maya, key, _maker(maya))
    theirs, made = submit_once(sam, key, _maker(sam))
    assert made and theirs.member == sam


def test_if_the_first_thing_was_removed_the_wish_is_made_again():
    member = MemberFactory()
    key = uuid.uuid4()
    first, _ = submit_once(member, key, _maker(member))
    first.delete()

    again, made = submit_once(member, key, _maker(member))

    assert made and Strength.objects.filter(pk=again.pk).exists()


def test_a_failed_make_leaves_the_key_unclaimed():
    member = MemberFactory()
    key = uuid.uuid4()

    def broken():
        _maker(member)()
        raise RuntimeError("cut off")

    with pytest.raises(RuntimeError):
        submit_once(member, key, broken)

    assert not FormSubmission.objects.exists()
    assert not Strength.objects.filter(member=member).exists()
    _, made = submit_once(member, key, _maker(member))
    assert made


def test_keys_older_than_a_day_are_forgotten(time_machine):
    member = MemberFactory()
    time_machine.move_to(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC))
    submit_once(member, uuid.uuid4(), _maker(member))
    time_machine.shift(datetime.timedelta(days=1, minutes=1))

    submit_once(member, uuid.uuid4(), _maker(member))

    assert FormSubmission.objects.filter(user=member).count() == 1
