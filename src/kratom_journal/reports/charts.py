"""Charts for the insights and the N-of-1 trial, returned as PNG or SVG bytes.

Why they are drawn this way:

* Phone-readable. People mostly look at these on a phone, so every chart is
  4.8 x 3.6 inches (960 x 720 px as PNG), text is at least 11 pt, lines are
  thick, the pain axis always runs 0-10 so charts compare at a glance, and the
  colours come from the Okabe-Ito palette, which stays distinguishable with the
  common kinds of colour-blindness.
* matplotlib is imported only when drawing. It takes about half a second to
  import; the CLI and services may import this module freely and only a call
  that actually draws pays for it.
* Deterministic bytes. The same input gives the same bytes: no date or version
  string in the file and a fixed salt for SVG ids, so tests compare exactly and
  callers may cache or compare charts.
* Self-contained SVG. Text stays text (searchable, read aloud by screen readers,
  small), and the file refers to nothing outside itself, so it renders offline
  and opening it tells no server anything.
* No pyplot. Each call builds its own Figure and leaves nothing behind. The
  style is applied with rc_context, which changes matplotlib's global settings
  while it is active, so drawing is serialised by a lock to stay correct when
  a threaded web server draws several charts at once.

The inputs are plain values (datetimes, floats, small frozen dataclasses), so the
domain and services can feed them without knowing anything about matplotlib.
"""

from __future__ import annotations

import math
import re
import textwrap
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from io import BytesIO
from statistics import fmean
from typing import TYPE_CHECKING, Any, Literal

from kratom_journal.domain.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import PathPatch
    from matplotlib.typing import RcKeyType
    from numpy import uint8

Format = Literal["png", "svg"]

WIDTH_IN = 4.8
HEIGHT_IN = 3.6
DPI = 200  # 960 x 720 px: sharp on a phone screen, still a small file

# Okabe-Ito: distinguishable with protanopia, deuteranopia and tritanopia.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
ORANGE = "#E69F00"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
GREY = "#6E6E6E"  # neutral for reference lines and washout; 5:1 contrast on white

NOT_ENOUGH_DATA = "Not enough data yet"

# Past this span, every rating would be a sub-pixel dot and the SVG would grow
# with every entry; daily means read better and keep the file small.
DAILY_AFTER = timedelta(days=120)
# A longer pause in the journal is drawn as a break in the pain line, so the
# line does not pretend to know how the missing weeks went.
GAP = timedelta(days=7)

_STYLE: dict[RcKeyType, Any] = {
    # DejaVu Sans ships with matplotlib, so the PNG looks the same everywhere; the
    # SVG names it with a generic sans-serif fallback for phones that lack it.
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "legend.frameon": False,
    "lines.linewidth": 2.5,
    "lines.markersize": 6,
    "axes.linewidth": 1.2,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#DDDDDD",
    "grid.linewidth": 1.0,
    # Labels come from people ("$5 pack", "50% stronger"): show them literally.
    "text.parse_math": False,
    "svg.fonttype": "none",  # text stays <text>, not glyph outlines
    "svg.hashsalt": "kratom-journal",  # stable clip-path ids
}
# None drops the entry: no creation date, and no creator/type URLs in the file.
_SVG_METADATA = {"Date": None, "Creator": None, "Type": None, "Format": None}
_PNG_METADATA = {"Software": None}
# matplotlib names the SVG 1.1 DTD by URL; browsers ignore it and the file is
# valid without it, so it goes to keep the file free of external references.
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>]*>\s*")

# rc_context mutates matplotlib's global rcParams; one chart at a time.
_DRAWING = threading.Lock()


@dataclass(frozen=True)
class BandEffect:
    """One dose band's mean pain relief, its 95% interval and the number of doses."""

    label: str  # e.g. "2-3 g"
    mean: float
    low: float
    high: float
    n: int


@dataclass(frozen=True)
class TrialDayPoint:
    """One day of an N-of-1 trial: the outcome (None if not logged) and its regimen."""

    day: date
    value: float | None
    regimen: str  # "A" or "B"
    washout: bool


