"""The load benchmark of issue 6: `make bench` (or `python -m bench.run`).

1. Builds (once) a large programme in the PostgreSQL database `recovery_bench`:
   `seed_demo --members 2000 --days 365`, a supporter with 40 members, and a member
   with five years of daily check-ins. Reused while its member count is right;
   BENCH_REBUILD=1 builds it again.
2. Serves the app as in production: gunicorn, DEBUG off, a secret key, whitenoise
   with hashed, compressed static files collected into a temporary folder; every
   request says `X-Forwarded-Proto: https`, as the HTTPS proxy in front would.
3. Signs in through the sign-in form as a member, a supporter and a coordinator,
   and loads each key page with wrk (a second process, loopback only, 16
   connections, BENCH_DURATION seconds after a warm-up). The ceiling of the stack
   is `/healthz`, the project's own public view that runs `SELECT 1` (the bench
   adds no view to the app), loaded just before each page: a page's ratio is to
   that ceiling, so other work on the machine skews both alike; `ceiling_rps` is
   the median of them. `/healthz` signed in as the page's reader is loaded too,
   for `signed_in_ratio` (the page against the floor of any signed-in request),
   and the crisis page signed in as the reader, for `empty_page_ceiling_ratio`: a
   page in the site's layout, with the reader's navigation, that reads no data
   (the project's own public page, no view added), over the ceiling. A page
   showing data costs more.
4. Counts each page's queries (Django's test client on the same database, same
   session) and weighs it (compressed HTML; with its CSS and JS on a first visit).
5. Times batch matching (5,000 members, 500 supporters, checked optimal by a second
   solver) and one member's suggestions among 2,000 supporters.
6. Times a five-year member's data download and the peak memory serving it.

Prints a table and writes bench/results.json. Query logs and the server's log go
to var/bench/.
"""

from __future__ import annotations

import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bench import config, web

if TYPE_CHECKING:
    from bench.load import Load, Weight


def _stop_on_sigterm(signum, frame) -> None:
    # SystemExit unwinds the `with` blocks, so the server is stopped.
    raise SystemExit(f"Stopped by signal {signum}.")


# A page in the site's layout that reads no data: the public crisis page, which
# signed-in people see with their own navigation.
EMPTY_PAGE = "/crisis/"


@dataclass(frozen=True)
class Page:
    name: str
    who: str  # "member", "supporter" or "coordinator"
    path: str

    @property
    def target_ratio(self) -> float:
        return (
            config.TARGET_MEMBER_RATIO
            if self.who == "member"
            else config.TARGET_STAFF_RATIO
        )

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


@dataclass(frozen=True)
class Row:
    """One page's measurements: its own load and weight, and the loads taken just
    before it to compare it with."""

    page: Page
    result: Load  # the page itself
    weight: Weight  # its bytes, fetched after the load
    load_average: float  # the machine's, after the load
    ceiling: Load  # /healthz, anonymous
    signed_in: Load  # /healthz, signed in as the page's reader
    empty: Load  # EMPTY_PAGE, signed in as the page's reader


def pages_for(cast) -> list[Page]:
    from django.urls import reverse

    return [
        Page("member home", "member", reverse("goals:home")),
        Page("timeline", "member", reverse("goals:timeline")),
        Page("check-in form", "member", reverse("goals:checkin")),
        Page("supporter caseload", "supporter", reverse("peers:caseload")),
        Page(
            "supporter member view",
            "supporter",
            reverse("peers:member", args=[cast.member.pk]),
        ),
        Page("coordinator waiting list", "coordinator", reverse("peers:waiting")),
        Page(
            "suggestions for one member",
            "coordinator",
            reverse("peers:suggestions", args=[cast.waiting.pk]),
        ),
        Page("programme report", "coordinator", reverse("peers:report")),
    ]


