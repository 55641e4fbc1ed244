"""`kratom trial`: a randomized N-of-1 trial comparing two regimens, day by day."""

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
from kratom_journal.cli.entries import AT_HELP, effect_options

if TYPE_CHECKING:
    from kratom_journal.domain.trial import Design
    from kratom_journal.services.trial import Trial


@click.group("trial")
def trial_group() -> None:
    """Compare two regimens fairly: periods in random order, a washout after each
    switch, daily ratings, and an honest analysis with its uncertainty."""


@trial_group.command("design")
@click.option(
    "--a", "regimen_a", required=True, metavar="LABEL", help="Regimen A, e.g. '2 g'."
)
@click.option(
    "--b",
    "regimen_b",
    required=True,
    metavar="LABEL",
    help="Regimen B, e.g. '3 g' (two doses compare more fairly than kratom against none).",
)
@click.option(
    "--pairs", default="4", show_default=True, metavar="3-6", help="Pairs of periods."
)
@click.option(
    "--period-days",
    default="14",
    show_default=True,
    metavar="7-14",
    help="Days per period.",
)
@click.option(
    "--washout-days",
    default="3",
    show_default=True,
    metavar="2-3",
    help="Days at the start of each period left out of the analysis.",
)
@click.option(
    "--outcome",
    default="peg",
    show_default=True,
    metavar="peg|nrs",
    help="Daily rating: PEG (pain, enjoyment, activity, 0-10 each) or pain NRS 0-10.",
)
@click.option("--start", metavar="YYYY-MM-DD", help="First day (default today).")
@click.option(
    "--seed", metavar="N", help="Random seed for the order (default: a fresh one)."
)
@click.option(
    "--preview",
    is_flag=True,
    help="Show the design and its safety check without saving it.",
)
@click.option(
    "--confirm",
    is_flag=True,
    help="Acknowledge the high-caution findings the preview shows and save the trial "
    "(an avoid-level finding still refuses it).",
)
@json_option
@pass_app
def design_command(
    app: AppContext,
    regimen_a: str,
    regimen_b: str,
    pairs: str,
    period_days: str,
    washout_days: str,
    outcome: str,
    start: str | None,
    seed: str | None,
    preview: bool,
    confirm: bool,
    as_json: bool,
) -> None:
    """Draw the order of the periods (stored with its seed), run the safety check
    on both regimens' daily amounts and show the schedule.

    Each regimen names its amount a day in grams ('2 g', '2 g a day', or 'none').
    An avoid-level finding refuses the trial; a high-caution one needs --confirm."""
    from kratom_journal.cli.render import (
        finding_json,
        finding_lines,
        source_json,
        source_lines,
    )
    from kratom_journal.services import trial

    designed = trial.design(
        app.journal,
        trial.DesignInput(
            regimen_a, regimen_b, pairs, period_days, washout_days, outcome, start, seed
        ),
        now=app.now,
        save=not preview,
        confirm=confirm,
    )
    drawn, dependence = designed.trial, designed.dependence
    if as_json:
        print_json(
            {
                "saved": not preview,
                "trial": _trial_json(drawn),
                "notes": designed.notes,
                "findings": [finding_json(f) for f in designed.findings],
                "dependence": None
                if dependence is None
                else {
                    "text": dependence.text,
                    "sources": [source_json(s) for s in dependence.sources],
                },
            }
        )
        return
    click.echo("Preview (not saved):" if preview else "Trial saved.")
    for line in _design_lines(drawn.design):
        click.echo(line)
    click.echo("\n".join(_plan_lines(drawn)))
    shown = [f for f in designed.findings if f.severity.label != "info"]
    if shown:
        click.echo("Safety check of both regimens' daily amounts:")
        click.echo("\n".join(finding_lines(shown)))
    if drawn.acknowledged and not preview:
        click.echo(
            "Acknowledged and stored with the trial: "
            + "; ".join(a.title for a in drawn.acknowledged)
            + "."
        )
    if dependence is not None:
        click.echo(f"Dependence: {dependence.text}")
        click.echo("\n".join(f"  {line}" for line in source_lines(dependence.sources)))
    for warning in designed.notes:
        click.echo(f"Note: {warning}")


