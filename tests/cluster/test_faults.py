"""Faults in the cluster, each with nothing lost: an app server killed under load,
Redis stopped, PostgreSQL restarted, a worker killed in the middle of a digest."""

import os
import shutil
import signal
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connections

from peers.management.commands.seed_demo import PASSWORD
from tests.cluster.client import Browser
from tests.cluster.test_cluster import (
    SAMS_DIGESTS,
    printed_digests,
    sams_digest_due_now,
)

# These stop and start the machine's own Redis and PostgreSQL, and kill processes:
# CI (.ci/run) asks for them; on a developer's machine they run only if asked.
pytestmark = [
    pytest.mark.cluster,
    pytest.mark.skipif(
        not os.environ.get("CLUSTER_FAULTS"),
        reason="stops the machine's Redis and PostgreSQL: set CLUSTER_FAULTS=1",
    ),
]

WRITES_PER_MEMBER = 25  # 20 members: 500 check-ins, messages and goals


def members_of_the_load(sql) -> list[tuple[str, bool]]:
    """Twenty members, and whether each has a supporter to write to."""
    rows = sql(
        "SELECT u.username, EXISTS (SELECT 1 FROM peers_match m WHERE "
        "m.member_id = u.id AND m.ended_at IS NULL) FROM recovery_user u "
        "WHERE u.role = 'member' AND u.is_active ORDER BY u.id LIMIT 20"
    )
    assert len(rows) == 20
    return rows


class Writer:
    """One member writing: each write is sent until an answer says it was done,
    with the same form (and one-time key) every time, as a browser's retry is."""

    def __init__(self, base: str, username: str, can_write_to_supporter: bool):
        self.browser = Browser(base)
        self.username = username
        self.messages = can_write_to_supporter
        self.done: list[str] = []  # the words of each write the member saw done
        self.failed_first = 0

    def start(self) -> None:
        self.browser.sign_in(self.username, PASSWORD)
        page = self.browser.get("/check-in/")
        self.csrf = page.hidden_fields(None)["csrfmiddlewaretoken"]
        self.send("/check-in/", {"wellbeing": "6", "hope": "6"}, "check-in")

    def send(self, path: str, fields: dict, words: str) -> None:
        form = fields | {"csrfmiddlewaretoken": self.csrf, "once": str(uuid.uuid4())}
        for attempt in range(20):
            try:
                answer = self.browser.request("POST", path, form)
            except OSError:  # the connection broke: the server died meanwhile
                answer = None
            if answer is not None and answer.status == 302:
                self.done.append(words)
                return
            self.failed_first += attempt == 0
            time.sleep(0.5)
        raise AssertionError(f"{self.username}: {words} was never done")

    def write(self, n: int, run: str) -> None:
        words = f"load {run} {self.username} {n}"
        if self.messages:
            self.send("/my-supporter/conversation/", {"text": words}, words)
        else:
            fields = {"title": words, "why": "", "domain": "health"}
            self.send("/goals/new/", fields, words)


def test_an_app_server_killed_under_load_loses_nothing(cluster, sql):
    run = uuid.uuid4().hex[:8]
    writers = [
        Writer(cluster.url, name, talks) for name, talks in members_of_the_load(sql)
    ]
    for writer in writers:
        writer.start()
    killed = threading.Event()

    def member_writes(writer: Writer) -> None:
        for n in range(WRITES_PER_MEMBER - 1):
            writer.write(n, run)
            if not killed.is_set() and sum(len(w.done) for w in writers) > 150:
                killed.set()
                cluster.stop("app1", signal.SIGKILL)

    with ThreadPoolExecutor(max_workers=len(writers)) as pool:
        list(pool.map(member_writes, writers))

    try:
        assert killed.is_set()
        print(
            f"writes that failed at first and were sent again: "
            f"{sum(w.failed_first for w in writers)}"
        )
        done = [words for writer in writers for words in writer.done]
        assert len(done) == 20 * WRITES_PER_MEMBER
        messages = sql(
            "SELECT text, count(*) FROM peers_message WHERE text LIKE %s GROUP BY text",
            f"load {run} %",
        )
        goals = sql(
            "SELECT title, count(*) FROM goals_goal WHERE title LIKE %s GROUP BY title",
            f"load {run} %",
        )
        kept = dict(messages + goals)
        expected = {w for w in done if w != "check-in"}
        assert set(kept) == expected  # every write seen done is there
        assert set(kept.values()) == {1}  # and there once, retries included
    finally:
        cluster.start_app_server("app1", cluster.app_ports[0])
        cluster.wait_ready(cluster.app_ports[0])


