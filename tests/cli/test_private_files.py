"""Files for the owner only: whatever the umask, the data folder is 0700 and every
file holding health data (journal, -wal/-shm, backups, exports, reports, calendars,
charts) is 0600; an older journal readable by others is tightened, with a note."""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from kratom_journal.cli import main
from kratom_journal.store.database import open_database
from kratom_journal.store.private_files import private_output, write_private
from tests.cli.test_trial import design
from tests.conftest import NOW, Kratom
from tests.store.samples import add, product
from tests.store.test_database import backups, pretend_newer_program, sqlite_url

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

OWNER_ONLY = 0o600
FOLDER_OWNER_ONLY = 0o700


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    """The usual umask, under which new files would be 0644 and folders 0755."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def filled(tmp_path: Path) -> Kratom:
    kratom = Kratom(tmp_path / "data" / "journal.sqlite3")
    kratom.ok("log", "2g", "--note", "knee")
    kratom.ok("checkin", "--pain", "4")
    return kratom


def test_a_new_journal_and_its_new_folder_are_the_owners_only(tmp_path: Path) -> None:
    kratom = Kratom(tmp_path / "new" / "folder" / "journal.sqlite3")
    kratom.ok("log", "2g")
    assert mode(kratom.db) == OWNER_ONLY
    assert mode(kratom.db.parent) == FOLDER_OWNER_ONLY
    assert mode(kratom.db.parent.parent) == FOLDER_OWNER_ONLY


def test_the_default_data_folder_is_the_owners_only(tmp_path: Path) -> None:
    env = {"KRATOM_DB": "", "XDG_DATA_HOME": str(tmp_path / "xdg"), "KRATOM_NOW": NOW}
    result = CliRunner().invoke(main, ["log", "2g"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    journal = tmp_path / "xdg" / "kratom-journal" / "journal.sqlite3"
    assert mode(journal) == OWNER_ONLY
    assert mode(journal.parent) == FOLDER_OWNER_ONLY


def test_the_wal_and_shm_files_are_the_owners_only(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    database = open_database(sqlite_url(path))
    try:
        add(database, product())
        with database.transaction(write=False):  # open: -wal and -shm exist
            wal = path.with_name(path.name + "-wal")
            shm = path.with_name(path.name + "-shm")
            assert (mode(path), mode(wal), mode(shm)) == (OWNER_ONLY,) * 3
    finally:
        database.dispose()


def test_a_migration_backup_is_the_owners_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "j.sqlite3"
    open_database(sqlite_url(path)).dispose()
    pretend_newer_program(tmp_path, monkeypatch)
    open_database(sqlite_url(path)).dispose()
    [backup] = backups(tmp_path)
    assert mode(backup) == OWNER_ONLY
    assert [p.name for p in tmp_path.glob(".*partial")] == []


def test_backup_copies_and_their_folder_are_the_owners_only(
    filled: Kratom, tmp_path: Path
) -> None:
    default = filled.json("backup")["backup"]
    explicit = tmp_path / "copy.sqlite3"
    filled.ok("backup", str(explicit))
    assert mode(filled.db.parent / "backups") == FOLDER_OWNER_ONLY
    assert mode(tmp_path / "data" / "backups" / default.rsplit("/", 1)[1]) == OWNER_ONLY
    assert mode(explicit) == OWNER_ONLY


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["export"], "export.json"),
        (["export", "--format", "csv"], "doses.csv"),
        (["export", "--format", "fhir"], "bundle.json"),
        (["report"], "report.html"),
        (["report"], "report.pdf"),
        (["plan", "export", "--ics"], "plan.ics"),
    ],
    ids=["json", "csv", "fhir", "report-html", "report-pdf", "ics"],
)
def test_outputs_are_the_owners_only(
    filled: Kratom, tmp_path: Path, args: list[str], name: str
) -> None:
    file = tmp_path / name
    option = [] if "--ics" in args else ["-o"]
    filled.ok(*args, *option, str(file))
    assert mode(file) == OWNER_ONLY
    assert file.stat().st_size > 0


def test_charts_and_their_new_folder_are_the_owners_only(
    filled: Kratom, tmp_path: Path
) -> None:
    charts = tmp_path / "charts"
    written = filled.json("insights", "--charts", str(charts))["charts"]
    assert len(written) == 6
    assert mode(charts) == FOLDER_OWNER_ONLY
    assert {mode(charts / p.rsplit("/", 1)[1]) for p in written} == {OWNER_ONLY}
    design(filled)
    chart = tmp_path / "trial.svg"
    filled.ok("trial", "analyze", "--chart", str(chart))
    assert mode(chart) == OWNER_ONLY


def test_replacing_a_wider_file_with_force_makes_it_the_owners_only(
    filled: Kratom, tmp_path: Path
) -> None:
    file = tmp_path / "export.json"
    file.write_text("old")
    file.chmod(0o644)
    filled.ok("export", "-o", str(file), "--force")
    assert mode(file) == OWNER_ONLY


def test_an_older_journal_readable_by_others_is_tightened_with_a_note(
    filled: Kratom, tmp_path: Path
) -> None:
    env = {"KRATOM_DB": "", "XDG_DATA_HOME": str(tmp_path / "xdg"), "KRATOM_NOW": NOW}
    runner = CliRunner()
    assert runner.invoke(main, ["log", "2g"], env=env).exit_code == 0
    assert runner.invoke(main, ["backup"], env=env).exit_code == 0
    journal = tmp_path / "xdg" / "kratom-journal" / "journal.sqlite3"
    migrated = journal.with_name(f"{journal.name}.before-migration-0005-X.bak")
    migrated.write_bytes(journal.read_bytes())
    [backup] = (journal.parent / "backups").iterdir()
    wide = [journal.parent, journal, migrated, backup.parent, backup]
    for path in wide:  # as earlier versions left them
        path.chmod(0o755 if path.is_dir() else 0o644)

    result = runner.invoke(main, ["history", "--json"], env=env)
    assert result.exit_code == 0
    assert [mode(path) for path in wide] == [0o700, 0o600, 0o600, 0o700, 0o600]
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    # One note naming each (and the journal's -wal/-shm, which the read-only look
    # that recognises the file may have just made with the journal's old mode).
    [note] = notes
    assert note.endswith(" could be read by others; now only you can (health data)")
    for path in wide:
        assert f"{path} ({'0755' if path.is_dir() else '0644'})" in note
    again = runner.invoke(main, ["history", "--json"], env=env)
    assert "note:" not in again.stderr  # said once, when it changed


def test_a_chosen_folder_is_left_as_it_is(filled: Kratom) -> None:
    # The folder of a journal given with --db may be the person's Documents: the
    # journal file is tightened, the folder not.
    filled.db.parent.chmod(0o755)
    filled.db.chmod(0o640)
    result = filled.ok("history")
    assert (mode(filled.db), mode(filled.db.parent)) == (OWNER_ONLY, 0o755)
    assert result.stderr.startswith(f"note: {filled.db} (0640)")
    assert "could be read by others; now only you can" in result.stderr


def test_a_failed_or_refused_write_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("there")
    with pytest.raises(FileExistsError):  # appeared meanwhile: never overwritten
        write_private(target, b"new", replace=False)
    with (
        pytest.raises(OSError, match="disk full"),
        private_output(target, replace=True) as temporary,
    ):
        temporary.write_bytes(b"half a fi")
        raise OSError("disk full")
    assert target.read_text() == "there"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
