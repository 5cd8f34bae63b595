"""The README's claims that a command can show: the environment table names every
setting the app reads, and the deploy check passes exactly as written."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SETTINGS = (ROOT / "recovery" / "settings.py").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"\n{title}\n")
    end = README.find("\n### ", start + len(title) + 2)
    return README[start:end]


def test_the_environment_table_names_every_setting_the_app_reads():
    read = set(re.findall(r'env_[a-z]+\(\s*"([A-Z0-9_]+)"', SETTINGS))
    table = set(
        re.findall(r"^\| `([A-Z0-9_]+)` \|", section("### The environment"), re.M)
    )
    makefile = {"WEB_CONCURRENCY", "BIND"}  # read by `make serve`

    assert read, "the settings read their knobs through env_*()"
    assert sorted(read - table) == [], "add these to README's environment table"
    assert sorted(table - read - makefile) == [], "the table names what is not read"


def test_every_secret_that_can_come_from_a_file_is_named():
    from_files = set(re.findall(r'env_secret\(\s*"([A-Z0-9_]+)"', SETTINGS))
    named = set(re.findall(r"`([A-Z0-9_]+)_FILE`", section("### The environment")))
    assert from_files == named == {"SECRET_KEY", "DATABASE_URL", "EMAIL_HOST_PASSWORD"}


def test_the_deploy_check_passes_exactly_as_written():
    block = re.search(
        r"```sh\n(SECRET_KEY=[^`]*?check --deploy --fail-level WARNING)\n```", README
    )
    assert block, "README shows the deploy check in a sh block"
    command = block.group(1).replace("python manage.py", f"{sys.executable} manage.py")
    command = command.replace("python -c", f"{sys.executable} -c")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"}
        and not k.startswith("DJANGO_ALLOW")
    }
    result = subprocess.run(  # noqa: S602  # nosec B602 (the README's own line)
        command,
        shell=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
