"""No command writes over what it should not: an existing output file is replaced
only with --force, and the journal, its -wal/-shm files and a backup of it are
refused always, also through a symbolic link."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from tests.cli.test_trial import design

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import Kratom

OLD = b"an older file the person keeps\n"


@dataclass(frozen=True)
class Output:
    """A command with an output path; `args(file)` makes it write `file`."""

    name: str
    args: Callable[[Path], list[str]]
    option: str  # the field the message names
    starts: bytes  # how a freshly written file begins
    prepare: Callable[[Kratom], object] = lambda kratom: None


def _charts(file: Path) -> list[str]:
    return ["insights", "--charts", str(file.parent)]


OUTPUTS = [
    Output("export", lambda f: ["export", "-o", str(f)], "output", b"{"),
    Output(
        "export-csv",
        lambda f: ["export", "--format", "csv", "-o", str(f)],
        "output",
        b"id,",
    ),
    Output(
        "export-fhir",
        lambda f: ["export", "--format", "fhir", "--output", str(f)],
        "output",
        b"{",
    ),
    Output(
        "report",
        lambda f: ["report", "-o", str(f.with_suffix(".html"))],
        "output",
        b"<!DOCTYPE html>",
    ),
    Output(
        "plan-ics",
        lambda f: ["plan", "export", "--ics", str(f)],
        "ics",
        b"BEGIN:VCALENDAR",
    ),
    Output("backup", lambda f: ["backup", str(f)], "path", b"SQLite format 3\x00"),
    Output("insights-charts", _charts, "charts", b"\x89PNG"),
    Output(
        "trial-chart",
        lambda f: ["trial", "analyze", "--chart", str(f.with_suffix(".svg"))],
        "chart",
        b"<?xml",
        prepare=design,
    ),
]


def target(output: Output, folder: Path) -> Path:
    """The file `output` writes when given `folder / "out.dat"`."""
    if output.name == "insights-charts":
        return folder / "pain-over-time.png"
    if output.name == "report":
        return folder / "out.html"
    if output.name == "trial-chart":
        return folder / "out.svg"
    return folder / "out.dat"


def run(kratom: Kratom, output: Output, file: Path, *extra: str) -> tuple[int, str]:
    result = kratom(*output.args(file), *extra)
    return result.exit_code, result.stderr


def journal_state(kratom: Kratom) -> tuple[str, int]:
    with sqlite3.connect(kratom.db) as connection:
        (check,) = connection.execute("PRAGMA integrity_check").fetchone()
        (doses,) = connection.execute("SELECT count(*) FROM doses").fetchone()
    return check, doses


@pytest.fixture
def filled(kratom: Kratom) -> Kratom:
    kratom.ok("log", "2g", "--note", "knee")
    kratom.ok("checkin", "--pain", "4")
    return kratom


@pytest.mark.parametrize("output", OUTPUTS, ids=[o.name for o in OUTPUTS])
def test_an_existing_file_is_replaced_only_with_force(
    filled: Kratom, output: Output, tmp_path: Path
) -> None:
    output.prepare(filled)
    folder = tmp_path / "out"
    folder.mkdir()
    file = target(output, folder)
    file.write_bytes(OLD)

    code, stderr = run(filled, output, folder / "out.dat")
    assert code == 2
    assert f"{output.option}: {file} already exists" in stderr
    assert "--force" in stderr
    assert file.read_bytes() == OLD

    code, stderr = run(filled, output, folder / "out.dat", "--force")
    assert code == 0, stderr
    assert file.read_bytes().startswith(output.starts)
    assert not list(folder.glob(".*partial"))  # no temporary file left behind


def _journal(kratom: Kratom, folder: Path) -> Path:
    return kratom.db


def _wal(kratom: Kratom, folder: Path) -> Path:
    return kratom.db.with_name(kratom.db.name + "-wal")


def _shm(kratom: Kratom, folder: Path) -> Path:
    return kratom.db.with_name(kratom.db.name + "-shm")


def _link(kratom: Kratom, folder: Path) -> Path:
    link = folder / "innocent-looking.txt"
    link.symlink_to(kratom.db)
    return link


def _backup(kratom: Kratom, folder: Path) -> Path:
    copy = folder / "copy-of-my-journal.dat"
    kratom.ok("backup", str(copy))
    return copy


PROTECTED: list[tuple[str, Callable[[Kratom, Path], Path]]] = [
    ("journal", _journal),
    ("wal", _wal),
    ("shm", _shm),
    ("symlink-to-journal", _link),
    ("backup-copy", _backup),
]


@pytest.mark.parametrize(
    ("kind", "protected"), PROTECTED, ids=[p[0] for p in PROTECTED]
)
@pytest.mark.parametrize("output", OUTPUTS, ids=[o.name for o in OUTPUTS])
def test_the_journal_and_its_copies_are_refused_even_with_force(
    filled: Kratom,
    output: Output,
    kind: str,
    protected: Callable[[Kratom, Path], Path],
    tmp_path: Path,
) -> None:
    output.prepare(filled)
    folder = tmp_path / "out"
    folder.mkdir()
    victim = protected(filled, folder)
    before = journal_state(filled)
    if output.name in ("insights-charts", "report", "trial-chart"):
        # These choose the file name themselves: give them a link to the victim.
        file = target(output, folder)
        file.symlink_to(victim.resolve() if kind != "symlink-to-journal" else victim)
    else:
        file = victim
    code, stderr = run(filled, output, file, "--force")
    assert code == 2, stderr
    assert "never overwritten" in stderr
    assert journal_state(filled) == before == ("ok", 1)
    if kind == "backup-copy":
        assert victim.read_bytes().startswith(b"SQLite format 3\x00")
