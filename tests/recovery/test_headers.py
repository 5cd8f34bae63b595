"""Pages carry a strict Content-Security-Policy, and our markup lives within it."""

import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_send_a_csp_with_a_nonce_that_the_htmx_script_carries(member_client):
    response = member_client.get(reverse("goals:home"))
    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    html = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts, "htmx should be loaded"
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert " style=" not in html


@pytest.mark.django_db
def test_htmx_is_configured_not_to_eval_or_keep_history(member_client):
    html = member_client.get(reverse("goals:home")).content.decode()
    assert '"allowEval":false' in html
    assert '"historyCacheSize":0' in html
    assert '"includeIndicatorStyles":false' in html


@pytest.mark.django_db
def test_an_htmx_request_without_sign_in_sends_the_whole_page_to_sign_in(client):
    response = client.post(
        reverse("goals:step-toggle", args=[1]), {"done": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login") + "?next=")
    plain = client.post(reverse("goals:step-toggle", args=[1]), {"done": "1"})
    assert plain.status_code == 302 and "HX-Redirect" not in plain
