"""The production path: secrets from files, the shared cache (CACHE_URL) and what
happens when it is down, and the readiness check."""

import io
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest
from django.db import DatabaseError
from django.urls import reverse

from recovery import health, log
from recovery.cache import ForgivingRedisCache, ForgivingRedisCacheClient
from recovery.log import JsonFormatter
from recovery.models import pseudonym

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def settings_value(expression: str, **env: str) -> subprocess.CompletedProcess:
    """Load the settings in a fresh process with `env` and print `expression`."""
    clean = {k: v for k, v in os.environ.items() if not k.endswith("_FILE")}
    clean = {
        k: v
        for k, v in clean.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "CACHE_URL", "DEBUG"}
    }
    code = f"from recovery import settings as s; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean | {"DEBUG": "0"} | env,
        capture_output=True,
        text=True,
        check=False,
    )


# --- Secrets from files -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expression", "secret"),
    [
        ("SECRET_KEY", "s.SECRET_KEY", "k" * 50),
        (
            "DATABASE_URL",
            "s.DATABASES['default']['NAME']",
            "postgresql://app@db.internal:5432/planner",
        ),
        (
            "EMAIL_HOST_PASSWORD",
            "s.MAILERS['default']['OPTIONS']['password']",
            "pw",
        ),
    ],
)
def test_a_secret_can_come_from_a_file(tmp_path, name, expression, secret):
    secret_file = tmp_path / name.lower()
    secret_file.write_text(secret + "\n")
    env = {f"{name}_FILE": str(secret_file)}
    if name != "SECRET_KEY":
        env["SECRET_KEY"] = "k" * 50
    result = settings_value(expression, **env)

    assert result.returncode == 0, result.stderr
    expected = "planner" if name == "DATABASE_URL" else secret
    assert result.stdout.strip() == expected


def test_a_missing_secret_file_is_said_in_one_line(tmp_path):
    result = settings_value("1", SECRET_KEY_FILE=str(tmp_path / "nothing-here"))

    assert result.returncode != 0
    assert "SECRET_KEY_FILE names" in result.stderr
    assert "cannot be read (No such file or directory)" in result.stderr


def test_a_secret_and_its_file_together_are_refused(tmp_path):
    (tmp_path / "key").write_text("k" * 50)
    result = settings_value(
        "1", SECRET_KEY="j" * 50, SECRET_KEY_FILE=str(tmp_path / "key")
    )
    assert "Set SECRET_KEY or SECRET_KEY_FILE, not both." in result.stderr


# --- The shared cache -------------------------------------------------------------


def test_without_cache_url_each_process_has_its_own_memory():
    result = settings_value("s.CACHES['default']['BACKEND']", SECRET_KEY="k" * 50)
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def test_a_redis_cache_url_is_shared_by_every_process():
    result = settings_value(
        "[c['BACKEND'] + ' ' + c['LOCATION'] for c in s.CACHES.values()]",
        SECRET_KEY="k" * 50,
        CACHE_URL="redis://cache.internal:6379/0",
    )
    assert result.stdout.strip() == (
        "['recovery.cache.ForgivingRedisCache redis://cache.internal:6379/0', "
        "'recovery.cache.ForgivingRedisCache redis://cache.internal:6379/0']"
    )


def test_another_cache_scheme_is_refused_in_words():
    result = settings_value("1", SECRET_KEY="k" * 50, CACHE_URL="memcached://x:11211")
    assert "CACHE_URL must be redis:// or rediss://, or unset." in result.stderr


