"""Settings read from the environment, and the set-up commands' own checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from recovery.settings import BASE_DIR, database_from_url, env_bool

ROOT = Path(__file__).resolve().parents[2]


def test_sqlite_urls_are_relative_to_the_project_or_absolute():
    db = database_from_url("sqlite:///var/db.sqlite3")
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(BASE_DIR / "var" / "db.sqlite3")
    assert database_from_url("sqlite:////tmp/x.db")["NAME"] == "/tmp/x.db"


def test_sqlite_writers_wait_their_turn():
    options = database_from_url("sqlite:///var/db.sqlite3")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


def test_postgresql_urls_carry_every_part():
    db = database_from_url("postgresql://rita:p%40ss@db.local:6543/recovery")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "rita",
        "p@ss",
        "db.local",
        "6543",
        "recovery",
    )


def test_an_unknown_database_scheme_is_a_clear_error():
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        database_from_url("mysql://x@y/z")


def test_yes_no_settings_refuse_other_words(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG")
    monkeypatch.setenv("SOME_FLAG", "off")
    assert env_bool("SOME_FLAG", True) is False


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return env | extra


def test_a_missing_secret_key_with_debug_off_is_one_plain_line():
    result = subprocess.run(
        [sys.executable, "-c", "import recovery.settings"],
        cwd=ROOT,
        env=_clean_env(DEBUG="0"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == "SECRET_KEY must be set when DEBUG is off.\n"


def test_with_a_secret_key_debug_off_starts():
    result = subprocess.run(
        [sys.executable, "-c", "import recovery.settings as s; print(s.DEBUG)"],
        cwd=ROOT,
        env=_clean_env(DEBUG="0", SECRET_KEY="x" * 50),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.skipif(not Path("/usr/bin/make").exists(), reason="make is not installed")
def test_make_names_the_python_to_install_when_it_is_too_old(tmp_path):
    old_python = tmp_path / "python3"
    old_python.write_text(
        "#!/bin/sh\n"
        '[ "$1" = "--version" ] && { echo "Python 3.10.4"; exit 0; }\n'
        "exit 1\n"
    )
    old_python.chmod(0o755)
    result = subprocess.run(
        ["make", "-s", "python-check", f"PYTHON={old_python}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Python 3.12 or newer" in result.stdout
    assert "found: Python 3.10.4" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_process_that_imports_pytest_still_gets_production_settings():
    """Only the suite's own settings module (tests/settings.py) eases hashing and
    two-step sign-in; importing pytest somewhere changes nothing."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pytest, recovery.settings as s; "
            "print(s.PASSWORD_HASHERS[0], s.REQUIRE_STAFF_2FA, s.TASKS_BACKEND)",
        ],
        cwd=ROOT,
        env=_clean_env(DEBUG="0", SECRET_KEY="x" * 50),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "True",
        "database",
    ]
