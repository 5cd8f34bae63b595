"""Serving the app as in production (gunicorn, DEBUG off, whitenoise with hashed
static files) and talking to it over loopback as a browser behind an HTTPS proxy
would: `X-Forwarded-Proto: https` (the settings trust it), secure cookies, CSRF."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench import config

HOST = "127.0.0.1"  # the only host the bench ever talks to
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def collectstatic(env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=config.ROOT,
        env=env,
        check=True,
    )


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int, log: Path) -> Iterator[int]:
    """Run gunicorn on a free loopback port; stop it (and its workers) on the way
    out, whatever happened."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "recovery.wsgi:application",
        f"--workers={workers}",
        f"--bind={HOST}:{port}",
        "--worker-class=sync",
        "--log-level=warning",
        "--graceful-timeout=5",
    ]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603
            command,
            cwd=config.ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: master and workers
        )
    try:
        _wait_ready(port, server, log)
        yield port
    finally:
        _stop(server)


def _wait_ready(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        try:
            if fetch(port, "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer in 30 s:\n{log.read_text()[-3000:]}")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def cookies(self) -> dict[str, str]:
        jar: SimpleCookie = SimpleCookie()
        for line in self.headers.get_all("Set-Cookie") or []:
            jar.load(line)
        return {name: morsel.value for name, morsel in jar.items()}


def fetch(
    port: int,
    path: str,
    *,
    method: str = "GET",
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    """One request to the bench server, as a browser behind the HTTPS proxy."""
    sent = {**PROXY_HEADERS, **(headers or {})}
    if cookies:
        sent["Cookie"] = cookie_header(cookies)
    body = None
    if form is not None:
        body = urlencode(form).encode()
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=sent)
        reply = connection.getresponse()
        return Response(reply.status, reply.headers, reply.read())
    finally:
        connection.close()


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


@dataclass
class Session:
    username: str
    cookies: dict[str, str] = field(default_factory=dict)


CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in(port: int, username: str, password: str) -> Session:
    """Sign in through the sign-in form, as a person would, and keep the cookies."""
    page = fetch(port, "/accounts/login/")
    token = CSRF_FIELD.search(page.body)
    if page.status != 200 or token is None:
        raise SystemExit(f"The sign-in page answered {page.status}.")
    cookies = page.cookies()
    origin = f"https://{HOST}:{port}"
    answer = fetch(
        port,
        "/accounts/login/",
        method="POST",
        cookies=cookies,
        headers={"Origin": origin, "Referer": f"{origin}/accounts/login/"},
        form={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token.group(1).decode(),
            "next": "",
        },
    )
    cookies.update(answer.cookies())
    if answer.status != 302 or not any("sessionid" in name for name in cookies):
        raise SystemExit(f"Signing in as {username} failed ({answer.status}).")
    return Session(username, cookies)