def wait_for_quiet() -> None:
    """Give other work on the machine a chance to finish before loading it."""
    deadline = time.monotonic() + config.QUIET_WAIT
    while os.getloadavg()[0] >= config.QUIET_LOAD and time.monotonic() < deadline:
        time.sleep(5)
    load_average = os.getloadavg()[0]
    if load_average >= config.QUIET_LOAD:
        print(
            f"The machine is busy (load average {load_average:.2f}): the numbers "
            "below are skewed by other work."
        )


def count_queries(page: Page, cookies: dict[str, str]) -> int:
    """The page's queries in a steady state (its second request in the session), on
    the bench database; the SQL goes to var/bench/queries/."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=web.HOST)
    for name, value in cookies.items():
        client.cookies[name] = value
    client.get(page.path, secure=True)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.path, secure=True)
    if response.status_code != 200:
        raise SystemExit(f"{page.path} answered {response.status_code} to the client.")
    log = config.VAR / "queries" / f"{page.slug}.sql"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(
        "".join(
            f"-- {query['time']} s\n{query['sql']};\n\n"
            for query in captured.captured_queries
        )
    )
    return len(captured.captured_queries)


def measure_export(username: str, env: dict[str, str]) -> dict:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.export", username],
        cwd=config.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr or done.stdout)[-2000:]}
    return json.loads(lines[-1])


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    started = time.monotonic()
    print(
        f"Machine: {os.cpu_count()} cores, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work skews rps)."
    )
    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        env = config.app_env(Path(static_root))
        os.environ.update(env)
        import django

        django.setup()
        from bench import data, load, matching
        from peers.management.commands.seed_demo import PASSWORD

        if data.ensure_database():
            print(f"Created the database {config.DATABASE_URL.rsplit('/', 1)[-1]}.")
        cast = data.build()
        held = data.counts()
        print("Bench data: " + ", ".join(f"{k} {v}" for k, v in held.items()))
        pages = pages_for(cast)
        web.collectstatic(env)

        rows = []
        wait_for_quiet()
        log = config.VAR / "gunicorn.log"
        with web.gunicorn(env, workers=config.WORKERS, log=log) as port:
            sessions = {
                who: web.sign_in(port, person.username, PASSWORD)
                for who, person in (
                    ("member", cast.member),
                    ("supporter", cast.supporter),
                    ("coordinator", cast.coordinator),
                )
            }
            for page in pages:
                answer = web.fetch(port, page.path, cookies=sessions[page.who].cookies)
                if answer.status != 200:
                    raise SystemExit(f"{page.path} answered {answer.status}.")
            print(
                f"Serving on 127.0.0.1:{port} with {config.WORKERS} gunicorn sync "
                f"workers; wrk: {config.CONNECTIONS} connections, "
                f"{config.DURATION} s a page after {config.WARMUP} s of warm-up."
            )

            def loaded(path: str, cookies: dict[str, str] | None, seconds: int):
                load.wrk(port, path, cookies=cookies, seconds=config.WARMUP)
                result = load.wrk(port, path, cookies=cookies, seconds=seconds)
                if result.errors:
                    raise SystemExit(f"{path}: {result.errors} errors under load.")
                return result

            healthz_signed_in = loaded(
                "/healthz", sessions["member"].cookies, config.CEILING_DURATION
            )
            for page in pages:
                # The ceiling just before each page: a page's ratio is to the
                # stack as it was at that moment, so other work on the machine
                # (a test run) skews both alike.
                ceiling = loaded("/healthz", None, config.CEILING_DURATION)
                cookies = sessions[page.who].cookies
                # And the same trivial view signed in as the page's reader: the
                # floor of a signed-in request (session, user, middleware).
                signed_in = loaded("/healthz", cookies, config.CEILING_DURATION)
                # And a page in the site's layout that reads no data, for the
                # same reader: the floor of any page they see.
                empty = loaded(EMPTY_PAGE, cookies, config.CEILING_DURATION)
                result = loaded(page.path, cookies, config.DURATION)
                weight = load.weigh(port, page.path, cookies=cookies)
                load_average = os.getloadavg()[0]
                rows.append(
                    Row(
                        page=page,
                        result=result,
                        weight=weight,
                        load_average=load_average,
                        ceiling=ceiling,
                        signed_in=signed_in,
                        empty=empty,
                    )
                )
                print(
                    f"  {page.name:<28} {result.rps:8.1f} req/s  "
                    f"p50 {result.p50_ms:7.1f} ms  p95 {result.p95_ms:7.1f} ms  "
                    f"(ceiling {ceiling.rps:.0f}, signed in {signed_in.rps:.0f}, "
                    f"empty page {empty.rps:.0f} req/s)"
                )
            for page in pages:  # still signed in: no page was a sign-in redirect
                answer = web.fetch(port, page.path, cookies=sessions[page.who].cookies)
                if answer.status != 200:
                    raise SystemExit(
                        f"{page.path} answered {answer.status} at the end."
                    )
            assets = rows[0].weight.assets

        ceilings = [row.ceiling for row in rows]
        ceiling = round(statistics.median(c.rps for c in ceilings), 1)
        queries = {
            row.page.name: count_queries(row.page, sessions[row.page.who].cookies)
            for row in rows
        }

        print("Batch matching (this takes a minute: the check solves it again) ...")
        batch = matching.batch()
        ranked = matching.suggestions()
        print("Data download ...")
        export = measure_export(config.EXPORT_MEMBER, env)
        export_year = measure_export(cast.member.username, env)

    results = {
        "ceiling_rps": ceiling,
        # Beyond the fields: how far the ceiling moved during the run.
        "ceiling_range_rps": [
            min(c.rps for c in ceilings),
            max(c.rps for c in ceilings),
        ],
        "pages": [
            {
                "name": row.page.name,
                "rps": round(row.result.rps, 1),
                "p50_ms": row.result.p50_ms,
                "p95_ms": row.result.p95_ms,
                "ratio": round(row.result.rps / row.ceiling.rps, 3),
                "queries": queries[row.page.name],
                "html_bytes": row.weight.html_bytes,
                "first_visit_bytes": row.weight.first_visit_bytes,
                # Beyond the fields: the page over /healthz signed in as
                # its reader, and the empty page over the ceiling (the most this
                # reader's pages can reach, to set beside "ratio").
                "signed_in_ratio": round(row.result.rps / row.signed_in.rps, 3),
                "empty_page_ceiling_ratio": round(row.empty.rps / row.ceiling.rps, 3),
            }
            for row in rows
        ],
        "matching": {
            "batch_seconds": batch.seconds,
            "members": batch.members,
            "supporters": batch.supporters,
            "optimal": batch.optimal,
            # Beyond the fields: what the batch is made of.
            "scoring_seconds": batch.scoring_seconds,
            "total_score": batch.total_score,
            "check_seconds": batch.check_seconds,
        },
        "export": {
            "seconds": export.get("seconds"),
            "peak_rss_mb": export.get("peak_rss_mb"),
            "checkins": export.get("checkins"),
        },
    }
    config.RESULTS.write_text(json.dumps(results, indent=2) + "\n")

    report(
        results,
        rows=rows,
        ceilings=ceilings,
        healthz_signed_in=healthz_signed_in,
        assets=assets,
        batch=batch,
        ranked=ranked,
        export=export,
        export_year=export_year,
        held=held,
    )
    took = time.monotonic() - started
    print(f"Wrote {config.RESULTS.relative_to(config.ROOT)} in {took:.0f} s.")
    return 0


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISS"


def report(results: dict, **seen) -> None:
    ceilings = [c.rps for c in seen["ceilings"]]
    print()
    print(
        f"Ceiling (/healthz, SELECT 1, anonymous, before each page): median "
        f"{results['ceiling_rps']:.1f} req/s, {min(ceilings):.0f} to "
        f"{max(ceilings):.0f}. Signed in: {seen['healthz_signed_in'].rps:.1f} req/s."
    )
    header = (
        f"{'page':<28} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'ratio':>6} "
        f"{'target':>6} {'empty':>6} {'s-in':>6} {'queries':>7} {'HTML kB':>8} "
        f"{'first kB':>9} {'load':>5}  result"
    )
    print(header)
    print("-" * len(header))
    for measured, row in zip(seen["rows"], results["pages"], strict=True):
        page = measured.page
        member = page.who == "member"
        ok = row["ratio"] >= page.target_ratio
        if member:
            ok = ok and row["p95_ms"] < config.TARGET_P95_MS
        ok = (
            ok
            and row["first_visit_bytes"] < config.TARGET_FIRST_VISIT
            and row["html_bytes"] < config.TARGET_LATER_VISIT
        )
        print(
            f"{row['name']:<28} {row['rps']:7.1f} {row['p50_ms']:7.1f} "
            f"{row['p95_ms']:7.1f} {row['ratio']:6.3f} {page.target_ratio:6.2f} "
            f"{row['empty_page_ceiling_ratio']:6.3f} {row['signed_in_ratio']:6.3f} "
            f"{row['queries']:7d} {row['html_bytes'] / 1024:8.1f} "
            f"{row['first_visit_bytes'] / 1024:9.1f} {measured.load_average:5.2f}  "
            f"{_mark(ok)}"
        )
    print(
        f"Targets: member pages >= {config.TARGET_MEMBER_RATIO:.0%} of the ceiling and "
        f"p95 < {config.TARGET_P95_MS} ms; supporter and coordinator pages >= "
        f"{config.TARGET_STAFF_RATIO:.0%}; first visit < "
        f"{config.TARGET_FIRST_VISIT // 1024} kB, later visits (HTML only) < "
        f"{config.TARGET_LATER_VISIT // 1024} kB. empty: the ratio the crisis page "
        "reaches signed in as the page's reader (the site's layout, no data), the "
        "most any page of theirs can reach. s-in: the page's ratio to /healthz "
        "signed in as its reader. Both measured just before the page; not targets."
    )
    print("Static files a first visit downloads (compressed, as served):")
    for url, size, encoding, cache in seen["assets"]:
        print(f"  {url}  {size / 1024:.1f} kB {encoding}; Cache-Control: {cache}")

    batch = seen["batch"]
    print(
        f"Batch matching: {batch.members:,} members, {batch.supporters} supporters "
        f"({batch.places:,} free places): {batch.seconds:.2f} s "
        f"(scoring every pair {batch.scoring_seconds:.2f} s, the flow the rest), "
        f"{batch.pairings:,} pairings, total score {batch.total_score:,}; "
        f"second solver {batch.check_total_score:,} in {batch.check_seconds:.1f} s: "
        f"{'optimal' if batch.optimal else 'NOT OPTIMAL'}. "
        f"Target < {config.TARGET_BATCH_SECONDS} s: "
        f"{_mark(batch.seconds < config.TARGET_BATCH_SECONDS)}."
    )
    ranked = seen["ranked"]
    print(
        f"One member's suggestions (rank, every allowed supporter) among "
        f"{ranked.supporters:,} supporters: median {ranked.median_ms} ms, "
        f"best {ranked.best_ms} ms."
    )
    for label, export in (
        ("five years", seen["export"]),
        ("one year", seen["export_year"]),
    ):
        if "error" in export:
            print(f"Data download ({label}): not measured: {export['error']}")
            continue
        peak = export["peak_rss_mb"]
        zip_state = "valid" if export["zip_ok"] else "BROKEN"
        print(
            f"Data download ({label}, {export['checkins']:,} check-ins): "
            f"{export['seconds']} s, {export['bytes'] / 1024:.0f} kB ZIP "
            f"({zip_state}), "
            f"streamed: {export['streaming']}; peak RSS {peak} MB (before the "
            f"download {export['peak_before_mb']} MB). Target peak < "
            f"{config.TARGET_EXPORT_MB} MB: {_mark(peak < config.TARGET_EXPORT_MB)}."
        )


if __name__ == "__main__":
    sys.exit(main())
