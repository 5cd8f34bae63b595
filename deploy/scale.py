"""`python -m deploy.scale`: requests/s through the cluster's balancer with two app
servers, then with one, on this machine (README, "Scaling out").

It starts the cluster of `make cluster`, signs in as the demo member Maya, and
loads her Today page with wrk (Debian's package, installed if missing): 16
connections for 15 s after a 3 s warm-up, first with both app servers, then with
one stopped (HAProxy's health check takes it out). It prints both and the ratio.
Each server runs SCALE_WORKERS_PER_SERVER gunicorn workers (1: on a 2-core
machine two servers then use both cores, one server one).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time

from deploy import cluster as cluster_module

# seed_demo's PASSWORD (peers/management/commands/seed_demo.py); importing it would
# load Django's settings in this process, which is only the load's client.
PASSWORD = "recovery-demo"  # noqa: S105  # nosec B105

PAGE = "/today/"
CONNECTIONS = 16
SECONDS = 15


def wrk() -> str:
    if found := shutil.which("wrk"):
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    install = [*sudo, "apt-get", "install", "-y", "-qq", "wrk"]
    subprocess.run(install, check=True, env=env)  # noqa: S603
    return shutil.which("wrk") or "/usr/bin/wrk"


def load(url: str, cookie: str, seconds: int) -> tuple[float, str]:
    """Requests/s and wrk's latency line."""
    result = subprocess.run(  # noqa: S603
        [
            wrk(), f"-c{CONNECTIONS}", "-t2", f"-d{seconds}s", "--latency",
            "-H", f"Cookie: {cookie}", url,
        ],
        check=True,
        capture_output=True,
        text=True,
    )  # fmt: skip
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if rate is None or errors:
        raise SystemExit(f"wrk did not load the page cleanly:\n{result.stdout}")
    p99 = re.search(r"99%\s+(\S+)", result.stdout)
    return float(rate.group(1)), p99.group(1) if p99 else "?"


def main() -> None:
    # The test client lives in tests/; the cluster's own browser is enough here.
    from tests.cluster.client import Browser

    if missing := cluster_module.what_is_missing():
        raise SystemExit(missing)
    workers = int(os.environ.get("SCALE_WORKERS_PER_SERVER", "1"))
    with cluster_module.running(workers_per_server=workers) as cluster:
        maya = Browser(cluster.url)
        maya.sign_in("maya", PASSWORD)
        if maya.get(PAGE).status != 200:
            raise SystemExit("Maya's Today page did not answer 200.")
        cookie = "; ".join(f"{k}={v}" for k, v in maya.cookies.items())
        url = f"{cluster.url}{PAGE}"
        load(url, cookie, 3)  # warm-up: connections, caches
        two, two_p99 = load(url, cookie, SECONDS)
        cluster.stop("app2")
        time.sleep(4)  # HAProxy's check (every 1 s, down after 2) takes it out
        load(url, cookie, 3)
        one, one_p99 = load(url, cookie, SECONDS)
    print(
        f"{PAGE} through HAProxy, {CONNECTIONS} connections, {SECONDS} s, "
        f"{workers} gunicorn worker(s) a server, "
        f"load average {os.getloadavg()[0]:.1f}:\n"
        f"  two app servers: {two:.1f} requests/s (p99 {two_p99})\n"
        f"  one app server:  {one:.1f} requests/s (p99 {one_p99})\n"
        f"  ratio two/one:   {two / one:.2f}"
    )


if __name__ == "__main__":
    main()