def pain_over_time(
    pain: Sequence[tuple[datetime, float]],
    doses: Sequence[tuple[datetime, float]],
    fmt: Format,
) -> bytes:
    """Pain ratings (left axis, 0-10) and doses in grams (right axis) over time.

    Times are drawn on the wall clock they carry (the offset is dropped), so an
    evening rating stays in the evening. Over more than DAILY_AFTER, the chart
    shows the daily mean pain and the daily total grams instead of every entry.
    """
    _check_format(fmt)
    pain_points = sorted((_wall_clock(at), float(value)) for at, value in pain)
    dose_points = sorted((_wall_clock(at), float(grams)) for at, grams in doses)
    times = [at for at, _ in pain_points] + [at for at, _ in dose_points]
    daily = bool(times) and max(times) - min(times) > DAILY_AFTER

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        ax.set_title("Pain and doses")
        ax.set_xlabel("Date")
        _pain_axis(ax, "Daily mean pain (0-10)" if daily else "Pain (0-10)")
        if not times:
            _say_not_enough_data(ax)
            return
        dose_ax = ax.twinx()
        # The pain line is the point of the chart: draw it over the dose bars.
        ax.set_zorder(dose_ax.get_zorder() + 1)
        ax.patch.set_visible(False)
        dose_ax.grid(False)
        dose_ax.spines["right"].set_visible(True)
        dose_ax.set_ylabel("Daily dose (g)" if daily else "Dose (g)")

        if daily:
            pain_by_day: dict[date, list[float]] = defaultdict(list)
            for at, value in pain_points:
                pain_by_day[at.date()].append(value)
            grams_by_day: dict[date, float] = defaultdict(float)
            for at, grams in dose_points:
                grams_by_day[at.date()] += grams
            pain_days = sorted(pain_by_day)
            pain_x = _date_numbers([_noon(day) for day in pain_days])
            pain_y = [fmean(pain_by_day[day]) for day in pain_days]
            dose_days = sorted(grams_by_day)
            # One compound path instead of a patch per day keeps the SVG small.
            dose_handle: Artist = _bars(
                dose_ax,
                [x + 0.1 for x in _date_numbers([_midnight(day) for day in dose_days])],
                [grams_by_day[day] for day in dose_days],
                width=0.8,
                label="Daily dose",
            )
            pain_line = ax.plot(
                *_break_gaps(pain_x, pain_y),
                color=BLUE,
                linewidth=2,  # a year is ~600 px wide: thicker lines merge into a band
                label="Daily mean pain",
                clip_on=False,
            )[0]
            dose_top = max(grams_by_day.values(), default=0.0)
        else:
            pain_x = _date_numbers([at for at, _ in pain_points])
            pain_y = [value for _, value in pain_points]
            dose_x = _date_numbers([at for at, _ in dose_points])
            dose_y = [grams for _, grams in dose_points]
            # Thin, light stems: the doses give context, the pain line is the story.
            dose_handle = dose_ax.vlines(
                dose_x, 0, dose_y, color=ORANGE, linewidth=2, alpha=0.7, label="Dose"
            )
            pain_line = ax.plot(
                *_break_gaps(pain_x, pain_y),
                color=BLUE,
                marker="o",
                markersize=5,
                label="Pain",
                clip_on=False,
            )[0]
            dose_top = max(dose_y, default=0.0)
        dose_ax.set_ylim(0, max(dose_top * 1.15, 1.0))
        _date_axis(ax)
        fig.legend(
            handles=[pain_line, dose_handle], loc="outside lower center", ncols=2
        )

    return _render(fmt, draw)


def dose_response(bands: Sequence[BandEffect], fmt: Format) -> bytes:
    """Mean pain relief per dose band with its 95% interval, and n under each band.

    The interval is drawn from low to high as given, even if it does not hold the
    mean (some estimators allow that), rather than refusing the whole chart.
    """
    _check_format(fmt)

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        ax.set_title("Relief by dose")
        ax.set_xlabel("Dose")
        ax.set_ylabel("Pain relief (points)")
        if not bands:
            _say_not_enough_data(ax)
            return
        positions = list(range(len(bands)))
        lows = [min(band.low, band.high) for band in bands]
        highs = [max(band.low, band.high) for band in bands]
        # Zero is "no change": an interval crossing it means the effect is uncertain.
        ax.axhline(0, color=GREY, linewidth=1.5, linestyle="--")
        ax.vlines(positions, lows, highs, color=BLUE, linewidth=2.5)
        for ends in (lows, highs):
            ax.plot(
                positions, ends, "_", color=BLUE, markersize=16, markeredgewidth=2.5
            )
        ax.plot(positions, [band.mean for band in bands], "o", color=BLUE, markersize=9)
        ax.set_xticks(positions, [f"{band.label}\nn={band.n}" for band in bands])
        ax.set_xlim(-0.5, len(bands) - 0.5)
        ax.grid(False, axis="x")
        ax.set_ylim(*_limits([*lows, *highs, *(band.mean for band in bands)]))

    return _render(fmt, draw)