def _design_lines(design: Design) -> list[str]:
    from kratom_journal.domain.trial import period_bounds

    lines = [
        f"A = {design.regimen_a}, B = {design.regimen_b}; {design.pairs} pairs of "
        f"{design.period_days}-day periods, {design.start:%a %d %b %Y} to "
        f"{design.end:%a %d %b %Y} (the day before is the last).",
        f"Order drawn from seed {design.seed}: "
        + ", ".join(f"pair {n} {order}" for n, order in enumerate(design.order, 1))
        + ".",
    ]
    for pair, period, regimen, first, last in period_bounds(design):
        label = design.regimen_a if regimen == "A" else design.regimen_b
        lines.append(
            f"  Pair {pair}, period {period}: {first:%a %d %b} to {last:%a %d %b}  "
            f"{regimen} ({label})"
        )
    lines.append(
        f"The first {design.washout_days} days of every period are a washout and are "
        "not analysed."
    )
    rating = (
        "--peg PAIN,ENJOYMENT,ACTIVITY (0-10 each)"
        if design.outcome.value == "peg"
        else "--pain 0-10"
    )
    lines.append(f"Each day: `kratom trial log {rating}`, with any side effects (-s).")
    return lines


def _trial_json(current: Trial) -> dict[str, Any]:
    from kratom_journal.domain.trial import design_to_json
    from kratom_journal.domain.trial_plan import plan_to_json

    return {
        "id": str(current.id),
        "design": design_to_json(current.design),
        "off_plan": sorted(day.isoformat() for day in current.off_plan),
        "stopped_on": None
        if current.stopped_on is None
        else current.stopped_on.isoformat(),
        "daily_g": {k: f"{v.normalize():f}" for k, v in current.daily_g.items()},
        "acknowledged": [a.to_json() for a in current.acknowledged],
        "plan": None if current.plan is None else plan_to_json(current.plan),
    }


@trial_group.command("status")
@json_option
@pass_app
def status_command(app: AppContext, as_json: bool) -> None:
    """Where today falls in the trial: regimen, period, washout, what is logged."""
    from kratom_journal.cli.render import finding_json
    from kratom_journal.domain.errors import SafetyCheckUnavailable
    from kratom_journal.services import trial

    state = trial.status(app.journal, now=app.now)
    current = state.trial
    unavailable = None
    try:
        avoid = trial.standing_avoid(app.journal, now=app.now)
    except SafetyCheckUnavailable as error:
        avoid, unavailable = [], str(error)
    if as_json:
        day = state.day
        print_json(
            {
                "today": state.today.isoformat(),
                "trial": None if current is None else _trial_json(current),
                "running": current is not None and current.running(state.today),
                "day": None
                if day is None
                else {
                    "pair": day.pair,
                    "period": day.period,
                    "regimen": day.regimen,
                    "day_in_period": day.day_in_period,
                    "washout": day.washout,
                },
                "logged_days": state.logged_days,
                "analysable_days": state.analysable_days,
                "next_switch": None
                if state.next_switch is None
                else state.next_switch.isoformat(),
                "ignored_checkins": state.ignored_checkins,
                "avoid_findings": [finding_json(f) for f in avoid],
                "check_unavailable": unavailable,
            }
        )
        return
    if current is None:
        click.echo("No trial yet. `kratom trial design --a '2 g' --b '3 g'` plans one.")
        return
    design = current.design
    click.echo(
        f"Trial: A = {design.regimen_a}, B = {design.regimen_b} "
        f"({design.outcome.value.upper()}), {design.start:%d %b %Y} to "
        f"{design.end:%d %b %Y}."
    )
    day = state.day
    if day is None:
        if current.stopped_on is not None:
            click.echo(f"Stopped on {current.stopped_on:%a %d %b %Y}.")
        elif state.today < design.start:
            click.echo(f"It starts on {design.start:%a %d %b %Y}.")
        else:
            click.echo("The trial is over.")
    else:
        label = design.regimen_a if day.regimen == "A" else design.regimen_b
        washout = " (washout: not analysed)" if day.washout else ""
        click.echo(
            f"Today: pair {day.pair}, period {day.period}: {day.regimen} ({label}), "
            f"day {day.day_in_period} of {design.period_days}{washout}."
        )
        if state.next_switch is not None:
            click.echo(f"Next switch: {state.next_switch:%a %d %b}.")
        if avoid:
            click.echo(
                "An avoid-level finding stands now: "
                + "; ".join(f.title for f in avoid)
                + ". The trial's regimen is not one to take with it; `kratom check` "
                "shows why and what to do. `kratom trial stop` ends the trial, and "
                "the days so far can still be analysed."
            )
        if unavailable:
            click.echo(f"Warning: {unavailable}.", err=True)
    click.echo(
        f"Rated {state.logged_days} of {state.analysable_days} analysable days so far; "
        f"{len(current.off_plan)} off-plan day(s)."
    )
    if state.ignored_checkins:
        click.echo(
            f"{state.ignored_checkins} other check-in(s) on trial days are not used: "
            "the trial counts only its one daily rating (`kratom trial log`)."
        )
    if current.acknowledged:
        click.echo(
            "Acknowledged at design: "
            + "; ".join(a.title for a in current.acknowledged)
            + "."
        )
    click.echo("\n".join(_plan_lines(current)))
    click.echo("`kratom trial analyze` shows the result so far.")


