"""A journal on read-only media (a tmpfs remounted read-only): reading commands
work, writing ones exit 3 saying so, and nothing is written."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tests.conftest import Kratom
from tests.mounts import remount_read_only, tmpfs
from tests.store.test_database import pretend_newer_program

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def read_only_journal(tmp_path: Path) -> Iterator[Kratom]:
    """A journal with entries, on a tmpfs that is then remounted read-only."""
    with tmpfs(tmp_path / "media", "4m", "read-only media tests") as media:
        kratom = Kratom(media / "journal.sqlite3")
        kratom.ok("product", "add", "Red Bali", "--tsp-grams", "2.3")
        kratom.ok("log", "2g", "-p", "Red Bali", "--at", "-3h", "--note", "tea")
        kratom.ok("checkin", "--pain", "4")
        remount_read_only(media)
        yield kratom


READING = [
    ("history",),
    ("today",),
    ("export",),
    ("export", "--format", "csv"),
    ("export", "--format", "fhir"),
    ("insights",),
    ("check",),
    ("check", "1g"),
    ("next",),
    ("profile", "show"),
    ("product", "list"),
]


@pytest.mark.parametrize("command", READING, ids=" ".join)
def test_reading_commands_work_on_read_only_media(
    read_only_journal: Kratom, command: tuple[str, ...]
) -> None:
    result = read_only_journal(*command)
    assert result.exit_code == 0, result.output


def test_the_report_and_a_backup_are_written_elsewhere(
    read_only_journal: Kratom, tmp_path: Path
) -> None:
    read_only_journal.ok("report", "-o", str(tmp_path / "report.html"))
    assert "Red Bali" in (tmp_path / "report.html").read_text(encoding="utf-8")
    read_only_journal.ok("backup", str(tmp_path / "copy.sqlite3"))
    assert (tmp_path / "copy.sqlite3").is_file()


def test_the_export_has_the_entries(read_only_journal: Kratom) -> None:
    document = json.loads(read_only_journal.ok("export").stdout)
    assert [d["note"] for d in document["doses"]] == ["tea"]


@pytest.mark.parametrize(
    "command",
    [("log", "1g"), ("checkin", "--pain", "3"), ("product", "add", "Green Maeng Da")],
    ids=" ".join,
)
def test_writing_commands_exit_3_saying_the_journal_is_read_only(
    read_only_journal: Kratom, command: tuple[str, ...]
) -> None:
    result = read_only_journal(*command)
    assert result.exit_code == 3, result.output
    assert "is read-only" in result.stderr
    assert "nothing was saved" in result.stderr


def test_a_journal_needing_an_upgrade_on_read_only_media_says_so(
    read_only_journal: Kratom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pretend_newer_program(tmp_path, monkeypatch)
    result = read_only_journal("history")
    assert result.exit_code == 3, result.output
    assert "is read-only, and this release must upgrade its format" in result.stderr


@pytest.mark.parametrize("where", ["journal.new.sqlite3", "new folder/journal.sqlite3"])
def test_a_new_journal_cannot_be_made_on_read_only_media_and_says_so(
    read_only_journal: Kratom, where: str
) -> None:
    result = Kratom(read_only_journal.db.parent / where)("history")
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("error: ")
    assert "Read-only file system" in result.stderr or "unable to open" in result.stderr
