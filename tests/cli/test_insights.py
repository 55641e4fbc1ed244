"""`kratom insights`: a few weeks of doses and check-ins, logged with --at, read back.

The journal (built once for the module; `insights` only reads):

* 12 doses of 2.5 g Red Bali at 09:00 every other day from Tue 27 Oct to Wed 18 Nov,
  pain 7 at 08:50 and pain 7 - relief at 10:30; three of those report nausea.
* 6 doses of 1.5 g (no product) at 18:00 every other day from 28 Oct to 7 Nov,
  pain 6 at 17:45 and 6 - relief at 19:00; one reports a dry mouth.
* Fri 20 Nov: 2 g at 08:10 and 1 g at 08:40 between check-ins at 08:00 and 09:30:
  stacked, so neither is paired.
* Sat 21 Nov: 2 g at 12:00, no check-ins.
* Thu 19 Nov: 4.5 g at 09:00 with pain 9 -> 0, then deleted: it must not count.
* Today (Sun 22 Nov, 15:00) has no dose yet.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from scipy import stats

from tests.conftest import Kratom

RELIEF_25 = [2, 3, 1, 2, 2, 3, 2, 1, 3, 2, 2, 2]
RELIEF_15 = [1, 0, 1, 1, 2, 0]
NAUSEA_ON = {1, 4, 9}  # indices of 2.5 g doses whose after check-in reports nausea
DAYS_25 = [date(2026, 10, 27) + timedelta(days=2 * k) for k in range(12)]
DAYS_15 = [date(2026, 10, 28) + timedelta(days=2 * k) for k in range(6)]


def at(day: date, clock: str) -> str:
    return f"{day.isoformat()}T{clock}"


def fill(kratom: Kratom) -> None:
    kratom.ok("product", "add", "Red Bali")
    for k, (day, relief) in enumerate(zip(DAYS_25, RELIEF_25, strict=True)):
        kratom.ok("checkin", "--pain", "7", "--at", at(day, "08:50"))
        kratom.ok("log", "2.5g", "-p", "Red Bali", "--at", at(day, "09:00"))
        effects = ["-s", "nausea=1"] if k in NAUSEA_ON else []
        kratom.ok(
            "checkin", "--pain", str(7 - relief), *effects, "--at", at(day, "10:30")
        )
    for k, (day, relief) in enumerate(zip(DAYS_15, RELIEF_15, strict=True)):
        kratom.ok("checkin", "--pain", "6", "--at", at(day, "17:45"))
        kratom.ok("log", "1.5g", "--at", at(day, "18:00"))
        effects = ["--other-effect", "dry mouth=1"] if k == 2 else []
        kratom.ok(
            "checkin", "--pain", str(6 - relief), *effects, "--at", at(day, "19:00")
        )
    nov = date(2026, 11, 20)
    kratom.ok("checkin", "--pain", "8", "--at", at(nov, "08:00"))
    kratom.ok("log", "2g", "--at", at(nov, "08:10"))
    kratom.ok("log", "1g", "--at", at(nov, "08:40"))
    kratom.ok("checkin", "--pain", "4", "--at", at(nov, "09:30"))
    kratom.ok("log", "2g", "--at", at(date(2026, 11, 21), "12:00"))
    deleted = date(2026, 11, 19)
    kratom.ok("checkin", "--pain", "9", "--at", at(deleted, "08:50"))
    dose_id = kratom.json("log", "4.5g", "--at", at(deleted, "09:00"))["dose"]["id"]
    kratom.ok("checkin", "--pain", "0", "--at", at(deleted, "10:30"))
    kratom.ok("delete", dose_id[:8])


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Kratom:
    kratom = Kratom(tmp_path_factory.mktemp("insights") / "journal.sqlite3")
    fill(kratom)
    return kratom


@pytest.fixture(scope="module")
def report(journal: Kratom) -> Any:
    return journal.json("insights", "--days", "60")


def interval(reliefs: list[int]) -> tuple[float, float, float]:
    data = np.array(reliefs, dtype=float)
    low, high = stats.t.interval(
        0.95, len(data) - 1, loc=data.mean(), scale=stats.sem(data)
    )
    return float(data.mean()), float(low), float(high)


def fell(reliefs: list[int]) -> str:
    mean, low, high = interval(reliefs)
    return f"fell by {mean:.1f} points (95% interval {low:.1f} to {high:.1f})"


def ending(reliefs: list[int]) -> str:
    return ": no clear change." if interval(reliefs)[1] <= 0 else "."


def test_the_printed_report(journal: Kratom) -> None:
    output = journal.ok("insights", "--days", "60").stdout
    lines = output.splitlines()
    # The journal began on 27 Oct: earlier days are not counted as rest days.
    assert lines[0] == "Insights for 27 Oct 2026 to 22 Nov 2026"
    titles = [line for line in lines if line and not line.startswith(" ")]
    assert titles[1:7] == [
        "What doses did",
        "Dose size",
        "Tolerance",
        "Side effects",
        "By product",
        "Use pattern",
    ]
    within = "on average within 3 hours after doses of"
    assert (
        f"  - Pain {fell(RELIEF_15)} {within} 1-2 g, over 6 doses{ending(RELIEF_15)}"
        in lines
    )
    assert (
        f"  - Pain {fell(RELIEF_25)} {within} 2-3 g, over 12 doses{ending(RELIEF_25)}"
        in lines
    )
    assert (
        "  - 2 doses were left out because another dose came between their "
        "check-ins, so their effects overlap." in lines
    )
    fit = stats.linregress([1.5] * 6 + [2.5] * 12, RELIEF_15 + RELIEF_25)
    half = stats.t.ppf(0.975, 16) * fit.stderr
    assert (
        f"  - Relief grew with dose size: {fit.slope:.1f} points per extra gram "
        f"(95% interval {fit.slope - half:.1f} to {fit.slope + half:.1f}), over 18 "
        "doses." in lines
    )
    assert "(now 4 weeks, 18 doses)." in output
    assert (
        "  - After doses of 1-2 g, the most reported side effects were dry-mouth 17% "
        "(of 6 doses with a check-in after)." in lines
    )
    assert (
        "  - After doses of 2-3 g, the most reported side effects were nausea 25% "
        "(of 12 doses with a check-in after)." in lines
    )
    unnamed, red = (
        f"No product named: pain {fell(RELIEF_15)}",
        f"Red Bali: pain {fell(RELIEF_25)}",
    )
    assert (
        f"  - {unnamed} after doses of 1.5 g on average, over 6 doses"
        f"{ending(RELIEF_15)}" in lines
    )
    assert (
        f"  - {red} after doses of 2.5 g on average, over 12 doses{ending(RELIEF_25)}"
        in lines
    )
    # 44 g over 27 days; 20 days with doses, 21 doses of 44/21 g.
    assert (
        "  - Over 27 days: 1.6 g a day on average; on the 20 days with doses, 1.1 doses "
        "of 2.1 g, about 2.2 g a day." in lines
    )
    assert (
        "  - 7 rest days (longest run 1); longest run of days with doses 13, current run "
        "2." in lines
    )
    assert "  - Last 7 days: 1.4 g a day, against 1.1 g the 7 days before." in lines
    assert lines[-1].startswith("These numbers compare pain before and after doses")
    assert "Wrote" not in output


def test_json_conclusions_carry_enough_data_flags(report: Any) -> None:
    flags = [(c["topic"], c["enough_data"]) for c in report["conclusions"]]
    assert flags == [
        ("effect", True),
        ("effect", True),
        ("effect", True),  # the stacked doses
        ("dose-response", True),
        ("tolerance", False),
        ("side-effects", True),
        ("side-effects", True),
        ("product", True),
        ("product", True),
        ("pattern", True),
        ("pattern", True),
        ("pattern", True),
    ]
    assert report["period"] == {"first_day": "2026-10-27", "last_day": "2026-11-22"}
    assert report["pairs"] == {
        "used": 18,
        "left_out_overlapping": 2,
        "without_check_ins": 1,
    }
    assert report["charts"] == []


def test_json_relief_by_band_and_product(report: Any) -> None:
    bands = report["relief_by_band"]
    assert [(b["band"], b["pairs"], b["mean_grams"]) for b in bands] == [
        ("1-2 g", 6, 1.5),
        ("2-3 g", 12, 2.5),
    ]
    for band, reliefs in zip(bands, (RELIEF_15, RELIEF_25), strict=True):
        mean, low, high = interval(reliefs)
        assert band["relief"]["n"] == len(reliefs)
        assert band["relief"]["value"] == round(mean, 3)
        assert band["relief"]["low"] == pytest.approx(low, rel=0.003, abs=0.001)
        assert band["relief"]["high"] == pytest.approx(high, rel=0.003, abs=0.001)
    products = {p["name"]: p for p in report["relief_by_product"]}
    assert set(products) == {"Red Bali", "No product named"}
    assert products["No product named"]["product_id"] is None
    assert products["Red Bali"]["pairs"] == 12
    assert report["relief_per_extra_gram"]["n"] == 18
    assert report["tolerance"]["slope_per_week"] is None
    assert [w["week_of"] for w in report["tolerance"]["weeks"]] == [
        "2026-10-27",
        "2026-11-03",
        "2026-11-10",
        "2026-11-17",
    ]


def test_json_side_effects_by_band(report: Any) -> None:
    assert report["side_effects_by_band"] == [
        {"band": "1-2 g", "doses": 6, "reported": {"dry-mouth": 1}},
        {"band": "2-3 g", "doses": 12, "reported": {"nausea": 3}},
    ]


def test_json_use_pattern_numbers_are_exact(report: Any) -> None:
    assert report["use_pattern"] == {
        "days": 27,
        "use_days": 20,
        "rest_days": 7,
        "doses": 21,
        "grams": 44.0,
        "grams_per_day": round(44 / 27, 3),
        "grams_per_use_day": 2.2,
        "doses_per_use_day": 1.05,
        "grams_per_dose": round(44 / 21, 3),
        "current_streak": 2,  # 20-21 Nov; today has no dose yet
        "longest_streak": 13,  # 27 Oct to 8 Nov
        "longest_rest": 1,
        "trends": [
            # 16-22 Nov: 2.5 + 2.5 + 3 + 2; 9-15 Nov: 2.5 three times.
            {
                "days": 7,
                "grams_per_day": round(10 / 7, 3),
                "previous_grams_per_day": round(7.5 / 7, 3),
            }
        ],
    }


def test_a_deleted_dose_is_not_counted_and_undo_brings_it_back(
    make_kratom: Any,
) -> None:
    kratom = make_kratom()
    day = date(2026, 11, 21)
    for k in range(5):
        kratom.ok(
            "checkin", "--pain", "7", "--at", at(day - timedelta(days=k), "08:50")
        )
        kratom.ok("log", "2g", "--at", at(day - timedelta(days=k), "09:00"))
        kratom.ok(
            "checkin", "--pain", "5", "--at", at(day - timedelta(days=k), "10:30")
        )
    before = kratom.json("insights", "--days", "7")
    assert before["pairs"]["used"] == 5
    assert before["use_pattern"]["doses"] == 5
    dose_id = kratom.json("history", "--days", "7")["doses"][0]["id"]
    kratom.ok("delete", dose_id[:8])
    after = kratom.json("insights", "--days", "7")
    assert after["pairs"]["used"] == 4
    assert (after["use_pattern"]["doses"], after["use_pattern"]["grams"]) == (4, 8.0)
    assert after["relief_by_band"][0]["relief"] is None  # 4 pairs: below 5
    kratom.ok("undo")
    assert kratom.json("insights", "--days", "7")["pairs"]["used"] == 5


def test_an_empty_journal_says_not_enough_data_and_exits_0(kratom: Kratom) -> None:
    result = kratom.ok("insights", "--days", "60")
    findings = [line for line in result.stdout.splitlines() if line.startswith("  - ")]
    assert findings[:4] == [
        line for line in findings[:4] if line.startswith("  - Not enough data yet")
    ]
    assert len(findings) == 5
    assert findings[4] == "  - Nothing logged yet: a use pattern needs logged doses."
    data = kratom.json("insights", "--days", "60")
    assert [
        c["enough_data"] for c in data["conclusions"] if c["topic"] != "pattern"
    ] == [False] * 4
    assert data["relief_by_band"] == []
    assert data["pairs"] == {
        "used": 0,
        "left_out_overlapping": 0,
        "without_check_ins": 0,
    }
    assert data["relief_per_extra_gram"] is None
    assert data["use_pattern"]["doses"] == 0
    assert data["use_pattern"]["grams_per_dose"] is None


@pytest.mark.parametrize("days", ["0", "-3", "36501", "x"])
def test_bad_days_exits_2_naming_days_and_writes_nothing(
    kratom: Kratom, tmp_path: Path, days: str
) -> None:
    charts = tmp_path / "charts"
    result = kratom("insights", "--days", days, "--charts", str(charts))
    assert result.exit_code == 2
    assert "--days" in result.stderr
    assert result.stdout == ""
    assert not charts.exists()
    assert not kratom.db.exists()


def test_days_limits_the_period(journal: Kratom) -> None:
    data = journal.json("insights", "--days", "3")
    assert data["period"] == {"first_day": "2026-11-20", "last_day": "2026-11-22"}
    assert data["pairs"] == {
        "used": 0,
        "left_out_overlapping": 2,
        "without_check_ins": 1,
    }
    pattern = data["use_pattern"]
    assert (pattern["days"], pattern["doses"], pattern["grams"]) == (3, 3, 5.0)
    assert pattern["trends"] == []


def test_the_7_days_before_a_short_period_are_read_for_the_comparison(
    journal: Kratom,
) -> None:
    data = journal.json("insights", "--days", "7")
    assert data["period"] == {"first_day": "2026-11-16", "last_day": "2026-11-22"}
    assert data["use_pattern"]["trends"] == [
        {
            "days": 7,
            "grams_per_day": round(10 / 7, 3),
            "previous_grams_per_day": round(7.5 / 7, 3),  # 9-15 Nov, before the period
        }
    ]
    assert data["use_pattern"]["doses"] == 5  # 16, 18, 20 (two) and 21 Nov


CHART_FILES = sorted(
    f"{name}.{fmt}"
    for name in ("pain-over-time", "dose-response", "tolerance-trend")
    for fmt in ("png", "svg")
)


def test_charts_writes_six_files_that_open(journal: Kratom, tmp_path: Path) -> None:
    directory = tmp_path / "new" / "charts"
    data = journal.json("insights", "--days", "60", "--charts", str(directory))
    assert sorted(Path(path).name for path in data["charts"]) == CHART_FILES
    assert sorted(path.name for path in directory.iterdir()) == CHART_FILES
    for path in directory.glob("*.png"):
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.size[0] > 100 and image.size[1] > 100
    for path in directory.glob("*.svg"):
        text = path.read_text(encoding="utf-8")
        assert "<svg" in text and text.rstrip().endswith("</svg>")


def test_charts_of_an_empty_journal_are_still_drawn_and_listed(
    kratom: Kratom, tmp_path: Path
) -> None:
    directory = tmp_path / "c"
    printed = kratom.ok("insights", "--charts", str(directory)).stdout
    assert [line for line in printed.splitlines() if line.startswith("Wrote ")] == [
        f"Wrote {directory / name}.{fmt}"
        for fmt in ("png", "svg")
        for name in ("pain-over-time", "dose-response", "tolerance-trend")
    ]
    with Image.open(directory / "dose-response.png") as image:
        image.verify()


def test_an_unwritable_charts_dir_exits_2_naming_charts(
    journal: Kratom, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = journal("insights", "--charts", str(blocker / "charts"))
    assert result.exit_code == 2
    assert "charts" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert blocker.read_text() == "not a directory"


def test_charts_into_an_existing_file_exits_2(journal: Kratom, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = journal("insights", "--charts", str(blocker))
    assert result.exit_code == 2
    assert "charts" in result.stderr


def test_json_is_plain_json(journal: Kratom) -> None:
    raw = journal.ok("insights", "--days", "60", "--json").stdout
    data = json.loads(raw)
    assert set(data) == {
        "period",
        "conclusions",
        "pairs",
        "relief_by_band",
        "relief_per_extra_gram",
        "tolerance",
        "side_effects_by_band",
        "relief_by_product",
        "use_pattern",
        "caveat",
        "charts",
    }