def _plan_lines(current: Trial) -> list[str]:
    from kratom_journal.domain.trial_plan import plan_lines

    if current.plan is None:
        return ["This trial was designed before analysis plans were stored."]
    return ["Analysis plan (fixed when the trial was designed):"] + [
        f"  {line}" for line in plan_lines(current.plan)
    ]


@trial_group.command("log")
@click.option("--pain", metavar="0-10", help="Pain now, 0-10 (the NRS outcome).")
@click.option(
    "--peg", metavar="P,E,A", help="PEG items 0-10: pain, enjoyment, activity."
)
@effect_options
@click.option(
    "--off-plan",
    is_flag=True,
    help="I did not follow today's regimen: the day is left out of the analysis.",
)
@click.option("--note", "-n", help="A free-text note.")
@click.option("--at", metavar="TIME", help=AT_HELP)
@json_option
@pass_app
def log_command(
    app: AppContext,
    pain: str | None,
    peg: str | None,
    side_effects: tuple[str, ...],
    other_effects: tuple[str, ...],
    off_plan: bool,
    note: str | None,
    at: str | None,
    as_json: bool,
) -> None:
    """Record today's rating (a check-in) for the trial."""
    from kratom_journal.domain.checkins import parse_peg
    from kratom_journal.domain.errors import InputError
    from kratom_journal.domain.records import to_json
    from kratom_journal.services import trial
    from kratom_journal.services.entries import CheckInInput

    if pain is None and peg is None:
        raise InputError("pain", "give --pain 0-10 or --peg PAIN,ENJOYMENT,ACTIVITY")
    if pain is None:
        assert peg is not None
        pain = str(parse_peg(peg).pain)  # the PEG's first item is pain now

    logged = trial.log(
        app.journal,
        CheckInInput(pain, side_effects, other_effects, peg, note=note, at=at),
        now=app.now,
        off_plan=off_plan,
    )
    day = logged.day
    if as_json:
        print_json(
            {
                "checkin": to_json(logged.checkin),
                "regimen": day.regimen,
                "washout": day.washout,
                "off_plan": off_plan,
            }
        )
        return
    design = logged.trial.design
    label = design.regimen_a if day.regimen == "A" else design.regimen_b
    click.echo(
        f"Logged pair {day.pair}, period {day.period}, day {day.day_in_period}: "
        f"{day.regimen} ({label})."
    )
    if off_plan:
        click.echo("Marked off-plan: this day is left out of the analysis.")
    elif day.washout:
        click.echo("A washout day: kept in your journal, not analysed.")


@trial_group.command("stop")
@click.option("--at", metavar="TIME", help=AT_HELP)
@pass_app
def stop_command(app: AppContext, at: str | None) -> None:
    """End the trial early; the days so far can still be analysed."""
    from kratom_journal.services import trial

    stopped = trial.stop(app.journal, now=app.now, at=at)
    assert stopped.stopped_on is not None
    click.echo(
        f"Trial stopped on {stopped.stopped_on:%a %d %b %Y}. `kratom trial analyze` "
        "shows what the days so far say."
    )


