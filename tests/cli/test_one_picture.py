"""One picture of the person: check, log, insights and the report count the same
runs of use over the whole journal, and never count days before it began."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from kratom_journal.services.journal import open_journal
from tests.conftest import Kratom
from tests.seed import NOW, daily_doses

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="module")
def five_years(tmp_path_factory: pytest.TempPathFactory) -> Kratom:
    """Daily use for five years, up to yesterday; nothing logged yet today."""
    kratom = Kratom(tmp_path_factory.mktemp("five") / "journal.sqlite3")
    kratom.ok("profile", "set", "--location", "US-TX", "--birth-year", "1970")
    journal = open_journal(str(kratom.db), now=NOW, environ={"TZ": kratom.zone})
    try:
        daily_doses(journal, 1825)
    finally:
        journal.close()
    return kratom


def runs(findings: list[dict[str, str]]) -> list[str]:
    return [f["title"] for f in findings if f["rule"].startswith("pattern:daily")]


@pytest.mark.parametrize(
    ("args", "title"),
    [
        (("check",), "1825 days in a row with kratom"),
        (("check", "2g"), "1826 days in a row with kratom"),
    ],
)
def test_check_counts_the_whole_journal(
    five_years: Kratom, args: tuple[str, ...], title: str
) -> None:
    result = five_years(*args, "--json")
    assert runs(json.loads(result.stdout)["findings"]) == [title]


def test_insights_current_run_is_the_same_run(five_years: Kratom) -> None:
    pattern = five_years.json("insights")["use_pattern"]
    # the run that reaches into the 90 days counts whole
    assert (pattern["current_streak"], pattern["longest_streak"]) == (1825, 1825)


def test_the_report_says_the_same_run_before_todays_first_dose(
    five_years: Kratom, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    five_years.ok("report", "--days", "46", "-o", str(out))
    html = out.read_text()
    assert "1825 days in a row with kratom" in html
    assert "current 1825" in html
    assert "No pattern-of-use signals" not in html


def test_the_export_carries_the_same_run(five_years: Kratom, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    five_years.ok("export", "-o", str(out))
    summary = json.loads(out.read_text())["summary"]
    assert summary["days_in_a_row"] == 1825
    # the run began on the journal's first day
    assert summary["run_start"] == summary["journal_start"] is not None
    assert summary["ceilings"] == []


def test_log_counts_the_whole_journal(
    make_kratom: type[Kratom], tmp_path: Path
) -> None:
    kratom = make_kratom("log.sqlite3")
    kratom.ok("profile", "set", "--location", "US-TX", "--birth-year", "1970")
    journal = open_journal(str(kratom.db), now=NOW, environ={"TZ": kratom.zone})
    try:
        daily_doses(journal, 60)
    finally:
        journal.close()
    assert "61 days in a row with kratom" in kratom.ok("log", "2g").stdout


def test_a_new_journal_is_not_up_on_four_weeks_ago(kratom: Kratom) -> None:
    # 1 g a day for the journal's first three weeks, 3 g a day this week
    journal = open_journal(str(kratom.db), now=NOW, environ={"TZ": kratom.zone})
    try:
        daily_doses(journal, 22, grams="1", last_days_ago=8)
        daily_doses(journal, 7, grams="3")
    finally:
        journal.close()
    rules = {
        f["rule"]
        for f in json.loads(kratom("check", "3g", "--json").stdout)["findings"]
    }
    assert "pattern:rising-amount" not in rules


def report_html(kratom: Kratom, tmp_path: Path, *args: str) -> str:
    out = tmp_path / "report.html"
    kratom.ok("report", *args, "-o", str(out), "--force")  # written again
    return " ".join(out.read_text().split())


def test_the_report_shows_alcohol_by_week_and_other_intake(
    kratom: Kratom, tmp_path: Path
) -> None:
    # the journal begins on Sun 8 Nov; today is Sun 22 Nov: weeks from the 8th, 15th, 22nd
    kratom.ok("log", "2g", "--at", "2026-11-08T09:00")
    for at in ("2026-11-08T20:00", "2026-11-09T20:00", "2026-11-20T21:00"):
        kratom.ok("intake", "beer", "--amount", "2 beers", "--at", at)
    kratom.ok("intake", "coffee", "--at", "2026-11-21T08:00")
    kratom.ok("intake", "Coffee", "--at", "2026-11-22T08:00")
    kratom.ok("intake", "cannabis", "--kind", "substance", "--at", "2026-11-15T22:00")
    html = report_html(kratom, tmp_path, "--days", "30")
    assert "Alcohol and other intake" in html
    assert "Alcohol entries by week (weeks from 08 Nov): 2, 1, 0; 3 in all." in html
    assert (
        "Other intake: coffee (caffeine) 2 logged, last 22 Nov; "
        "cannabis (substance) 1 logged, last 15 Nov." in html
    )


def test_the_report_says_when_no_intake_was_logged(
    kratom: Kratom, tmp_path: Path
) -> None:
    kratom.ok("log", "2g", "--at", "2026-11-20T09:00")
    html = report_html(kratom, tmp_path)
    assert "Alcohol: none logged in this period." in html
    assert "Other intake: none logged in this period." in html


# What a certificate says against the limits; the daily cap is the default 10 g.
CERTIFICATES = [
    (("--lead-ppm", "0.2"), set()),  # 2 µg a day at the cap
    (("--lead-ppm", "0.8"), {"product:lead-at-daily-cap"}),  # 8 µg: over 5 µg
    (("--lead-ppm", "3"), {"product:lead-ppm", "product:lead-at-daily-cap"}),
    (("--cadmium-ppm", "0.6"), {"product:cadmium-at-daily-cap"}),
    (("--lead-ppm", "0.1", "--microbial", "fail"), {"product:microbial-fail"}),
]
VERDICT = ("-ppm", "-at-daily-cap", "-fail")


def verdict(findings: list[dict[str, str]]) -> set[str]:
    return {f["rule"] for f in findings if f["rule"].endswith(VERDICT)}


@pytest.mark.parametrize(("certificate", "rules"), CERTIFICATES)
def test_one_certificate_verdict_in_check_product_show_and_the_report(
    kratom: Kratom, tmp_path: Path, certificate: tuple[str, ...], rules: set[str]
) -> None:
    kratom.ok(
        "product", "add", "Green", *certificate, "--mitragynine-pct", "1.4",
        *(() if "--microbial" in certificate else ("--microbial", "pass")),
    )  # fmt: skip
    shown = kratom.json("product", "show", "Green")["findings"]
    checked = json.loads(kratom("check", "2g", "-p", "Green", "--json").stdout)
    assert verdict(shown) == verdict(checked["findings"]) == rules
    kratom.ok("log", "2g", "-p", "Green", "--at", "2026-11-21T09:00", "--confirm")
    html = report_html(kratom, tmp_path)
    assert ("Flag:" in html) is bool(rules)
    if "product:lead-at-daily-cap" in rules:
        assert "Lead at your daily cap" in kratom.ok("product", "show", "Green").stdout
        assert "Flag: Lead per day if you took your daily cap (10 g)" in html


def test_the_report_shows_the_trial_and_its_plan(
    kratom: Kratom, tmp_path: Path
) -> None:
    kratom.ok("log", "2g", "--at", "2026-11-20T09:00")
    assert "N-of-1 trial: none recorded." in report_html(kratom, tmp_path)
    kratom.ok(
        "trial", "design", "--a", "2 g", "--b", "3 g", "--pairs", "3",
        "--period-days", "7", "--washout-days", "2", "--outcome", "nrs",
        "--start", "2026-11-23", "--seed", "11",
    )  # fmt: skip
    html = report_html(kratom, tmp_path)
    assert "Titration, taper and trial" in html
    assert (
        "N-of-1 trial: A = 2 g, B = 3 g; 3 pairs of 7-day periods from 23 Nov 2026, "
        "the order of each pair drawn at random (seed 11)." in html
    )
    assert (
        "Plan: the first 2 days of each period left out as washout; outcome the "
        "daily NRS rating; the mean A-B difference over complete pairs with a 95% "
        "interval and a randomisation test" in html
    )
    assert "So far: 0 of 0 analysable days rated." in html
