"""The conversation of a match: only its two people read it, the member keeps it,
it works without JavaScript and in place with htmx."""

import html
import re

import pytest
from django.urls import reverse

from peers import services
from peers.conversations import ConversationClosed, message_send
from peers.models import Message
from tests.factories import (
    CoordinatorFactory,
    EncouragementFactory,
    MatchFactory,
    MemberFactory,
    SuggestionFactory,
    SupporterFactory,
    SupporterProfileFactory,
)
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

TALK = reverse("peers:conversation")


def text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def match(member, supporter):
    return MatchFactory(member=member, supporter=supporter)


def their_page(match):
    return reverse("peers:member-conversation", args=[match.member.pk])


def test_a_member_writes_and_the_supporter_reads_and_answers(match):
    maya, sam = signed_in(match.member), signed_in(match.supporter)

    sent = maya.post(TALK, {"text": "Hello Sam, a hard week."})
    answered = sam.post(their_page(match), {"text": "Thank you for telling me."})
    page = text(maya.get(TALK))

    assert sent.status_code == answered.status_code == 302
    assert sent["Location"] == f"{TALK}#latest"
    assert page.index("Hello Sam, a hard week.") < page.index("Thank you for telling")
    assert "This is not for emergencies" in page
    assert f'href="{reverse("crisis")}"' in maya.get(TALK).content.decode()


def test_seen_shows_once_the_other_person_has_it_on_screen(match):
    maya, sam = signed_in(match.member), signed_in(match.supporter)
    maya.post(TALK, {"text": "Are you there?"})

    before = text(maya.get(TALK))
    sam.get(their_page(match))
    after = text(maya.get(TALK))

    assert "Seen" not in before
    assert "Seen" in after
    assert Message.objects.get().seen_at is not None


def test_with_htmx_a_message_appears_in_place_and_polling_brings_new_ones(match):
    maya, sam = signed_in(match.member), signed_in(match.supporter)

    sent = maya.post(TALK, {"text": "In place"}, headers={"HX-Request": "true"})
    message_send(match=match, author=match.supporter, text="An answer")
    polled = maya.get(f"{TALK}?poll=1", headers={"HX-Request": "true"})

    body = sent.content.decode()
    assert sent.status_code == 200
    assert 'id="compose"' in body and 'hx-swap-oob="true"' in body
    assert "In place" in body and "<html" not in body
    assert "An answer" in polled.content.decode()
    assert 'data-poll-seconds="60"' in polled.content.decode()
    assert "<html" not in polled.content.decode()
    assert sam.get(their_page(match)).status_code == 200


def test_too_long_or_empty_is_refused_in_words(match):
    maya = signed_in(match.member)

    long = maya.post(TALK, {"text": "x" * 1001})
    empty = maya.post(TALK, {"text": "   "})

    assert long.status_code == empty.status_code == 400
    assert "A message can be up to 1000 characters; this one has 1001." in text(long)
    assert "Please write a few words first." in text(empty)
    assert not Message.objects.exists()


def test_when_the_match_ends_the_supporter_loses_it_and_the_member_keeps_it(
    match, coordinator
):
    message_send(match=match, author=match.member, text="ZZ-KEPT-ZZ")
    sam = signed_in(match.supporter)
    assert sam.get(their_page(match)).status_code == 200

    services.match_end(match=match, by=coordinator, reason="moved")

    assert sam.get(their_page(match)).status_code == 404
    assert sam.post(their_page(match), {"text": "still here?"}).status_code == 404
    maya = signed_in(match.member)
    page = text(maya.get(reverse("peers:conversation-earlier", args=[match.pk])))
    assert "ZZ-KEPT-ZZ" in page and "Sam" in text(maya.get(TALK))
    assert "nothing more can be sent" in page
    with pytest.raises(ConversationClosed):
        message_send(match=match, author=match.member, text="too late")


def test_a_new_supporter_never_sees_the_old_conversation(match, coordinator):
    message_send(match=match, author=match.member, text="ZZ-FOR-SAM-ONLY-ZZ")
    ria = SupporterProfileFactory(user=SupporterFactory(first_name="Ria")).user
    services.rematch(member=match.member, supporter=ria, by=coordinator, reason="x")

    page = signed_in(ria).get(
        reverse("peers:member-conversation", args=[match.member.pk])
    )

    assert page.status_code == 200
    assert "ZZ-FOR-SAM-ONLY-ZZ" not in page.content.decode()


def test_nobody_else_reads_it(match, other_member, other_supporter):
    message_send(match=match, author=match.member, text="ZZ-PRIVATE-TALK-ZZ")
    theirs = MatchFactory(member=other_member, supporter=other_supporter)

    for person, url in [
        (other_member, TALK),
        (other_supporter, their_page(match)),
        (
            other_supporter,
            reverse("peers:member-conversation", args=[theirs.member.pk]),
        ),
        (match.supporter, reverse("peers:conversation")),  # a member's page
    ]:
        response = signed_in(person).get(url)
        assert "ZZ-PRIVATE-TALK-ZZ" not in response.content.decode()


