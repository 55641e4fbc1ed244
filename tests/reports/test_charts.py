"""Charts: real PNG and SVG rendered and read back, the way a phone would show them."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from functools import cache
from io import BytesIO
from typing import Any

import pytest
from PIL import Image

from kratom_journal.domain.errors import InputError
from kratom_journal.reports import charts
from kratom_journal.reports.charts import BandEffect, TrialDayPoint

SVG = "http://www.w3.org/2000/svg"
NAMESPACES = {SVG, "http://www.w3.org/1999/xlink"}
BERLIN = timezone(timedelta(hours=1))
OKABE_BLUE = (0, 114, 178)


def journal(days: int, ratings_a_day: int) -> tuple[list[Any], list[Any]]:
    """Pain ratings and two doses a day, starting 2026-09-01 in Berlin."""
    rng = random.Random(days)
    start = datetime(2026, 9, 1, 8, tzinfo=BERLIN)
    pain = [
        (start + timedelta(days=d, hours=5 * k), round(rng.uniform(2, 8), 1))
        for d in range(days)
        for k in range(ratings_a_day)
    ]
    doses = [
        (start + timedelta(days=d, hours=1 + 8 * k), rng.choice([2.0, 2.5, 3.0]))
        for d in range(days)
        for k in range(2)
    ]
    return pain, doses


BANDS = [
    BandEffect("1-2 g", 0.8, -0.2, 1.8, 12),
    BandEffect("2-3 g", 1.9, 1.1, 2.7, 24),
    BandEffect("3-4 g", 2.3, 1.2, 3.4, 15),
]
WEEKS = [(date(2026, 1, 5) + timedelta(weeks=i), 1.0 - 0.03 * i) for i in range(12)]


def trial_days() -> list[TrialDayPoint]:
    """Two A/B pairs of 7 days; the first 2 days after each switch are washout."""
    first = date(2026, 3, 2)
    days = []
    for i, regimen in enumerate(["A"] * 7 + ["B"] * 7 + ["A"] * 7 + ["B"] * 7):
        value = None if i == 10 else (5.0 if regimen == "A" else 3.5) + (i % 3) * 0.5
        days.append(
            TrialDayPoint(
                first + timedelta(days=i), value, regimen, i >= 7 and i % 7 < 2
            )
        )
    return days


CHARTS: dict[str, Callable[[Any], bytes]] = {
    "pain": lambda fmt: charts.pain_over_time(*journal(30, 3), fmt),
    "dose": lambda fmt: charts.dose_response(BANDS, fmt),
    "tolerance": lambda fmt: charts.tolerance_trend(WEEKS, -0.03, 1.0, fmt),
    "trial": lambda fmt: charts.trial_chart(
        trial_days(), "2 g twice a day", "3 g once a day", fmt
    ),
}
EMPTY: dict[str, Callable[[Any], bytes]] = {
    "pain": lambda fmt: charts.pain_over_time([], [], fmt),
    "dose": lambda fmt: charts.dose_response([], fmt),
    "tolerance": lambda fmt: charts.tolerance_trend([], None, None, fmt),
    "trial": lambda fmt: charts.trial_chart(
        [], "2 g twice a day", "3 g once a day", fmt
    ),
}
WORDS = {
    "pain": ["Pain and doses", "Date", "Pain (0-10)", "Dose (g)"],
    "dose": ["Relief by dose", "Dose", "Pain relief (points)"],
    "tolerance": ["Relief per gram over time", "Week", "Relief per gram (points/g)"],
    "trial": ["Your trial, day by day", "Day", "Pain (0-10)"],
}


@cache
def rendered(name: str, fmt: str) -> bytes:
    """A sample chart, drawn once per test run."""
    return CHARTS[name](fmt)


def texts(svg: bytes) -> list[str]:
    """Every piece of text in the SVG, as a screen reader or search would find it."""
    root = ET.fromstring(svg)
    assert root.tag == f"{{{SVG}}}svg"
    return ["".join(element.itertext()) for element in root.iter(f"{{{SVG}}}text")]


def png(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    assert image.format == "PNG"
    return image


@pytest.mark.parametrize("name", CHARTS)
def test_png_fills_a_phone_screen_at_960_by_720(name: str) -> None:
    assert png(rendered(name, "png")).size == (960, 720)


@pytest.mark.parametrize("name", CHARTS)
def test_svg_has_its_title_and_axis_labels_as_text(name: str) -> None:
    words = texts(rendered(name, "svg"))
    for word in WORDS[name]:
        assert word in words


@pytest.mark.parametrize("name", CHARTS)
def test_svg_loads_nothing_from_outside(name: str) -> None:
    svg = rendered(name, "svg").decode()
    assert set(re.findall(r"https?://[^\s\"'<>)]*", svg)) <= NAMESPACES
    assert "<image" not in svg
    assert "@import" not in svg


@pytest.mark.parametrize("name", ["pain", "trial"])
def test_the_pain_axis_runs_from_0_to_10(name: str) -> None:
    words = texts(rendered(name, "svg"))
    assert {"0", "2", "4", "6", "8", "10"} <= set(words)


def test_the_pain_axis_stays_0_to_10_when_pain_is_low() -> None:
    at = datetime(2026, 9, 1, 8)
    words = texts(
        charts.pain_over_time([(at, 1.0), (at + timedelta(hours=4), 2.0)], [], "svg")
    )
    assert {"0", "10"} <= set(words)


@pytest.mark.parametrize("name", EMPTY)
def test_an_empty_chart_says_not_enough_data_yet(name: str) -> None:
    words = texts(EMPTY[name]("svg"))
    assert "Not enough data yet" in words
    assert WORDS[name][0] in words  # the title still says which chart it is
    assert png(EMPTY[name]("png")).size == (960, 720)


def test_data_is_drawn_in_the_colour_blind_safe_blue_and_empty_charts_have_none() -> (
    None
):
    def blue_pixels(data: bytes) -> int:
        colours = png(data).convert("RGB").getcolors(maxcolors=960 * 720) or []
        return sum(count for count, colour in colours if colour == OKABE_BLUE)

    assert blue_pixels(rendered("pain", "png")) > 1000
    assert blue_pixels(EMPTY["pain"]("png")) == 0


@pytest.mark.parametrize("fmt", ["png", "svg"])
@pytest.mark.parametrize("name", CHARTS)
def test_the_same_input_gives_the_same_bytes(name: str, fmt: str) -> None:
    assert CHARTS[name](fmt) == CHARTS[name](fmt)


def test_svg_carries_no_date_or_version() -> None:
    svg = rendered("pain", "svg").decode()
    assert "Matplotlib v" not in svg
    assert "<dc:date>" not in svg


def test_three_years_of_ratings_are_drawn_as_daily_means_in_a_small_svg() -> None:
    pain, doses = journal(3 * 365, 3)
    svg = charts.pain_over_time(pain, doses, "svg")
    assert len(svg) < 600_000
    words = texts(svg)
    assert "Daily mean pain (0-10)" in words
    assert "Daily dose (g)" in words
    assert {"0", "10"} <= set(words)
    assert png(charts.pain_over_time(pain, doses, "png")).size == (960, 720)


def test_a_month_of_ratings_shows_every_rating_not_daily_means() -> None:
    words = texts(rendered("pain", "svg"))
    assert "Pain (0-10)" in words
    assert not any("Daily" in word for word in words)


def test_dose_response_names_each_band_and_how_many_doses_it_rests_on() -> None:
    words = texts(rendered("dose", "svg"))
    for band in BANDS:
        assert band.label in words
        assert f"n={band.n}" in words


def test_dose_response_draws_an_interval_that_misses_the_mean_instead_of_failing() -> (
    None
):
    odd = [BandEffect("2-3 g", 1.0, 1.2, 2.0, 5)]  # some estimators allow this
    assert "2-3 g" in texts(charts.dose_response(odd, "svg"))


def test_tolerance_trend_names_the_weekly_change_only_when_there_is_a_trend() -> None:
    assert "Trend, -0.03 a week" in texts(rendered("tolerance", "svg"))
    small = charts.tolerance_trend(WEEKS, -0.00069, 1.0, "svg")
    assert "Trend, -0.00069 a week" in texts(small)
    plain = texts(charts.tolerance_trend(WEEKS, None, None, "svg"))
    assert "Each week" in plain
    assert not any(word.startswith("Trend") for word in plain)


def test_trial_chart_names_both_regimens_the_periods_and_the_washout() -> None:
    words = texts(rendered("trial", "svg"))
    assert "A: 2 g twice a day" in words
    assert "B: 3 g once a day" in words
    assert "washout, not analysed" in words
    assert words.count("A") == 2  # one letter over each shaded period
    assert words.count("B") == 2


def test_trial_chart_without_washout_has_no_washout_legend() -> None:
    days = [TrialDayPoint(d.day, d.value, d.regimen, False) for d in trial_days()]
    words = texts(charts.trial_chart(days, "2 g twice a day", "3 g once a day", "svg"))
    assert "washout, not analysed" not in words


def test_trial_chart_refuses_a_regimen_other_than_a_or_b() -> None:
    day = TrialDayPoint(date(2026, 3, 2), 4.0, "C", False)
    with pytest.raises(InputError) as caught:
        charts.trial_chart([day], "2 g", "3 g", "svg")
    assert caught.value.field == "regimen"


@pytest.mark.parametrize("name", CHARTS)
def test_an_unknown_format_is_refused_naming_the_format(name: str) -> None:
    with pytest.raises(InputError) as caught:
        CHARTS[name]("pdf")
    assert caught.value.field == "format"
    assert caught.value.problem == "must be png or svg"


def test_importing_the_charts_does_not_import_matplotlib() -> None:
    code = (
        "import kratom_journal.reports.charts, sys; print('matplotlib' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
