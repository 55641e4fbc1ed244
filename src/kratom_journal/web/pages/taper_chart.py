"""The taper plan as a small SVG drawn by the server: target grams per weekly step as
a stepped line, actual grams per day as bars. Geometry only; the template draws it
with presentation attributes and classes (the CSP allows no inline styles)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from kratom_journal.web.api.protocol_schemas import StepOut

WIDTH, HEIGHT = 400, 230
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 12, 34
MAX_X_LABELS = 5


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    over: bool  # above the day's target


@dataclass(frozen=True)
class Tick:
    at: float  # x or y in chart units
    label: str


@dataclass(frozen=True)
class DayRow:
    day: date
    target_g: Decimal
    actual_g: Decimal

    @property
    def over(self) -> bool:
        return self.actual_g > self.target_g


@dataclass(frozen=True)
class PlanChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    target_path: str
    bars: list[Bar]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    today_x: float | None
    description: str
    days: list[DayRow]  # the days so far, for the table equivalent


def _g(value: Decimal) -> str:
    return f"{value.normalize():f} g"


def _target(steps: Sequence[StepOut], day: date) -> Decimal:
    return next(
        (Decimal(s.target_g) for s in steps if s.start <= day < s.end), Decimal(0)
    )


def plan_chart(
    steps: Sequence[StepOut],
    actual: Mapping[date, Decimal],
    today: date,
    from_g: Decimal,
) -> PlanChart:
    """The chart of `steps`, with the actual amounts of the days up to `today`."""
    first, last = steps[0].start, steps[-1].end
    span = max((last - first).days, 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    bottom = TOP + plot_h
    days = [
        DayRow(d, _target(steps, d), actual.get(d, Decimal(0)))
        for d in (first + timedelta(days=n) for n in range(span))
        if d <= today
    ]
    top_g = max([from_g, *(row.actual_g for row in days), Decimal(1)])
    y_max = math.ceil(top_g)
    y_step = max(1, math.ceil(y_max / 5))
    y_max = math.ceil(y_max / y_step) * y_step

    def x(day: date) -> float:
        return round(LEFT + (day - first).days * plot_w / span, 1)

    def y(grams: Decimal) -> float:
        return round(bottom - float(grams) / y_max * plot_h, 1)

    path = [f"M{x(first)} {y(Decimal(steps[0].target_g))}"]
    for step in steps:
        path.append(f"V{y(Decimal(step.target_g))} H{x(step.end)}")
    day_w = plot_w / span
    bars = [
        Bar(
            round(x(row.day) + day_w * 0.1, 1),
            y(row.actual_g),
            round(day_w * 0.8, 1),
            round(bottom - y(row.actual_g), 1),
            row.over,
        )
        for row in days
        if row.actual_g > 0
    ]
    every = math.ceil(len(steps) / MAX_X_LABELS)
    x_ticks = [
        Tick(x(s.start), f"{s.start:%d %b}") for s in steps[::every] if s.start < last
    ]
    y_ticks = [Tick(y(Decimal(g)), f"{g} g") for g in range(0, y_max + 1, y_step)]
    over = sum(1 for row in days if row.over)
    description = (
        f"{len(steps)} weekly steps from {_g(Decimal(steps[0].target_g))} a day "
        f"on {first:%d %b} to 0 g from {steps[-1].start:%d %b}. "
        + (
            f"{len(days)} day(s) so far; {over} above the day's target."
            if days
            else "No plan day has passed yet."
        )
    )
    return PlanChart(
        WIDTH,
        HEIGHT,
        LEFT,
        WIDTH - RIGHT,
        TOP,
        bottom,
        " ".join(path),
        bars,
        y_ticks,
        x_ticks,
        x(today) if first <= today < last else None,
        description,
        days,
    )
