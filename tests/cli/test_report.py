"""`kratom report`: where it writes, which format the suffix picks, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Kratom


@pytest.fixture
def filled(kratom: Kratom) -> Kratom:
    kratom.ok("checkin", "--pain", "6", "--at", "2026-11-22T08:50")
    kratom.ok("log", "2g", "--at", "2026-11-22T09:00")
    kratom.ok("checkin", "--pain", "3", "--at", "2026-11-22T10:00")
    kratom.ok("med", "add", "tramadol")
    return kratom


def test_default_output_is_a_dated_pdf_in_the_current_folder(
    filled: Kratom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = filled.ok("report")
    path = tmp_path / "kratom-report-2026-11-22.pdf"
    assert path.read_bytes().startswith(b"%PDF-")
    assert "Wrote kratom-report-2026-11-22.pdf (PDF, 22 Nov 2026 to 22 Nov 2026)" in (
        result.stdout
    )
    assert "not a diagnosis" in result.stdout
    assert not list(tmp_path.glob(".*partial"))


def test_html_suffix_writes_html_and_json_says_what_was_written(
    filled: Kratom, tmp_path: Path
) -> None:
    path = tmp_path / "report.HTML"
    written = filled.json("report", "--days", "30", "-o", str(path))
    assert written["format"] == "html"
    assert written["output"] == str(path)
    assert written["last_day"] == "2026-11-22"
    html = path.read_text(encoding="utf-8")
    assert written["bytes"] == len(html.encode("utf-8"))
    assert html.startswith("<!DOCTYPE html>")
    assert "Current medications" in html and "tramadol" in html


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("report.docx", "must end in .pdf or .html"),
        ("no-such-folder/report.pdf", "does not exist"),
        ("folder.pdf", "is a folder"),
        ("file.txt/report.pdf", "is not a folder"),
    ],
)
def test_a_bad_output_exits_2_naming_output_and_writes_nothing(
    filled: Kratom, tmp_path: Path, name: str, problem: str
) -> None:
    (tmp_path / "folder.pdf").mkdir()
    (tmp_path / "file.txt").write_text("x")
    before = sorted(tmp_path.rglob("*"))
    result = filled("report", "-o", str(tmp_path / name))
    assert result.exit_code == 2
    assert "output:" in result.stderr and problem in result.stderr
    assert "nothing was saved" in result.stderr
    assert sorted(tmp_path.rglob("*")) == before


def test_days_out_of_range_is_bad_input(filled: Kratom, tmp_path: Path) -> None:
    result = filled("report", "--days", "0", "-o", str(tmp_path / "r.pdf"))
    assert result.exit_code == 2
    assert "--days" in result.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_help_describes_the_command(kratom: Kratom) -> None:
    text = kratom.ok("report", "--help").stdout
    assert "not a diagnosis" in " ".join(text.split())
    assert "-o, --output FILE" in text