def tolerance_trend(
    points: Sequence[tuple[date, float]],
    slope_per_week: float | None,
    intercept: float | None,
    fmt: Format,
) -> bytes:
    """Weekly relief per gram, with the trend intercept + slope * weeks since the first point.

    The trend line is drawn only when both slope_per_week and intercept are given.
    """
    _check_format(fmt)
    ordered = sorted((day, float(value)) for day, value in points)

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        ax.set_title("Relief per gram over time")
        ax.set_xlabel("Week")
        ax.set_ylabel("Relief per gram (points/g)")
        if not ordered:
            _say_not_enough_data(ax)
            return
        first, last = ordered[0][0], ordered[-1][0]
        weeks = _date_numbers([_midnight(day) for day, _ in ordered])
        values = [value for _, value in ordered]
        ax.axhline(0, color=GREY, linewidth=1.5, linestyle="--")
        handles: list[Artist] = [
            ax.plot(weeks, values, "o", color=BLUE, markersize=7, label="Each week")[0]
        ]
        shown = list(values)
        if slope_per_week is not None and intercept is not None:
            span = (last - first).days / 7
            ends = [intercept, intercept + slope_per_week * span]
            shown += ends
            handles += ax.plot(
                [weeks[0], weeks[-1]],
                ends,
                color=VERMILLION,
                linewidth=3,
                # Two significant digits: weekly slopes are often below 0.01.
                label=f"Trend, {slope_per_week:+.2g} a week",
            )
        ax.set_ylim(*_limits(shown))
        _date_axis(ax)
        fig.legend(handles=handles, loc="outside lower center", ncols=2)

    return _render(fmt, draw)


def trial_chart(
    days: Sequence[TrialDayPoint], label_a: str, label_b: str, fmt: Format
) -> bytes:
    """The trial's daily outcomes, coloured by regimen, on shaded periods.

    Washout days are hollow grey dots: they are shown but not analysed.
    """
    _check_format(fmt)
    for point in days:
        if point.regimen not in ("A", "B"):
            raise InputError("regimen", "must be A or B")
    ordered = sorted(days, key=lambda point: point.day)
    colours = {"A": BLUE, "B": VERMILLION}
    labels = {"A": label_a, "B": label_b}

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        ax.set_title("Your trial, day by day", pad=18)  # room for the period letters
        ax.set_xlabel("Day")
        _pain_axis(ax, "Pain (0-10)")
        if not any(point.value is not None for point in ordered):
            _say_not_enough_data(ax)
        if not ordered:
            return
        numbers = dict(
            zip(
                (point.day for point in ordered),
                _date_numbers([_midnight(point.day) for point in ordered]),
                strict=True,
            )
        )
        for regimen, start, end in _periods(ordered):
            left, right = numbers[start] - 0.5, numbers[end] + 0.5
            ax.axvspan(left, right, color=colours[regimen], alpha=0.12, linewidth=0)
            ax.text(
                (left + right) / 2,
                1.01,
                regimen,
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="bottom",
                fontweight="bold",
                color=colours[regimen],
            )
        handles: list[Artist] = []
        for regimen in ("A", "B"):
            analysed = [
                (numbers[p.day], p.value)
                for p in ordered
                if p.regimen == regimen and not p.washout and p.value is not None
            ]
            # Plotted even when empty, so the legend always names both regimens.
            handles += ax.plot(
                [x for x, _ in analysed],
                [y for _, y in analysed],
                "o",
                color=colours[regimen],
                markersize=7,
                clip_on=False,
                label=textwrap.fill(f"{regimen}: {labels[regimen]}", 30),
            )
        washout = [
            (numbers[p.day], p.value)
            for p in ordered
            if p.washout and p.value is not None
        ]
        if any(p.washout for p in ordered):
            handles += ax.plot(
                [x for x, _ in washout],
                [y for _, y in washout],
                "o",
                color=GREY,
                markerfacecolor="none",
                markeredgewidth=2,
                markersize=7,
                clip_on=False,
                label="washout, not analysed",
            )
        ax.set_xlim(numbers[ordered[0].day] - 0.5, numbers[ordered[-1].day] + 0.5)
        _date_axis(ax)
        fig.legend(handles=handles, loc="outside lower center", ncols=2)

    return _render(fmt, draw)


