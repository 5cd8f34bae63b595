"""`make cluster`: the production shape on this machine's loopback.

Two app servers (gunicorn, separate processes and ports), one worker, and HAProxy
in front ending TLS (a self-signed certificate made here), against the local
PostgreSQL and Redis. It prints the address and stops everything it started on
Ctrl-C. `tests/cluster/` starts the same cluster (`running`) and tries it.

HAProxy is Debian's package, installed here if missing. Every process listens on
127.0.0.1 only.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "cluster"
HOST = "127.0.0.1"
DATABASE_URL = os.environ.get(
    "CLUSTER_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/recovery_cluster"
)
CACHE_URL = os.environ.get("CLUSTER_CACHE_URL", "redis://127.0.0.1:6379/1")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def haproxy() -> str:
    """Debian's HAProxy, installed if missing (apt-get; sudo when not root)."""
    found = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
    )
    if found:
        return found
    print("Installing HAProxy (Debian package)", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*sudo, "apt-get", "install", "-y", "-qq", "haproxy"], check=True, env=env
    )
    return shutil.which("haproxy") or "/usr/sbin/haproxy"


def what_is_missing() -> str | None:
    """Why a cluster cannot start here, in words, or None."""
    import psycopg
    import redis

    try:
        with psycopg.connect(_maintenance_url(DATABASE_URL), connect_timeout=3):
            pass
    except psycopg.Error as error:
        return f"PostgreSQL does not answer at {DATABASE_URL}: {error}"
    try:
        redis.Redis.from_url(CACHE_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis does not answer at {CACHE_URL}: {error}"
    return None


def _maintenance_url(url: str) -> str:
    return urlsplit(url)._replace(path="/postgres").geturl()


def _database_exists(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_maintenance_url(url), autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            )


def _certificate() -> Path:
    """A self-signed certificate for 127.0.0.1, key and certificate in one file as
    HAProxy wants them."""
    pem = VAR / "tls.pem"
    if pem.exists():
        return pem
    key, cert = VAR / "tls.key", VAR / "tls.crt"
    subprocess.run(  # noqa: S603
        [
            shutil.which("openssl") or "/usr/bin/openssl",
            "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "30",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    pem.write_text(cert.read_text() + key.read_text())
    pem.chmod(0o600)
    return pem


def _secret_key() -> str:
    path = VAR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text()


HAPROXY_CONFIG = """\
global
    maxconn 512
    pidfile {var}/haproxy.pid

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 2
    option redispatch
    errorfile 503 {var}/unavailable.http

frontend planner
    bind {host}:{port} ssl crt {pem}
    http-request set-header X-Forwarded-Proto https
    http-request set-header X-Request-ID %[uuid]
    option forwardfor
    default_backend app

backend app
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    http-response set-header X-Served-By %[srv_name]
{servers}
"""


@dataclass
class Cluster:
    url: str
    env: dict[str, str]
    app_ports: list[int]
    workers_per_server: int = 2
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start_app_server(self, name: str, port: int) -> None:
        log = (VAR / f"{name}.log").open("a")
        self.processes[name] = subprocess.Popen(  # noqa: S603
            [
                sys.executable, "-m", "gunicorn", "recovery.wsgi:application",
                f"--workers={self.workers_per_server}", f"--bind={HOST}:{port}",
                "--graceful-timeout=5",
            ],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def start_worker(self, name: str = "worker") -> None:
        log = (VAR / f"{name}.log").open("a")
        self.processes[name] = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "worker"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def wait_ready(self, port: int, timeout: float = 60) -> None:
        """Until the app server on `port` answers its readiness check."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with suppress(OSError):
                url = f"http://{HOST}:{port}/readyz"
                with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310  # nosec B310
                    if answer.status == 200:
                        return
            time.sleep(0.3)
        raise RuntimeError(f"The app server on port {port} is not ready: see {VAR}")

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True
    )


def cluster_env(port: int) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for name in ("DEBUG", "CACHE_URL", "DATABASE_URL", "SECRET_KEY", "TASKS_BACKEND"):
        keep.pop(name, None)
    return keep | {
        "DEBUG": "0",
        "SECRET_KEY": _secret_key(),
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": CACHE_URL,
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SITE_URL": f"https://{HOST}:{port}",
        # HAProxy appends the client's address to X-Forwarded-For.
        "TRUSTED_PROXY_COUNT": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


@contextmanager
def running(
    *, port: int | None = None, seed: bool = True, workers_per_server: int = 2
) -> Iterator[Cluster]:
    """Start the cluster (migrated, with the demo people), yield it, stop it."""
    VAR.mkdir(parents=True, exist_ok=True)
    binary = haproxy()
    port = port or free_port()
    env = cluster_env(port)
    _database_exists(DATABASE_URL)
    _manage(env, "migrate", "--no-input", "-v", "0")
    if seed:  # the demo's people, 20 members among them (the fault tests' load)
        _manage(env, "seed_demo", "--members", "20", "-v", "0")
    _manage(env, "collectstatic", "--no-input", "-v", "0")
    cluster = Cluster(
        f"https://{HOST}:{port}", env, [free_port(), free_port()], workers_per_server
    )
    servers = "\n".join(
        f"    server app{n} {HOST}:{p} check inter 1s fall 2 rise 1"
        for n, p in enumerate(cluster.app_ports, start=1)
    )
    # What the balancer answers when no app server is ready (the database away):
    # the app's own calm words and the crisis lines the programme set.
    _manage(env, "unavailable_page", str(VAR / "unavailable.http"), "-v", "0")
    config = VAR / "haproxy.cfg"
    config.write_text(
        HAPROXY_CONFIG.format(
            var=VAR, host=HOST, port=port, pem=_certificate(), servers=servers
        )
    )
    try:
        for n, app_port in enumerate(cluster.app_ports, start=1):
            cluster.start_app_server(f"app{n}", app_port)
        for app_port in cluster.app_ports:
            cluster.wait_ready(app_port)
        cluster.start_worker()
        log = (VAR / "haproxy.log").open("a")
        cluster.processes["haproxy"] = subprocess.Popen(  # noqa: S603
            [binary, "-db", "-f", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_for_balancer(cluster)
        yield cluster
    finally:
        cluster.stop_all()


def unverified_tls() -> ssl.SSLContext:
    """The cluster's own self-signed certificate, on loopback only."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # nosec B501 (our loopback test certificate)
    return context


def _wait_for_balancer(cluster: Cluster) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with suppress(OSError):
            request = urllib.request.Request(f"{cluster.url}/readyz")  # noqa: S310
            with urllib.request.urlopen(  # noqa: S310  # nosec B310
                request, timeout=2, context=unverified_tls()
            ) as answer:
                if answer.status == 200:
                    return
        time.sleep(0.3)
    raise RuntimeError(f"HAProxy did not answer: see {VAR}/haproxy.log")


def main() -> None:
    if missing := what_is_missing():
        raise SystemExit(missing)
    port = int(os.environ.get("CLUSTER_PORT", "8443"))
    with running(port=port) as cluster:
        print(
            f"The cluster answers at {cluster.url}/ (a self-signed certificate: "
            f"your browser will ask). App servers on ports "
            f"{', '.join(map(str, cluster.app_ports))}, one worker, HAProxy in "
            f"front; logs in {VAR}. Ctrl-C stops everything.",
            flush=True,
        )
        with suppress(KeyboardInterrupt):
            while all(p.poll() is None for p in cluster.processes.values()):
                time.sleep(1)
        print("Stopping the cluster.", flush=True)


if __name__ == "__main__":
    main()
