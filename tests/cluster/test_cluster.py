"""Several app servers behind one balancer, one PostgreSQL and one Redis: what a
person does works whichever server answers, and what is shared stays shared."""

import re
import time
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from deploy.cluster import VAR
from peers.management.commands.seed_demo import PASSWORD
from tests.cluster.client import Browser

pytestmark = pytest.mark.cluster

# Today's row of the chart's table: its day, wellbeing, hope and moments.
TODAYS_ROW = re.compile(
    r'<tr><th scope="row">[^<]+</th><td>(\d+)</td><td>(\d+)</td><td>[^<]*</td></tr>'
    r"\s*</tbody>"
)


def check_in(browser: Browser, wellbeing: int, hope: int):
    return browser.submit(
        "/check-in/", {"wellbeing": str(wellbeing), "hope": str(hope)}
    )


def test_a_members_journey_through_the_balancer(cluster, sql):
    title = f"Cluster walk {uuid.uuid4().hex[:8]}"  # the database outlives a run
    maya = Browser(cluster.url)
    signed_in = maya.sign_in("maya", PASSWORD)
    checked_in = check_in(maya, 6, 7)
    goal = maya.submit(
        "/goals/new/", {"title": title, "why": "Fresh air", "domain": "health"}
    )
    goal_path = goal.headers["Location"]
    step = maya.submit(goal_path, {"title": "Find shoes"}, action=f"{goal_path}steps/")

    assert signed_in.status == checked_in.status == goal.status == 302
    assert step.status in {200, 302}
    assert {"app1", "app2"} <= set(maya.served_by), maya.served_by
    rows = sql(
        "SELECT c.wellbeing, c.hope FROM goals_checkin c JOIN recovery_user u "
        "ON u.id = c.member_id WHERE u.username = 'maya' ORDER BY c.day DESC LIMIT 1"
    )
    assert rows == [(6, 7)]
    assert sql(
        "SELECT s.title FROM goals_step s JOIN goals_goal g ON g.id = s.goal_id "
        "WHERE g.title = %s",
        title,
    ) == [("Find shoes",)]


def test_the_lockout_holds_across_servers(cluster, sql):
    guesser = Browser(cluster.url)
    try:
        for _ in range(5):
            guesser.sign_in("noor", "not-her-password")
        locked = guesser.sign_in("noor", PASSWORD)

        assert {"app1", "app2"} <= set(guesser.served_by)
        assert locked.status == 429, locked.status
    finally:
        sql("DELETE FROM axes_accessattempt WHERE username = 'noor' RETURNING id")


def test_a_chart_drawn_on_one_server_is_fresh_on_the_other(cluster):
    maya = Browser(cluster.url)
    maya.sign_in("maya", PASSWORD)
    for wellbeing, hope in [(2, 9), (9, 2)]:
        maya.get("/timeline/")  # drawn, and kept in the shared cache
        check_in(maya, wellbeing, hope)
        shown = [maya.get("/timeline/") for _ in range(2)]

        assert {page.served_by for page in shown} == {"app1", "app2"}
        for page in shown:
            assert TODAYS_ROW.search(page.text).groups() == (str(wellbeing), str(hope))


SAMS_DIGESTS = (
    "SELECT e.id, e.status FROM recovery_outgoingemail e "
    "JOIN recovery_user u ON u.id = e.user_id "
    "WHERE u.username = 'sam' AND e.kind = 'supporter_digest'"
)


def cluster_log(name: str) -> str:
    path = VAR / f"{name}.log"
    return path.read_text(errors="replace") if path.exists() else ""


def printed_digests() -> int:
    """Digests the workers sent (the console mail backend prints each)."""
    logs = [cluster_log(name) for name in ("worker", "worker2")]
    return sum(log.count("Subject: Your caseload today") for log in logs)


def wait_until_sam_has_a_sent_digest(sql, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not any(status == "sent" for _id, status in sql(SAMS_DIGESTS)):
        assert time.monotonic() < deadline, "no worker sent Sam's digest"
        time.sleep(1)


def sams_digest_due_now(sql) -> None:
    """Sam's digest falls due now in his zone, and today's is not yet asked for."""
    (zone,) = sql("SELECT time_zone FROM recovery_user WHERE username = 'sam'")[0]
    due = (datetime.now(ZoneInfo(zone)) - timedelta(minutes=1)).time()
    sql(
        'INSERT INTO peers_digestsetting (user_id, "on", at) '
        "SELECT id, true, %s FROM recovery_user WHERE username = 'sam' "
        'ON CONFLICT (user_id) DO UPDATE SET "on" = true, at = EXCLUDED.at '
        "RETURNING id",
        due,
    )
    ids = [pk for pk, _status in sql(SAMS_DIGESTS)]
    sql("DELETE FROM recovery_outgoingemail WHERE id = ANY(%s) RETURNING id", ids)


def test_a_supporters_digest_is_sent_once_with_two_workers(cluster, sql):
    sams_digest_due_now(sql)
    before = printed_digests()
    cluster.start_worker("worker2")
    try:
        wait_until_sam_has_a_sent_digest(sql, 150)
        time.sleep(65)  # a whole tick more, for both workers

        assert len(sql(SAMS_DIGESTS)) == 1
        assert printed_digests() - before == 1
    finally:
        cluster.stop("worker2")