def _check_format(fmt: str) -> None:
    if fmt not in ("png", "svg"):
        raise InputError("format", "must be png or svg")


def _render(fmt: Format, draw: Callable[[Figure], None]) -> bytes:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    out = BytesIO()
    with _DRAWING, matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)  # attaches itself; no pyplot, no global figure manager
        draw(fig)
        if fmt == "png":
            fig.savefig(out, format="png", dpi=DPI, metadata=_PNG_METADATA)
            return out.getvalue()
        fig.savefig(out, format="svg", metadata=_SVG_METADATA)
    return _DOCTYPE.sub(b"", out.getvalue(), count=1)


def _pain_axis(ax: Axes, label: str) -> None:
    # Always 0-10, whatever the data: a 3 should look like a 3 on every chart.
    ax.set_ylim(0, 10)
    ax.set_yticks(range(0, 11, 2))
    ax.set_ylabel(label)


def _say_not_enough_data(ax: Axes) -> None:
    ax.set_xticks([])
    ax.text(
        0.5,
        0.5,
        NOT_ENOUGH_DATA,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=13,
        color=GREY,
    )


def _date_axis(ax: Axes) -> None:
    from matplotlib import dates

    # matplotlib.dates has no annotations; these two calls are typed by hand.
    # Few ticks: 11 pt labels on a 4.8 inch axis overlap beyond about six.
    locator = dates.AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(
        dates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    )


def _date_numbers(moments: Sequence[datetime]) -> list[float]:
    from matplotlib import dates

    if not moments:
        return []
    # matplotlib.dates has no annotations; date2num returns an array of floats.
    return [float(x) for x in dates.date2num(list(moments))]  # type: ignore[no-untyped-call]


def _bars(
    ax: Axes, lefts: Sequence[float], heights: Sequence[float], width: float, label: str
) -> PathPatch:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    vertices: list[tuple[float, float]] = []
    codes: list[uint8] = []
    for left, height in zip(lefts, heights, strict=True):
        right = left + width
        vertices += [(left, 0), (left, height), (right, height), (right, 0), (left, 0)]
        codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    patch = PathPatch(
        Path(vertices, codes),
        facecolor=ORANGE,
        edgecolor="none",
        alpha=0.6,
        label=label,
    )
    ax.add_patch(patch)
    ax.autoscale_view()
    return patch


def _break_gaps(
    xs: Sequence[float], ys: Sequence[float]
) -> tuple[list[float], list[float]]:
    """Insert a NaN between points further apart than GAP, so the line breaks there."""
    gap_days = GAP / timedelta(days=1)
    out_x: list[float] = []
    out_y: list[float] = []
    for x, y in zip(xs, ys, strict=True):
        if out_x and x - out_x[-1] > gap_days:
            out_x.append(math.nan)
            out_y.append(math.nan)
        out_x.append(x)
        out_y.append(y)
    return out_x, out_y


def _periods(ordered: Iterable[TrialDayPoint]) -> list[tuple[str, date, date]]:
    """Runs of consecutive days on one regimen: (regimen, first day, last day)."""
    periods: list[tuple[str, date, date]] = []
    for point in ordered:
        if periods and periods[-1][0] == point.regimen:
            periods[-1] = (point.regimen, periods[-1][1], point.day)
        else:
            periods.append((point.regimen, point.day, point.day))
    return periods


def _limits(values: Sequence[float]) -> tuple[float, float]:
    """A y range holding the values and zero, with a little room around them."""
    finite = [value for value in values if math.isfinite(value)]
    low, high = min(0.0, *finite), max(0.0, *finite)
    pad = (high - low) * 0.1 or 1.0
    return low - pad, high + pad


def _wall_clock(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12))
