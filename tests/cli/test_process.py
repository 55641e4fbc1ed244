"""The real `kratom` executable, and durability when the process is killed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

KRATOM = Path(sys.executable).with_name("kratom")


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KRATOM), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_installed_command_logs_and_reports(tmp_path: Path) -> None:
    env = {**os.environ, "KRATOM_DB": str(tmp_path / "j.sqlite3"), "TZ": "Asia/Bangkok"}
    env.pop("KRATOM_NOW", None)
    logged = run("log", "2g", env=env)
    assert logged.returncode == 0, logged.stderr
    assert "Today: 2 g of the 10 g daily cap" in logged.stdout
    bad = run("log", "2 lbs", env=env)
    assert bad.returncode == 2
    assert "amount: unknown unit 'lbs'" in bad.stderr
    assert "Asia/Bangkok" in run("today", env=env).stdout


def test_help_does_not_load_the_database_layer() -> None:
    code = "import sys; from kratom_journal.cli import main; print(sorted(m for m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    loaded = result.stdout
    for heavy in ("sqlalchemy", "alembic", "psycopg"):
        assert f"'{heavy}'" not in loaded, heavy


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from kratom_journal.services.entries import DoseInput, log_dose
    from kratom_journal.services.journal import open_journal

    start = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    journal = open_journal(sys.argv[1], now=start, environ={"TZ": "UTC"})
    for i in range(100000):
        now = start + timedelta(seconds=i)
        dose = log_dose(journal, DoseInput("1g", note="x" * 500), now=now).dose
        print(dose.id, flush=True)
    """
)


@pytest.mark.parametrize("acknowledged", [1, 17, 60])
def test_kill_9_loses_nothing_acknowledged(tmp_path: Path, acknowledged: int) -> None:
    db = tmp_path / "j.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    ids = [child.stdout.readline().strip() for _ in range(acknowledged)]
    # The writer is mid-way through its next transaction now; kill it hard.
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in connection.execute("SELECT id FROM doses")}
    assert {i.replace("-", "") for i in ids} <= stored
    assert len(stored) >= acknowledged
