"""What the benchmark builds and how hard it loads the server, in one place, and the
environment the app runs under (the same for the bench process and for gunicorn)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"  # query logs and the server's log; git ignores var/
RESULTS = Path(__file__).resolve().parent / "results.json"

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/recovery_bench"
)

# The programme (issue 6): 2,000 members with a year of daily check-ins; seed_demo
# makes one supporter per ten members, so 200 supporters.
MEMBERS = 2000
DAYS = 365
SUPPORTERS = 200
CASELOAD = 40  # the bench supporter's members
CASELOAD_SUPPORTER = "supporter0001"
EXPORT_MEMBER = "bench-export"
EXPORT_DAYS = 5 * 365 + 1  # five years of daily check-ins, ending today

# Load: 16 connections for `DURATION` seconds a page, after a short warm-up.
CONNECTIONS = 16
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
WARMUP = 2
CEILING_DURATION = 5  # /healthz, measured before each page
WRK_THREADS = 2  # one per core
# Other work on the machine (a test run) skews every number: before loading, wait
# up to QUIET_WAIT seconds for the 1-minute load average to fall below QUIET_LOAD.
QUIET_LOAD = float(os.environ.get("BENCH_QUIET_LOAD", "1.0"))
QUIET_WAIT = int(os.environ.get("BENCH_QUIET_WAIT", "180"))
# Three sync workers on two cores: a sync worker sits idle while PostgreSQL answers
# (py-spy under wrk: about half of a member page's wall time is spent waiting in
# psycopg), so two would leave the cores idle part of the time; a fourth only adds
# contention with wrk and PostgreSQL on the same two cores. BENCH_WORKERS=2 or 4
# to compare.
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))

# Matching benchmark (plain data, no database).
BATCH_MEMBERS = 5000
BATCH_SUPPORTERS = 500
RANK_SUPPORTERS = 2000
MATCHING_SEED = 6

# Targets from issue 6.
TARGET_MEMBER_RATIO = 0.25
TARGET_STAFF_RATIO = 0.15
TARGET_P95_MS = 100
TARGET_BATCH_SECONDS = 2
TARGET_FIRST_VISIT = 150 * 1024
TARGET_LATER_VISIT = 30 * 1024
TARGET_EXPORT_MB = 100

SECRET_KEY = secrets.token_urlsafe(50)


def app_env(static_root: Path) -> dict[str, str]:
    """The app's environment: production settings (DEBUG off, hashed static files,
    secure cookies), the bench database, a throwaway secret."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_STATIC_ROOT": str(static_root),
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        # No TOTP devices in the bench data: staff sign in with a password alone.
        "REQUIRE_STAFF_2FA": "0",
        # Matching the bench supporter's members notifies people; keep it in memory.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONPATH": str(ROOT),
    }
