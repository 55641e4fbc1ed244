"""`kratom insights`: is kratom helping my pain, and how is my use going?"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kratom_journal.cli.context import (
    AppContext,
    check_output,
    force_option,
    json_option,
    pass_app,
    print_json,
    write_output,
)

if TYPE_CHECKING:
    from kratom_journal.domain.insights import Insights
    from kratom_journal.domain.uncertainty import Estimate


@click.command("insights")
@click.option(
    "--days",
    type=click.IntRange(1, 36500),
    default=90,
    show_default=True,
    help="How many days to look back, today included.",
)
@click.option(
    "--charts",
    "charts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Also draw the charts (pain over time, relief by dose, relief per gram) "
    "into DIR as PNG and SVG.",
)
@force_option
@json_option
@pass_app
def insights_command(
    app: AppContext, days: int, charts_dir: Path | None, force: bool, as_json: bool
) -> None:
    """What doses did to your pain (by dose size and product, with 95% intervals),
    whether relief per gram is falling (tolerance), side effects by dose, and your
    use pattern. Says "not enough data yet" rather than guess."""
    from kratom_journal.services.insights import insights

    if charts_dir is not None:
        for path in _chart_paths(charts_dir):
            check_output(app, path, "--charts", force)
    result = insights(app.journal, days=days, now=app.now)
    written: list[Path] = []
    if charts_dir is not None:
        written = _draw(app, result, charts_dir, force)
    if as_json:
        print_json(_to_json(result) | {"charts": [str(path) for path in written]})
        return
    click.echo(
        f"Insights for {result.first_day:%d %b %Y} to {result.last_day:%d %b %Y}"
    )
    topics = {
        "effect": "What doses did",
        "dose-response": "Dose size",
        "tolerance": "Tolerance",
        "side-effects": "Side effects",
        "product": "By product",
        "pattern": "Use pattern",
    }
    for topic, title in topics.items():
        lines = [c.sentence for c in result.conclusions if c.topic == topic]
        if lines:
            click.echo(f"\n{title}")
            for line in lines:
                click.echo(f"  - {line}")
    click.echo(f"\n{result.caveat}")
    for path in written:
        click.echo(f"Wrote {path}")


def _chart_paths(directory: Path) -> list[Path]:
    from kratom_journal.services.insights import CHARTS

    return [directory / f"{name}.{fmt}" for fmt in ("png", "svg") for name in CHARTS]


def _draw(
    app: AppContext, result: Insights, directory: Path, force: bool
) -> list[Path]:
    from kratom_journal.domain.errors import InputError
    from kratom_journal.services.insights import draw_charts
    from kratom_journal.store.private_files import make_private_folder

    try:
        make_private_folder(directory)
    except OSError as error:
        raise InputError(
            "charts", f"cannot create {directory}: {error.strerror}"
        ) from None
    written = []
    for fmt in ("png", "svg"):
        for name, data in draw_charts(result, fmt, app.zone).items():
            path = directory / f"{name}.{fmt}"
            write_output(app, path, data, "--charts", force)
            written.append(path)
    return written


def _estimate(estimate: Estimate | None) -> dict[str, Any] | None:
    if estimate is None:
        return None
    return {
        "value": round(estimate.value, 3),
        "low": round(estimate.low, 3),
        "high": round(estimate.high, 3),
        "n": estimate.n,
    }


def _to_json(result: Insights) -> dict[str, Any]:
    pattern = result.pattern
    trend = result.tolerance.trend

    def maybe(value: float | None) -> float | None:
        return None if value is None else round(value, 3)

    return {
        "period": {
            "first_day": result.first_day.isoformat(),
            "last_day": result.last_day.isoformat(),
        },
        "conclusions": [
            {"topic": c.topic, "sentence": c.sentence, "enough_data": c.enough_data}
            for c in result.conclusions
        ],
        "pairs": {
            "used": len(result.pairing.pairs),
            "left_out_overlapping": result.pairing.stacked,
            "without_check_ins": result.pairing.unpaired,
        },
        "relief_by_band": [
            {
                "band": band.label,
                "pairs": relief.pairs,
                "mean_grams": maybe(relief.mean_grams),
                "relief": _estimate(relief.estimate),
            }
            for band, relief in result.bands.items()
        ],
        "relief_per_extra_gram": _estimate(result.dose_response),
        "tolerance": {
            "weeks": [
                {"week_of": day.isoformat(), "relief_per_gram": round(value, 3)}
                for day, value in result.tolerance.weeks
            ],
            "slope_per_week": None if trend is None else _estimate(trend.slope),
            "intercept": None if trend is None else round(trend.intercept, 3),
        },
        "side_effects_by_band": [
            {"band": band.label, "doses": effects.doses, "reported": effects.reported}
            for band, effects in result.side_effects.items()
        ],
        "relief_by_product": [
            {
                "product_id": None if product is None else str(product),
                "name": result.product_names.get(product),
                "pairs": relief.pairs,
                "mean_grams": maybe(relief.mean_grams),
                "relief": _estimate(relief.estimate),
            }
            for product, relief in result.products.items()
        ],
        "use_pattern": {
            "days": pattern.days,
            "use_days": pattern.use_days,
            "rest_days": pattern.rest_days,
            "doses": pattern.doses,
            "grams": round(pattern.grams, 3),
            "grams_per_day": round(pattern.grams_per_day, 3),
            "grams_per_use_day": maybe(pattern.grams_per_use_day),
            "doses_per_use_day": maybe(pattern.doses_per_use_day),
            "grams_per_dose": maybe(pattern.grams_per_dose),
            "current_streak": pattern.current_streak,
            "longest_streak": pattern.longest_streak,
            "longest_rest": pattern.longest_rest,
            "trends": [
                {
                    "days": window.days,
                    "grams_per_day": round(window.grams_per_day, 3),
                    "previous_grams_per_day": maybe(window.previous_grams_per_day),
                }
                for window in pattern.trends
            ],
        },
        "caveat": result.caveat,
    }


COMMANDS = [insights_command]
