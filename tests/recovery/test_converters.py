"""Every id in every URL is `<id:…>`: numbers no row can have are a 404 before any
view runs, on SQLite too (where an id of 2^63 used to raise OverflowError)."""

import re

import pytest
from django.test import Client
from django.urls import resolve
from django.urls.exceptions import Resolver404

from recovery.converters import IdConverter
from tests.test_access_matrix import url_patterns

ROUTES = sorted({route for route, _name in url_patterns()})
ID_PARAM = re.compile(r"<(?:id|int):(\w+)>")
SLUG_PARAM = re.compile(r"<slug:(\w+)>")


def with_ids(route: str, number: int) -> str:
    """The route with `number` for each id (and a word for a slug beside one)."""
    return "/" + SLUG_PARAM.sub("a-slug", ID_PARAM.sub(str(number), route))


def test_no_url_takes_a_bare_int():
    assert not [route for route in ROUTES if "<int:" in route]
    assert any("<id:" in route for route in ROUTES)


@pytest.mark.parametrize("number", [0, 2**63, 10**19 - 1, 10**25])
def test_numbers_no_row_can_have_match_no_url(number):
    for route in ROUTES:
        if "<id:" in route:
            with pytest.raises(Resolver404):
                resolve(with_ids(route, number))


def test_the_largest_id_still_matches():
    for route in ROUTES:
        if "<id:" in route:
            assert resolve(with_ids(route, 2**63 - 1)).kwargs


def test_the_converter_gives_ints_and_refuses_the_rest():
    converter = IdConverter()
    assert converter.to_python("42") == 42
    for value in ["0", str(2**63)]:
        with pytest.raises(ValueError):
            converter.to_python(value)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "supporter", "coordinator"])
def test_every_id_url_answers_404_for_huge_ids(request, who):
    person = request.getfixturevalue(who)
    client = Client(raise_request_exception=True)
    client.force_login(person)
    for route in ROUTES:
        if ID_PARAM.search(route):
            for method in (client.get, client.post):
                response = method(with_ids(route, 2**63))
                assert response.status_code == 404, route
