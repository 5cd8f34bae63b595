"""Every view that takes a POST refuses one without a CSRF token, whoever sends it.

The suite's usual client skips CSRF checks (as Django's test client does); here the
client enforces them, for every URL pattern from the resolver.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import MemberFactory
from tests.test_access_matrix import PARAMS, build_cast, url_patterns


def csrf_client(person=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if person is not None:
        client.force_login(person)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_every_post_without_a_token_is_refused(signed_in):
    cast = build_cast()
    client = csrf_client(cast.a if signed_in else None)
    accepted = []
    for _route, name in url_patterns():
        kwargs = PARAMS[name](cast) if name in PARAMS else {}
        response = client.post(reverse(name, kwargs=kwargs), {"anything": "1"})
        if response.status_code != 403 or b"CSRF" not in response.content:
            accepted.append(f"{name}: {response.status_code}")
    assert accepted == []


@pytest.mark.django_db
def test_the_same_client_with_its_token_gets_through():
    """Proof the refusals above are about the token, not the client."""
    member = MemberFactory()
    client = csrf_client(member)
    client.get(reverse("goals:checkin"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("goals:checkin"),
        {"wellbeing": "6", "hope": "7", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert member.checkins.count() == 1
