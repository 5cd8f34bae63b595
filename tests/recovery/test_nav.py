"""The header's navigation: each person's most used pages on the bar, the rest
behind "Menu", where they are marked with aria-current, and "Need help now?" on
every page. (How it looks on a phone: tests/browser/test_header.py.)"""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db


def nav_link(path: str, url_name: str, label: str) -> str:
    template = Template("{% load nav %}{% nav_link name label %}")
    request = RequestFactory().get(path)
    return template.render(
        Context({"request": request, "name": url_name, "label": label})
    ).strip()


def test_a_nav_link_marks_the_page_it_leads_to():
    assert nav_link("/goals/", "goals:list", "My goals") == (
        '<li><a href="/goals/" aria-current="page">My goals</a></li>'
    )


def test_a_nav_link_marks_its_section_on_a_page_inside_it():
    assert nav_link("/goals/12/", "goals:list", "My goals") == (
        '<li><a href="/goals/" aria-current="true">My goals</a></li>'
    )


def test_a_nav_link_elsewhere_is_not_marked():
    assert nav_link("/today/", "goals:list", "My goals") == (
        '<li><a href="/goals/">My goals</a></li>'
    )


def test_a_nav_link_says_its_label_escaped():
    assert "Me &amp; mine" in nav_link("/", "goals:list", "Me & mine")


def bar_and_menu(response) -> tuple[list[str], list[str]]:
    """The link texts on the bar, and those behind "Menu"."""
    text = response.content.decode()
    bar = re.search(r'<ul class="nav-bar">(.*?)</ul>', text, re.S).group(1)
    menu = re.search(r'<ul class="menu-list">(.*?)</ul>', text, re.S).group(1)

    def labels(part: str) -> list[str]:
        return [
            label.strip()
            for label in re.findall(r"<(?:a|button)\b[^>]*>([^<]+)<", part)
        ]

    return labels(bar), labels(menu)


def test_a_member_has_today_and_check_in_on_the_bar_and_the_rest_in_the_menu(
    member_client,
):
    response = member_client.get(reverse("goals:home"))

    bar, menu = bar_and_menu(response)
    assert bar == ["Today", "Check in"]
    assert menu == [
        "My goals",
        "My journey",
        "Strengths",
        "What helps me",
        "My supporter",
        "Privacy",
        "Settings",
        "Sign out",
    ]
    text = response.content.decode()
    assert '<details class="menu">' in text
    assert "<summary>Menu</summary>" in text
    assert '<a href="/today/" aria-current="page">Today</a>' in text


def test_a_supporter_has_their_caseload_on_the_bar(client, supporter):
    client.force_login(supporter)

    bar, menu = bar_and_menu(client.get(reverse("peers:caseload")))

    assert bar == ["My caseload"]
    assert menu == ["Settings", "Sign out"]


def test_a_coordinator_has_the_waiting_list_on_the_bar(client, coordinator):
    client.force_login(coordinator)

    bar, menu = bar_and_menu(client.get(reverse("peers:waiting")))

    assert bar == ["Waiting list"]
    assert menu == [
        "Supporters",
        "Batch matching",
        "Match history",
        "Programme report",
        "Invite someone",
        "Crisis lines",
        "Security events",
        "Settings",
        "Sign out",
    ]


def test_a_page_behind_the_menu_is_marked_where_it_is(member_client):
    text = member_client.get(reverse("goals:strengths")).content.decode()

    assert '<a href="/strengths/" aria-current="page">Strengths</a>' in text
    assert text.count('aria-current="page"') == 1


@pytest.mark.parametrize("who", ["member", "supporter", "coordinator", "anonymous"])
def test_need_help_now_is_on_the_bar_of_every_page(
    client, who, member, supporter, coordinator
):
    people = {"member": member, "supporter": supporter, "coordinator": coordinator}
    if who in people:
        client.force_login(people[who])
    page = reverse("login") if who == "anonymous" else reverse("account")

    text = client.get(page).content.decode()

    row = re.search(r'<div class="wrap header-row[^"]*">(.*?)</header>', text, re.S)
    assert '<a class="crisis-link" href="/crisis/">Need help now?</a>' in row.group(1)
    # Outside the menu: one tap, with the menu closed.
    menu = re.search(r'<details class="menu">.*?</details>', row.group(1), re.S)
    assert menu is None or "crisis-link" not in menu.group(0)


def test_the_messages_region_is_there_even_with_nothing_to_say(member_client):
    """So the script that clears it on the person's next action (messages.js)
    always finds it, and a live region exists before anything is said."""
    text = member_client.get(reverse("goals:home")).content.decode()

    assert '<div id="site-messages" class="messages" role="status"></div>' in text
    assert "/static/js/messages.js" in text


def test_every_page_is_headed_with_the_programmes_name(client, member, settings):
    settings.PROGRAMME_NAME = "Riverside Peer Support"
    signed_out = client.get(reverse("login")).content.decode()
    client.force_login(member)
    today = client.get(reverse("goals:home")).content.decode()

    for page in (signed_out, today):
        assert "· Riverside Peer Support</title>" in page
        assert "Recovery planner" not in page
