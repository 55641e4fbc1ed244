"""A big import lets other writers through and is never seen half done; killed
with SIGKILL at any point, it leaves all of the import or none of it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kratom_journal.services import transfer
from kratom_journal.services.journal import open_journal
from tests.conftest import Kratom
from tests.damage import integrity

KRATOM = Path(sys.executable).with_name("kratom")
ROOT = Path(__file__).parents[2]
IMPORTED = 1500  # big enough to take a while, small enough for CI


def big_export(kratom: Kratom, count: int = IMPORTED) -> dict[str, Any]:
    """This journal's export plus `count` more doses (new ids), as another
    device's journal would have them."""
    kratom.ok("log", "2g", "--note", "first")
    document: dict[str, Any] = json.loads(kratom.ok("export").stdout)
    [dose] = document["doses"]
    document["doses"] = [dose] + [
        dose | {"id": str(uuid.uuid4()), "note": f"imported {i}"} for i in range(count)
    ]
    return document


def notes(db: Path) -> list[str]:
    connection = sqlite3.connect(db)
    try:
        return [
            row[0] for row in connection.execute("SELECT coalesce(note, '') FROM doses")
        ]
    finally:
        connection.close()


def imported(db: Path) -> int:
    return sum(1 for note in notes(db) if note.startswith("imported "))


def test_a_log_during_a_big_import_gets_through_and_the_import_is_whole(
    kratom: Kratom, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = big_export(kratom)
    planned, logged = threading.Event(), threading.Event()
    real_plan = transfer._plan

    def plan_then_wait(*args: Any) -> transfer.ImportPlan:
        plan = real_plan(*args)
        if not planned.is_set():  # the first plan: hold the import here
            planned.set()
            assert logged.wait(timeout=60)
        return plan

    monkeypatch.setattr(transfer, "_plan", plan_then_wait)
    journal = open_journal(
        str(kratom.db), now=datetime(2026, 11, 22, 14, tzinfo=UTC), environ={}
    )
    plans: list[transfer.ImportPlan] = []
    importer = threading.Thread(
        target=lambda: plans.append(
            transfer.import_document(
                journal,
                document,
                source="big.json",
                now=datetime(2026, 11, 22, 14, tzinfo=UTC),
                dry_run=False,
            )
        )
    )
    importer.start()
    try:
        assert planned.wait(timeout=60)
        # The import has done its planning and holds no lock: a `log` in another
        # process gets through, and nothing of the import is visible yet.
        env = {**os.environ, "KRATOM_DB": str(kratom.db), "TZ": "UTC"}
        log = subprocess.run(
            [str(KRATOM), "log", "1g", "--note", "during the import"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert log.returncode == 0, log.stderr
        assert imported(kratom.db) == 0
    finally:
        logged.set()
        importer.join(timeout=120)
        journal.close()
    assert not importer.is_alive()
    assert plans[0].added["doses"] == IMPORTED
    assert sorted(n for n in notes(kratom.db) if not n.startswith("imported ")) == [
        "during the import",
        "first",
    ]
    assert imported(kratom.db) == IMPORTED


# kill -9 ---------------------------------------------------------------------

# Runs an import and stops at POINT: prints "ready", then waits to be killed.
IMPORTER = textwrap.dedent(
    """
    import json, sys
    from datetime import UTC, datetime
    from kratom_journal.services import transfer
    from kratom_journal.services.journal import open_journal
    from kratom_journal.store.repository import Repository

    db, file, point = sys.argv[1:4]

    def stop_here():
        print("ready", flush=True)
        sys.stdin.read()  # killed while waiting

    def after(owner, name, when):
        real = getattr(owner, name)
        def wrapped(*args, **kwargs):
            result = real(*args, **kwargs)
            if when == point:
                stop_here()
            return result
        setattr(owner, name, wrapped)

    after(transfer, "_plan", "planned")
    after(Repository, "stage", "staged")
    after(Repository, "insert_staged", "inserted, not committed")
    after(transfer, "import_document", "committed")
    now = datetime(2026, 11, 22, 14, tzinfo=UTC)
    journal = open_journal(db, now=now, environ={"TZ": "UTC"})
    with open(file, encoding="utf-8") as source:
        document = json.load(source)
    transfer.import_document(journal, document, source=file, now=now, dry_run=False)
    """
)

KILL_POINTS = ["planned", "staged", "inserted, not committed", "committed"]


@pytest.mark.parametrize("point", KILL_POINTS)
def test_an_import_killed_at_any_point_is_all_there_or_not_at_all(
    kratom: Kratom, tmp_path: Path, point: str
) -> None:
    file = tmp_path / "big.json"
    file.write_text(json.dumps(big_export(kratom, 300)), encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(kratom.db), str(file), point],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline() == "ready\n"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    child.stdout.close()
    child.stdin.close()

    assert integrity(kratom.db) == "ok"
    assert imported(kratom.db) == (300 if point == "committed" else 0)
    # The journal opens and works, and the import can simply be run again.
    kratom.ok("log", "1g")
    again = kratom.json("import", str(file))
    assert again["added"].get("doses", 0) == (0 if point == "committed" else 300)
    assert imported(kratom.db) == 300
