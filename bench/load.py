"""Load one URL with wrk from a second process, and weigh a page as a browser would
download it (compressed HTML, then its CSS and JS on a first visit)."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from bench import config
from bench.web import HOST, PROXY_HEADERS, cookie_header, fetch

LUA = Path(__file__).resolve().parent / "wrk_report.lua"


@dataclass(frozen=True)
class Load:
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: int  # connect, read, write, timeouts and non-2xx/3xx answers


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is missing: `apt-get install wrk` (make bench does).")
    return path


def wrk(
    port: int,
    path: str,
    *,
    cookies: dict[str, str] | None,
    seconds: int,
    connections: int = config.CONNECTIONS,
) -> Load:
    """Load http://127.0.0.1:port/path for `seconds` (wrk's own timer stops it)."""
    url = f"http://{HOST}:{port}{path}"
    command = [
        wrk_path(),
        f"--threads={config.WRK_THREADS}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        "--latency",
        f"--script={LUA}",
    ]
    for name, value in PROXY_HEADERS.items():
        command += ["--header", f"{name}: {value}"]
    if cookies:
        command += ["--header", f"Cookie: {cookie_header(cookies)}"]
    done = subprocess.run(  # noqa: S603
        [*command, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    )
    return parse(done.stdout)


def parse(output: str) -> Load:
    """Requests/s and the 50th percentile from wrk's own report (--latency); the
    95th, which --latency does not print, from wrk_report.lua's line."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\b", output, re.M)
    ours = re.search(r"^BENCH (.*)$", output, re.M)
    if not (rps and p50 and ours):
        raise SystemExit(f"Could not read wrk's output:\n{output}")
    fields = dict(part.split("=") for part in ours.group(1).split())
    numbers = {name: int(value) for name, value in fields.items()}
    errors = sum(
        numbers[kind] for kind in ("connect", "read", "write", "status", "timeout")
    )
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)]
    return Load(
        rps=float(rps.group(1)),
        p50_ms=round(float(p50.group(1)) * scale, 2),
        p95_ms=round(numbers["p95_us"] / 1000, 2),
        p99_ms=round(numbers["p99_us"] / 1000, 2),
        requests=numbers["requests"],
        errors=errors,
    )


class _Assets(HTMLParser):
    """The stylesheets and scripts a page links to."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and "stylesheet" in (found.get("rel") or "").split():
            self.urls.append(found.get("href") or "")
        elif tag == "script" and found.get("src"):
            self.urls.append(found["src"] or "")


@dataclass(frozen=True)
class Weight:
    html_bytes: int  # the page's HTML, gzip-compressed (a later visit)
    first_visit_bytes: int  # plus its CSS and JS as the server sends them compressed
    assets: list[tuple[str, int, str, str]]  # (url, bytes, encoding, cache-control)


def weigh(port: int, path: str, *, cookies: dict[str, str]) -> Weight:
    """The page's compressed bytes, and its CSS and JS as whitenoise serves them to a
    browser that accepts gzip and brotli. Django does not compress HTML (a proxy
    would): it is gzipped here at level 6, what nginx and most proxies use or beat."""
    page = fetch(port, path, cookies=cookies, headers={"Accept-Encoding": "identity"})
    if page.status != 200:
        raise SystemExit(f"{path} answered {page.status}, not 200.")
    html = len(gzip.compress(page.body, compresslevel=6))
    parser = _Assets()
    parser.feed(page.body.decode())
    assets = []
    for url in parser.urls:
        if not url.startswith("/"):
            raise SystemExit(f"{path} links to {url}, off this server.")
        asset = fetch(port, url, headers={"Accept-Encoding": "br, gzip"})
        if asset.status != 200:
            raise SystemExit(f"{url} answered {asset.status}.")
        assets.append(
            (
                url,
                len(asset.body),
                asset.headers.get("Content-Encoding", "identity"),
                asset.headers.get("Cache-Control", ""),
            )
        )
    return Weight(html, html + sum(size for _url, size, _e, _c in assets), assets)