@trial_group.command("analyze")
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also draw the trial day by day to FILE (.png or .svg).",
)
@force_option
@json_option
@pass_app
def analyze_command(
    app: AppContext, chart: Path | None, force: bool, as_json: bool
) -> None:
    """The verdict with its uncertainty: per-period means, paired differences, an
    exact randomization test and an AR(1) model estimate."""
    from kratom_journal.cli.render import source_json, source_lines
    from kratom_journal.domain.errors import InputError
    from kratom_journal.services import trial_results

    fmt = None
    if chart is not None:
        fmt = chart.suffix.lower().lstrip(".")
        if fmt not in ("png", "svg"):
            raise InputError("chart", f"{chart.name!r} must end in .png or .svg")
        check_output(app, chart, "--chart", force)
    result = trial_results.analyze(app.journal, now=app.now)
    if chart is not None:
        drawn = trial_results.draw_chart(result, "png" if fmt == "png" else "svg")
        write_output(app, chart, drawn, "--chart", force)
    analysis = result.analysis
    if as_json:
        print_json(
            _jsonable(analysis)
            | {
                "mid_sources": [source_json(s) for s in result.sources],
                "chart": None if chart is None else str(chart),
            }
        )
        return
    design = analysis.design
    click.echo(analysis.verdict)
    if analysis.needs:
        click.echo(analysis.needs)
    click.echo("\nPeriods (mean of analysed days):")
    for period in analysis.periods:
        label = design.regimen_a if period.regimen == "A" else design.regimen_b
        mean = "-" if period.mean is None else f"{period.mean:.1f}"
        mark = "" if period.counts else "  (too few days rated; not counted)"
        click.echo(
            f"  Pair {period.pair} {period.regimen} ({label}): {mean} over "
            f"{period.days_used} of {period.days_expected} days{mark}"
        )
    if analysis.mean_difference is not None:
        click.echo(
            "Paired differences (A - B): "
            + ", ".join(f"{d:+.1f}" for d in analysis.differences)
            + f"; mean {analysis.mean_difference:+.1f} "
            f"(95% interval {analysis.low:+.1f} to {analysis.high:+.1f})"
        )
    if analysis.randomization_p is not None:
        click.echo(
            f"Exact randomization test: p = {analysis.randomization_p:.3f} (the smallest "
            f"possible with {analysis.complete_pairs} pairs is {analysis.smallest_p:.3f})"
        )
    model = analysis.model
    if model is not None:
        click.echo(
            f"Model with day-to-day correlation (AR(1), rho {model.rho:.2f}): A - B = "
            f"{model.effect:+.1f} (95% interval {model.low:+.1f} to {model.high:+.1f}); "
            f"chance A is better by {analysis.mid:g} or more points "
            f"{model.p_a_better:.0%}, B better "
            f"{model.p_b_better:.0%}, smaller difference {model.p_trivial:.0%}"
        )
    if analysis.side_effects:
        click.echo("Side effects (days reported / days rated):")
        for rate in analysis.side_effects:
            label = design.regimen_a if rate.regimen == "A" else design.regimen_b
            click.echo(f"  {rate.name} on {label}: {rate.days_with}/{rate.days_logged}")
    click.echo("Limits:")
    for limit in analysis.limits:
        click.echo(f"  - {limit}")
    click.echo(
        f"A difference of {analysis.mid:g} points is taken as the smallest that "
        "matters; sources:"
    )
    click.echo("\n".join(f"  {line}" for line in source_lines(result.sources)))
    if chart is not None:
        click.echo(f"Wrote {chart}")


def _jsonable(value: Any) -> Any:
    """Dataclasses, enums, dates and floats as plain JSON values."""
    import dataclasses
    from datetime import date
    from enum import Enum

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _jsonable(getattr(value, field.name))
            for field in dataclasses.fields(value)
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(item) for item in value]
    return value


COMMANDS = [trial_group]