def test_coordinators_see_counts_and_dates_never_the_text(match):
    message_send(match=match, author=match.member, text="ZZ-NOT-FOR-COORDINATORS-ZZ")
    message_send(match=match, author=match.supporter, text="answer")
    message_send(match=match, author=match.member, text="again")
    cora = signed_in(CoordinatorFactory())

    for url in (
        reverse("peers:match-history"),
        reverse("peers:member-history", args=[match.member.pk]),
    ):
        page = text(cora.get(url))
        assert "2 from the member, 1 from the supporter" in page
        assert "ZZ-NOT-FOR-COORDINATORS-ZZ" not in page


def test_a_member_without_a_supporter_is_told_what_this_page_is_for():
    page = text(signed_in(MemberFactory()).get(TALK))
    assert "When you have a peer supporter, you can write to each other here." in page


def test_writing_after_the_match_ended_says_nothing_was_sent(match, coordinator):
    maya = signed_in(match.member)
    services.match_end(match=match, by=coordinator, reason="moved")

    response = maya.post(TALK, {"text": "Still there?"}, follow=True)

    assert "This conversation has ended; nothing was sent." in text(response)
    assert not Message.objects.exists()


# --- "Reply" from where an encouragement or a suggestion shows -------------------


def test_a_reply_to_an_encouragement_quotes_it_above_the_message(match):
    said = EncouragementFactory(
        member=match.member, supporter=match.supporter, text="So proud of your walk"
    )
    maya = signed_in(match.member)
    home = maya.get(reverse("goals:home")).content.decode()
    reply_link = f"{TALK}?reply=e{said.pk}#compose"

    box = maya.get(f"{TALK}?reply=e{said.pk}")
    maya.post(TALK, {"text": "Thank you, it helped", "reply": f"e{said.pk}"})

    assert f'href="{reply_link}"' in home
    assert "So proud of your walk" in text(box)
    assert f'name="reply" value="e{said.pk}"' in box.content.decode()
    message = Message.objects.get()
    assert message.replying_to == said
    for reader in (maya, signed_in(match.supporter)):
        page = text(reader.get(TALK if reader is maya else their_page(match)))
        assert page.index("So proud of your walk") < page.index("Thank you, it helped")


def test_a_reply_to_a_suggestion_quotes_its_title(match):
    idea = SuggestionFactory(
        member=match.member, supporter=match.supporter, title="Try the Tuesday group"
    )
    maya = signed_in(match.member)
    page = maya.get(reverse("peers:my-supporter")).content.decode()

    maya.post(TALK, {"text": "Maybe next month", "reply": f"s{idea.pk}"})

    assert f"{TALK}?reply=s{idea.pk}#compose" in page
    assert Message.objects.get().replying_to == idea
    assert "Suggested: “Try the Tuesday group”" in text(maya.get(TALK))


@pytest.mark.parametrize("whose", ["another member's", "a former supporter's"])
def test_only_what_this_supporter_said_to_this_member_can_be_quoted(match, whose):
    if whose == "another member's":
        said = EncouragementFactory(member=MemberFactory(), supporter=match.supporter)
    else:
        said = EncouragementFactory(member=match.member, supporter=SupporterFactory())
    maya = signed_in(match.member)

    box = maya.get(f"{TALK}?reply=e{said.pk}")
    maya.post(TALK, {"text": "Hello", "reply": f"e{said.pk}"})

    assert said.text not in text(box)
    assert Message.objects.get().replying_to is None


@pytest.mark.parametrize("forged", ["x1", "e", "e0", "e-1", "s99999", "e1' or 1=1"])
def test_a_forged_reply_sends_the_message_unquoted(match, forged):
    response = signed_in(match.member).post(TALK, {"text": "Hi", "reply": forged})

    assert response.status_code == 302
    assert Message.objects.get().replying_to is None


def test_the_service_quotes_nothing_said_in_another_match(match):
    elsewhere = EncouragementFactory(member=MemberFactory(), supporter=match.supporter)
    message = message_send(
        match=match, author=match.member, text="Hi", replying_to=elsewhere
    )
    assert message.replying_to is None


def test_the_journey_offers_reply_to_the_current_supporters_words_only(match):
    from goals.services import checkin_record

    checkin, _ = checkin_record(member=match.member, wellbeing=6, hope=6)
    now = services.encouragement_send(
        match=match, text="Lovely to see", checkin=checkin
    )
    earlier = EncouragementFactory(
        member=match.member,
        supporter=SupporterFactory(first_name="Lee"),
        checkin=checkin,
        text="From before",
    )
    page = signed_in(match.member).get(reverse("goals:timeline")).content.decode()

    assert f"{TALK}?reply=e{now.pk}#compose" in page
    assert f"?reply=e{earlier.pk}" not in page
    assert "From before" in page  # still theirs to read
