"""Limits said, never cut: a text field says its limit, the browser is not told to
cut at it, and too much text is refused in words with nothing lost or saved."""

import re

import pytest
from django.urls import reverse

from goals.models import CheckIn

pytestmark = pytest.mark.django_db


def test_a_text_field_says_its_limit_and_has_no_maxlength(member_client):
    page = member_client.get(reverse("goals:checkin")).content.decode()
    note = re.search(r"<textarea[^>]*name=\"note\"[^>]*>", page).group(0)

    assert "maxlength" not in note
    assert 'data-limit="4000"' in note
    assert "id_note_limit" in re.search(r'aria-describedby="([^"]+)"', note).group(1)
    assert 'id="id_note_limit"' in page and "Up to 4000 characters." in page


def test_too_much_text_is_refused_in_words_and_kept_in_the_box(member_client):
    long_note = "a few words " * 416 + "and more"  # 5,000 characters
    response = member_client.post(
        reverse("goals:checkin"), {"wellbeing": "6", "hope": "6", "note": long_note}
    )
    page = response.content.decode()

    assert response.status_code in {200, 400}
    assert not CheckIn.objects.exists()
    assert "at most 4000 characters (it has 5000)" in page
    assert long_note.strip() in page  # nothing lost: it is still there to shorten


def test_fields_that_are_not_free_text_keep_their_own_widgets(client):
    page = client.get("/accounts/login/").content.decode()
    assert "_limit" not in page.split('name="password"')[1].split(">")[0]
