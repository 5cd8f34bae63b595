"""The work one request of each key page costs, measured in this process: Django's
test client on the bench database, production settings, no server and no wrk.

    .venv/bin/python -m bench.inprocess [words of page names ...]

`make bench` builds the database first (this reuses it, or builds it the same
way). Each page is warmed up, then timed in three rounds of ROUND requests; the
best round is printed (wall and CPU milliseconds a request), as other work on
the machine only ever makes a round slower. Comparing two versions of the code
on the same database is what this is for: the load benchmark's requests/s move
with the machine, this moves with the code.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench import config, web

ROUNDS = 3
ROUND = 20


def main(words: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        env = config.app_env(Path(static_root))
        os.environ.update(env)
        import django

        django.setup()
        from django.test import Client

        from bench import data
        from bench.run import pages_for

        data.ensure_database()
        cast = data.build()
        web.collectstatic(env)
        readers = {
            "member": cast.member,
            "supporter": cast.supporter,
            "coordinator": cast.coordinator,
        }
        print(f"{'page':<28} {'wall ms':>8} {'CPU ms':>8}")
        for page in pages_for(cast):
            if words and not any(word in page.name for word in words):
                continue
            client = Client(HTTP_HOST=web.HOST, headers=web.PROXY_HEADERS)
            client.force_login(readers[page.who])
            for _ in range(2):
                response = client.get(page.path, secure=True)
                if response.status_code != 200:
                    raise SystemExit(f"{page.path} answered {response.status_code}.")
            rounds = []
            for _ in range(ROUNDS):
                wall, cpu = time.perf_counter(), time.process_time()
                for _ in range(ROUND):
                    client.get(page.path, secure=True)
                rounds.append(
                    (
                        (time.perf_counter() - wall) * 1000 / ROUND,
                        (time.process_time() - cpu) * 1000 / ROUND,
                    )
                )
            wall_ms, cpu_ms = min(rounds)
            print(f"{page.name:<28} {wall_ms:8.1f} {cpu_ms:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
