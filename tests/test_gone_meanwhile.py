"""Read, then lock: a row removed between a page's read and the service's lock
(another tab, another person, a deleted account) is a calm answer, never a 500.

Each service re-reads its row under the lock; here the row is deleted before the
service runs with the stale object it was given, as a concurrent delete would.
"""

import pytest
from django.db.models import Model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from goals import plans
from goals import services as goal_services
from goals.models import PlanKind, PlanSection
from peers import services as peer_services
from recovery.forms import AcceptForm, CodeForm
from recovery.invitations import InvitationUsed, invitation_accept
from recovery.models import User
from tests.factories import (
    InvitationFactory,
    MatchFactory,
    MemberFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db


def removed[T: Model](row: T) -> T:
    """Delete the row behind the caller's back; the caller keeps its stale copy."""
    type(row)._default_manager.filter(pk=row.pk).delete()
    return row


def test_deleting_an_account_twice_says_it_is_gone():
    member = MemberFactory()
    stale = User.objects.get(pk=member.pk)
    goal_services.account_delete(member=member)

    with pytest.raises(goal_services.AccountGone):
        goal_services.account_delete(member=stale)


def test_ending_a_match_gone_with_its_member_says_it_has_ended(coordinator):
    match = MatchFactory()
    removed(match)

    with pytest.raises(peer_services.MatchError, match="already ended"):
        peer_services.match_end(match=match, by=coordinator, reason="moved")


def test_deactivating_an_account_deleted_meanwhile_says_it_is_gone(coordinator):
    member = MemberFactory()
    stale = User.objects.get(pk=member.pk)
    goal_services.account_delete(member=member)

    with pytest.raises(goal_services.AccountGone):
        peer_services.account_deactivate(person=stale, by=coordinator)


@pytest.mark.parametrize(
    "answer", [peer_services.suggestion_accept, peer_services.suggestion_decline]
)
def test_answering_a_suggestion_gone_meanwhile_says_it_is_gone(answer):
    suggestion = removed(SuggestionFactory())

    with pytest.raises(peer_services.SuggestionGone):
        answer(suggestion=suggestion)


@pytest.mark.parametrize(
    "change",
    [
        lambda item: plans.plan_item_move(item=item, up=False),
        lambda item: plans.plan_item_edit(item=item, text="new words"),
        lambda item: plans.plan_item_remove(item=item),
    ],
    ids=["move", "edit", "remove"],
)
def test_changing_a_plan_item_removed_meanwhile_says_it_is_gone(member, change):
    item = removed(
        plans.plan_item_add(
            member=member,
            kind=PlanKind.SAFETY,
            section=PlanSection.REASONS,
            text="My cat",
        )
    )

    with pytest.raises(plans.PlanItemGone):
        change(item)


def test_accepting_an_invitation_withdrawn_meanwhile_says_it_is_closed():
    invitation = removed(InvitationFactory())
    form = AcceptForm(
        {
            "username": "newcomer",
            "password1": "a-long-pass-9",
            "password2": "a-long-pass-9",
        },
        instance=User(role=invitation.role),
    )
    assert form.is_valid(), form.errors

    with pytest.raises(InvitationUsed):
        invitation_accept(invitation=invitation, form=form)
    assert not User.objects.filter(username="newcomer").exists()


def test_a_code_for_a_device_turned_off_meanwhile_is_refused_in_words(member):
    device = TOTPDevice.objects.create(user=member, name="Phone", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    removed(device)

    form = CodeForm({"code": code}, device=device)

    assert not form.is_valid()
    assert "turned off meanwhile" in str(form.errors)
