"""Small helpers the tests share (STYLE.md: one copy, not one per file)."""

import html
import re

from django.test import Client

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_text(response) -> str:
    """A response's HTML with entities read, as a person's eyes would."""
    return html.unescape(response.content.decode())


def words_of(response) -> str:
    """What a person reads on the page: tags taken out, entities read, and any run
    of spaces and new lines as one space."""
    return " ".join(
        html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split()
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
