"""Who viewed my data, by person and day: "Sam (peer supporter) opened your member
page 25 times on Tuesday 1 December", with what was seen and when one tap away,
in pages of a fixed number of queries; the same latest few on the privacy page."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recovery import audit
from recovery.models import AuditKind, Role, Seen, pseudonym
from tests.factories import AuditEventFactory, MemberFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 3, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def seen(member, when, what=Seen.MEMBER_PAGE, *, name="Sam", role=Role.SUPPORTER):
    return AuditEventFactory(
        kind=AuditKind.VIEWED,
        subject_key=pseudonym(member),
        actor_key=f"key-of-{name}",
        actor_name=name,
        actor_role=role,
        what=what,
        at=when,
    )


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=datetime.UTC)


def summaries(text: str) -> list[str]:
    """The days of views a page lists (not the header's Menu)."""
    listed = re.search(r'<ol class="plain-list days-of-views">(.*?)</ol>', text, re.S)
    if listed is None:
        return []
    return [
        " ".join(found.split())
        for found in re.findall(r"<summary>(.*?)</summary>", listed.group(1), re.S)
    ]


def test_views_are_told_by_person_and_day_with_the_detail_one_tap_away(
    member_client, member
):
    for minute in range(25):
        seen(member, at(1, 9, minute))
    seen(member, at(1, 17, 45), Seen.EARLIER_MOMENTS)
    seen(member, at(1, 12), Seen.MATCH_HISTORY, name="Cora", role=Role.COORDINATOR)
    seen(member, at(2, 8), Seen.CONTACT_LOG)

    text = page_text(member_client.get(reverse("data-views")))

    assert summaries(text) == [
        "Sam (peer supporter) read the contact log about you once on "
        "Wednesday 2 December",
        "Sam (peer supporter) looked at your data 26 times on Tuesday 1 December",
        "Cora (coordinator) opened your match history and contact log once on "
        "Tuesday 1 December",
    ]
    details = re.search(
        r"looked at your data 26 times.*?</details>", text, flags=re.S
    ).group(0)
    assert (
        "Sam (peer supporter) loaded earlier moments of your journey: once, at 17:45"
        in details
    )
    assert (
        "Sam (peer supporter) opened your member page: 25 times, from 09:00 to 09:24"
        in details
    )


def test_a_day_is_the_members_own_day(client, member):
    member.time_zone = "Pacific/Auckland"  # UTC+13 in December
    member.save()
    seen(member, at(1, 10))  # 23:00 on 1 December in Auckland
    seen(member, at(1, 12))  # 01:00 on 2 December
    client.force_login(member)

    text = page_text(client.get(reverse("data-views")))

    assert summaries(text) == [
        "Sam (peer supporter) opened your member page once on Wednesday 2 December",
        "Sam (peer supporter) opened your member page once on Tuesday 1 December",
    ]


def test_days_of_views_come_in_pages(member_client, member):
    for day in range(1, 4):
        for n in range(9):
            seen(member, at(day, 8 + n), name=f"Person{n}")

    first = page_text(member_client.get(reverse("data-views")))
    second = page_text(member_client.get(reverse("data-views"), {"page": 2}))

    assert len(summaries(first)) == 20 and len(summaries(second)) == 7
    assert "Page 1 of 2" in first
    assert '<a href="?page=2" rel="next">Older</a>' in first


@pytest.mark.parametrize("size", [1, 10])
def test_the_page_reads_in_the_same_queries_however_many_views(client, size):
    member = MemberFactory(username=f"viewed-{size}")
    for day in range(1, 3):
        for n in range(size):
            seen(member, at(day, 8, n), name=f"Person{n % 3}")
            seen(member, at(day, 9, n), Seen.CONTACT_LOG, name=f"Person{n % 3}")
    client.force_login(member)
    client.get(reverse("data-views"))

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("data-views"))

    assert response.status_code == 200
    # Session, user, the bell; the days counted, one page of them, what each saw.
    assert len(captured) == 6


def test_only_the_members_own_views_are_told(member_client, member, other_member):
    seen(other_member, at(1, 9), name="Rowan")

    text = page_text(member_client.get(reverse("data-views")))

    assert "Rowan" not in text
    assert summaries(text) == []


def test_views_by_day_reads_what_the_log_kept(member):
    seen(member, at(1, 9), "a page of the future")

    (day,) = audit.days_of_views(member, audit.views_by_day(member))

    assert day.sentence == (
        "Sam (peer supporter) saw your a page of the future once on Tuesday 1 December"
    )
    assert day.kinds == []  # no detail asked for: no second query


# --- The privacy page's summary -------------------------------------------------


def test_the_privacy_page_says_the_latest_three_days_of_views(member_client, member):
    seen(member, datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC))
    for day in range(1, 4):
        for n in range(day):
            seen(member, at(day, 9, n))

    text = page_text(member_client.get(reverse("goals:privacy")))

    assert re.findall(r"<li>(Sam \(peer supporter\)[^<]*)</li>", text) == [
        "Sam (peer supporter) opened your member page 3 times on Thursday 3 December.",
        "Sam (peer supporter) opened your member page 2 times on Wednesday 2 December.",
        "Sam (peer supporter) opened your member page once on Tuesday 1 December.",
    ]
    assert f'<a href="{reverse("data-views")}">Who viewed my data</a>' in text
