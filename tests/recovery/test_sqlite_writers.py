"""SQLite, the default database, with several processes writing at once: each
write waits its turn instead of failing with "database is locked"."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 4
MEMBERS_EACH = 5
DAYS = 3

SETUP = """
import sys
import django; django.setup()
from django.core.management import call_command
from recovery.models import User
call_command("migrate", verbosity=0)
User.objects.bulk_create(
    User(username=f"writer-{n}", email=f"writer-{n}@example.org")
    for n in range(int(sys.argv[1]))
)
"""

# Each process waits for the same moment, then its threads record check-ins
# (a read, then a write, in one transaction: the case SQLite used to refuse).
WRITER = """
import datetime, sys, threading, time
import django; django.setup()
from django.db import connection
from goals.services import checkin_record
from recovery.models import User

first, count, start = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
failures = []

def write(n):
    member = User.objects.get(username=f"writer-{n}")
    try:
        for d in range(int(sys.argv[4])):
            day = datetime.date(2026, 12, 1) + datetime.timedelta(days=d)
            checkin_record(member=member, wellbeing=3, hope=4, day=day)
    except Exception as error:
        failures.append(repr(error))
    finally:
        connection.close()

members = range(first, first + count)
threads = [threading.Thread(target=write, args=(n,)) for n in members]
while time.time() < start:
    time.sleep(0.001)
for t in threads: t.start()
for t in threads: t.join()
for failure in failures: print(failure)
"""


def _env(db: Path) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "recovery.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-key-for-this-test-only-" + "x" * 40,
    }


def test_simultaneous_check_ins_from_several_processes_all_land(tmp_path):
    db = tmp_path / "db.sqlite3"
    members = PROCESSES * MEMBERS_EACH
    subprocess.run(
        [sys.executable, "-c", SETUP, str(members)],
        cwd=ROOT,
        env=_env(db),
        check=True,
    )

    start = str(time.time() + 3)
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER,
                str(p * MEMBERS_EACH),
                str(MEMBERS_EACH),
                start,
                str(DAYS),
            ],
            cwd=ROOT,
            env=_env(db),
            stdout=subprocess.PIPE,
            text=True,
        )
        for p in range(PROCESSES)
    ]
    failures = "".join(w.communicate(timeout=120)[0] for w in writers).strip()
    counted = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from goals.models import CheckIn; "
            "print(CheckIn.objects.count())",
        ],
        cwd=ROOT,
        env=_env(db),
        capture_output=True,
        text=True,
        check=True,
    )

    assert failures == ""
    assert int(counted.stdout) == members * DAYS