def redis_cache(location: str) -> ForgivingRedisCache:
    return ForgivingRedisCache(
        location,
        {
            "KEY_PREFIX": "test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    )


@pytest.fixture
def real_redis():
    cache = redis_cache(REDIS_URL)
    cache.set("probe", "yes", 5)
    if cache.get("probe") != "yes":
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(f"REQUIRE_REDIS=1 but no Redis answers at {REDIS_URL}")
        pytest.skip(f"no Redis answers at {REDIS_URL}")
    yield cache
    cache.clear()


def test_two_processes_share_what_one_keeps_in_redis(real_redis):
    code = (
        "from recovery.cache import ForgivingRedisCache as C; "
        f"c = C({REDIS_URL!r}, {{'KEY_PREFIX': 'test'}}); "
        "c.set('shared', 'from another process', 30)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    assert real_redis.get("shared") == "from another process"


def test_a_redis_that_is_down_answers_as_an_empty_cache(caplog, monkeypatch):
    monkeypatch.setattr(ForgivingRedisCacheClient, "_last_warning", float("-inf"))
    down = redis_cache("redis://127.0.0.1:1/0")  # nothing listens on port 1

    down.set("k", "v", 30)
    assert down.get("k", "default") == "default"
    assert down.add("k", "v") is False
    assert down.get_many(["a", "b"]) == {}
    assert down.delete("k") is False
    with pytest.raises(ValueError):
        down.incr("counter")
    assert "The cache (Redis) does not answer" in caplog.text


# --- Readiness --------------------------------------------------------------------


@pytest.mark.django_db
def test_ready_when_the_database_the_cache_and_the_queue_answer(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "tasks": "ok",
        "tasks_waiting": 0,
        "status": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_without_the_cache_a_server_is_still_ready_but_says_so(client, monkeypatch):
    monkeypatch.setattr(health, "cache", redis_cache("redis://127.0.0.1:1/0"))

    response = client.get(reverse("readyz"))

    # Every page still answers without the cache: a balancer keeps the server.
    assert response.status_code == 200
    assert response.json()["cache"] == "unavailable"
    assert response.json()["status"] == "degraded"
    assert response.json()["database"] == "ok"
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_not_ready_without_the_database(client, monkeypatch):
    class BrokenCursor:
        def __enter__(self):
            raise DatabaseError("connection refused")

        def __exit__(self, *exc):
            return False

    def no_queue():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", BrokenCursor)
    monkeypatch.setattr(health.DBTaskResult.objects, "ready", no_queue)

    body = client.get(reverse("readyz")).json()

    assert body["database"] == body["tasks"] == "unavailable"
    assert body["status"] == "unavailable"


# --- make serve -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_serve_runs_the_app_as_in_production(tmp_path):
    """DEBUG off, hashed static files collected first, gunicorn; every management
    command does as the environment says (manage.py no longer turns DEBUG on)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CACHE_URL"}}
    env |= {
        "SECRET_KEY": "s" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3",
        "SECURE_SSL_REDIRECT": "0",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        page = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urlopen(f"http://127.0.0.1:{port}/accounts/login/") as answer:  # noqa: S310  # nosec B310
                    page = answer.read().decode()
                    break
            except OSError:
                time.sleep(0.3)
        assert page is not None, server.stderr.read().decode() if server.poll() else ""
        stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, "the page links the hashed stylesheet from the manifest"
        with urlopen(f"http://127.0.0.1:{port}{stylesheet.group(1)}") as css:  # noqa: S310  # nosec B310
            assert "immutable" in css.headers["Cache-Control"]
        assert "Traceback" not in page and "DEBUG" not in page
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


# --- Logs and the request id ------------------------------------------------------


@pytest.fixture
def json_request_log():
    """The request logger's lines as production writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("recovery.request")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.mark.django_db
def test_each_request_is_one_json_line_with_its_id_and_no_member_text(
    client, member, json_request_log
):
    client.force_login(member)
    response = client.get(reverse("goals:list"), {"q": "ZQ-MEMBER-WORDS-QZ"})
    (line,) = [x for x in json_request_log() if x["path"] == reverse("goals:list")]

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert line["request_id"] == response["X-Request-ID"]
    assert line["method"] == "GET" and line["status"] == 200
    assert line["person"] == pseudonym(member)
    assert isinstance(line["duration_ms"], float)
    assert {"time", "level", "logger", "message"} <= set(line)
    text = json.dumps(line)
    assert "ZQ-MEMBER-WORDS-QZ" not in text and member.username not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("incoming", "kept"),
    [("haproxy-7f3a9c01", True), ("short", False), ("bad id; rm -rf", False)],
)
def test_a_sane_request_id_from_the_balancer_is_kept(client, incoming, kept):
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID=incoming)
    assert (response["X-Request-ID"] == incoming) is kept


def test_a_line_written_while_serving_carries_the_request_id():
    record = logging.LogRecord("recovery", logging.ERROR, __file__, 1, "boom", (), None)
    token = log.request_id.set("req-12345678")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        log.request_id.reset(token)
    assert line["request_id"] == "req-12345678" and line["message"] == "boom"


def test_production_logs_are_json_by_default():
    result = settings_value(
        "s.LOGGING['handlers']['console']['formatter']", SECRET_KEY="k" * 50
    )
    assert result.stdout.strip() == "json"


def test_a_redis_that_hangs_costs_one_timeout_not_one_a_call(monkeypatch):
    """A socket that accepts and never answers, as a hung Redis does."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    hung = redis_cache(f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
    try:
        started = time.monotonic()
        assert hung.get("first", "miss") == "miss"  # waits out one timeout
        first = time.monotonic() - started
        started = time.monotonic()
        for n in range(20):
            assert hung.get(f"key{n}", "miss") == "miss"
        rest = time.monotonic() - started
    finally:
        listener.close()
    assert first >= 0.4
    assert rest < 0.2


@pytest.mark.django_db
def test_a_token_in_a_path_never_reaches_the_log(client, json_request_log):
    client.get("/invite/ZQ-SECRET-INVITATION-TOKEN-QZ/")
    client.get("/no/such/page/ZQ-TYPED-QZ/")
    lines = json_request_log()

    assert [line["path"] for line in lines] == ["/invite/<str:token>/", "(no page)"]
    assert "ZQ" not in json.dumps(lines)
