"""A browser's part, over HTTPS through the cluster's balancer: cookies, the CSRF
token and a form's one-time key taken from the page before, as a browser sends
them. Each answer says which app server gave it (HAProxy's X-Served-By)."""

from __future__ import annotations

import html
import http.client
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from deploy.cluster import unverified_tls

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def served_by(self) -> str:
        return self.headers.get("X-Served-By", "")

    def hidden_fields(self, action: str | None) -> dict[str, str]:
        """The hidden fields of the form that posts to `action`, or of the page's
        first form (one posting back to the page itself)."""
        if action is None:
            start = self.text.index("<form", self.text.index('<main id="main"'))
        else:
            start = self.text.index(f'action="{action}"')
        end = self.text.index("</form>", start)
        fields = dict(HIDDEN.findall(self.text[start:end]))
        return {name: html.unescape(value) for name, value in fields.items()}


@dataclass
class Browser:
    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    served_by: list[str] = field(default_factory=list)

    def request(
        self, method: str, path: str, form: dict | list | None = None
    ) -> Answer:
        parts = urlsplit(self.base)
        headers = {"Origin": self.base, "Referer": f"{self.base}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=30, context=unverified_tls()
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            answer = Answer(reply.status, reply.headers, reply.read().decode())
        finally:
            connection.close()
        jar: SimpleCookie = SimpleCookie()
        for line in answer.headers.get_all("Set-Cookie") or []:
            jar.load(line)
        self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        self.served_by.append(answer.served_by)
        return answer

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def submit(self, page_path: str, fields: dict, action: str | None = None) -> Answer:
        """Open the page, and send its form (to `action`, or back to the page)
        with `fields` beside the form's own hidden ones (the CSRF token, a
        one-time key)."""
        page = self.get(page_path)
        target = action or page_path
        return self.request("POST", target, page.hidden_fields(action) | fields)

    def sign_in(self, username: str, password: str) -> Answer:
        return self.submit(
            "/accounts/login/", {"username": username, "password": password}
        )