def test_without_redis_the_app_still_serves_and_the_lockout_holds(cluster, sql):
    maya = Browser(cluster.url)
    maya.sign_in("maya", PASSWORD)
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], check=False)
    try:
        time.sleep(3)  # longer than the balancer takes to take a failing server out
        pages = [maya.get(path) for path in ("/today/", "/timeline/", "/goals/") * 2]
        ready = maya.get("/readyz")
        guesser = Browser(cluster.url)
        for _ in range(5):
            guesser.sign_in("noor", "not-her-password")
        locked = guesser.sign_in("noor", PASSWORD)

        assert [page.status for page in pages] == [200] * 6
        # Still ready (the balancer keeps both servers), and it says why slower.
        assert ready.status == 200 and '"cache": "unavailable"' in ready.text
        assert locked.status == 429
    finally:
        sql("DELETE FROM axes_accessattempt WHERE username = 'noor' RETURNING id")
        # As a cache: no snapshots (one that cannot be written stops all writes).
        subprocess.run(
            ["redis-server", "--bind", "127.0.0.1", "--port", "6379"]
            + ["--save", "", "--dir", "/tmp", "--daemonize", "yes"],
            check=True,
        )
        for _ in range(50):
            if (
                subprocess.run(["redis-cli", "ping"], capture_output=True).returncode
                == 0
            ):
                break
            time.sleep(0.1)


def postgresql(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action]
        + (["-m", "fast"] if action == "stop" else []),
        check=True,
    )


@pytest.mark.skipif(
    not Path("/etc/postgresql").is_dir() or not shutil.which("pg_ctlcluster"),
    reason="needs the machine's own PostgreSQL cluster (pg_ctlcluster)",
)
def test_while_postgresql_restarts_the_app_answers_503_and_then_recovers(cluster, sql):
    maya = Browser(cluster.url)
    maya.sign_in("maya", PASSWORD)
    postgresql("stop")
    try:
        # The app's own 503 at once; then, once the balancer has taken the servers
        # out, its own page: the same calm words and the crisis lines in both.
        at_once = maya.get("/today/")
        time.sleep(3)
        later = maya.get("/today/")
        for page in (at_once, later):
            assert page.status == 503
            assert "Nothing you saved is lost" in page.text
            assert 'href="tel:988"' in page.text
    finally:
        postgresql("start")
        # This test process's own connections died with the server.
        connections.close_all()
    deadline = time.monotonic() + 30
    while (page := maya.get("/today/")).status != 200:
        assert time.monotonic() < deadline, page.status
        time.sleep(0.5)
    assert "Maya" in page.text  # the same session, no app restart
    # The worker waited for the database too, and runs tasks again (its tick).
    back = sql("SELECT now()")[0][0]
    deadline = time.monotonic() + 90
    while not sql(
        "SELECT id FROM django_tasks_database_dbtaskresult "
        "WHERE status = 'SUCCESSFUL' AND finished_at > %s",
        back,
    ):
        assert cluster.processes["worker"].poll() is None, "the worker stopped"
        assert time.monotonic() < deadline, "the worker ran nothing after the restart"
        time.sleep(1)


def test_a_worker_killed_in_the_middle_of_a_digest_does_not_send_it_twice(cluster, sql):
    caught = False
    for _ in range(3):  # until the kill falls between asking and sending
        sams_digest_due_now(sql)
        before = printed_digests()
        deadline = time.monotonic() + 90
        while not (rows := sql(SAMS_DIGESTS)):
            assert time.monotonic() < deadline, "the worker never asked for it"
            time.sleep(0.02)
        cluster.stop("worker", signal.SIGKILL)
        if rows[0][1] == "waiting":
            caught = True
            break
        cluster.start_worker()
    assert caught, "the worker always sent the digest before it could be killed"

    cluster.start_worker()
    deadline = time.monotonic() + 150
    while sql(SAMS_DIGESTS)[0][1] != "sent":
        assert time.monotonic() < deadline, "the restarted worker did not finish it"
        time.sleep(1)
    assert len(sql(SAMS_DIGESTS)) == 1
    assert printed_digests() - before == 1
