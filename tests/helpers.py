"""Small helpers the tests share (STYLE.md: one copy, not one per file)."""

import html

from django.test import Client

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_text(response) -> str:
    """A response's HTML with entities read, as a person's eyes would."""
    return html.unescape(response.content.decode())


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
