"""`kratom titrate`: the start-low protocol with timed check-ins."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from kratom_journal.cli.context import AppContext, json_option, pass_app, print_json
from kratom_journal.cli.entries import AT_HELP, effect_options

if TYPE_CHECKING:
    from datetime import datetime

    from kratom_journal.domain.effective_dose import EffectiveDose
    from kratom_journal.domain.titration import Session
    from kratom_journal.services.titration import Figures, Outcome


def _iso(instant: datetime | None) -> str | None:
    return None if instant is None else instant.isoformat().replace("+00:00", "Z")


def session_json(session: Session | None) -> dict[str, Any] | None:
    if session is None:
        return None
    return {
        "id": str(session.id),
        "phase": session.phase.value,
        "outcome": None if session.outcome is None else session.outcome.value,
        "started_at": _iso(session.started_at),
        "ended_at": _iso(session.ended_at),
        "baseline_pain": session.baseline_pain,
        "target_pain": session.target_pain,
        "total_g": str(session.total_g),
        "step_g": str(session.step_g),
        "wait_minutes": int(session.wait.total_seconds() // 60),
        "step_after_minutes": int(session.step_after.total_seconds() // 60),
        "steps": session.steps,
        "checkin_due": _iso(session.due),
        # information, never a prompt: the earliest a step would not stack
        "step_from": _iso(session.step_from),
        "deadline": _iso(session.deadline),
        "reason": session.reason,
        "doses": [{"at": _iso(at), "grams": str(g)} for at, g in session.doses],
        "checks": [
            {"at": _iso(c.at), "pain": c.pain, "effects": dict(c.effects)}
            for c in session.checks
        ],
        "urgent": session.urgent,
    }


def summary_json(summary: EffectiveDose) -> dict[str, Any]:
    def text(value: object) -> str | None:
        return None if value is None else str(value)

    return {
        "sessions_with_relief": summary.sessions,
        "effective_dose_median_g": text(summary.median_g),
        "effective_dose_low_g": text(summary.low_g),
        "effective_dose_high_g": text(summary.high_g),
        "trend_g_per_week": text(summary.trend_g_per_week),
        "trend": summary.trend,
        "side_effects_first_at_g": {
            k: str(v) for k, v in summary.side_effect_doses.items()
        },
    }


def figures_json(figures: Figures) -> dict[str, Any]:
    from kratom_journal.cli.render import source_json

    return {
        "start_g": [str(figures.start_low_g), str(figures.start_high_g)],
        "wait_minutes": [figures.wait_low, figures.wait_high],
        "step_g": str(figures.step_g),
        "step_after_minutes": [figures.step_after_low, figures.step_after_high],
        "sources": [source_json(s) for s in figures.sources],
        "peak_sources": [source_json(s) for s in figures.peak_sources],
    }


def session_lines(session: Session, zone: str, now: datetime) -> list[str]:
    from kratom_journal.cli.render import grams, local
    from kratom_journal.domain.moments import format_duration
    from kratom_journal.domain.titration import UNPLANNED_REASON, Phase

    started = local(session.started_at, zone, "%a %d %b %H:%M")
    target = "" if session.target_pain is None else f", target {session.target_pain}"
    lines = [
        f"Titration since {started}: {grams(session.total_g)} in "
        f"{len(session.doses)} dose(s); baseline pain {session.baseline_pain}{target}."
    ]
    for check in session.checks:
        effects = ", ".join(f"{k} {v}" for k, v in check.effects.items() if v) or "none"
        lines.append(
            f"  {local(check.at, zone)} check-in: pain {check.pain}, side effects "
            f"{effects} (at {grams(check.total_g)})"
        )
    if session.phase is Phase.WAITING and session.due is not None:
        wait = session.due - now
        when = f"in {format_duration(wait)}" if wait.total_seconds() > 0 else "now"
        lines.append(
            f"Check-in due at {local(session.due, zone)} ({when}): "
            "`kratom titrate checkin --pain N [-s sedation=1 ...]`."
        )
        after_check = session.checks and session.checks[-1].at > session.last_dose_at
        if after_check or session.reason == UNPLANNED_REASON:
            lines.append(session.reason)
    elif session.phase is Phase.STEP_ALLOWED:
        assert session.deadline is not None and session.step_from is not None
        lines.append(session.reason)
        if session.step_from > now:
            lines.append(
                f"A step would not stack on the last dose from "
                f"{local(session.step_from, zone)}; `kratom titrate step` is refused "
                "before then."
            )
        lines.append(
            "`kratom titrate step` records the step; `kratom titrate stop` ends the "
            f"session. The offer lapses at {local(session.deadline, zone)}."
        )
    else:
        assert session.outcome is not None and session.ended_at is not None
        lines.append(
            f"Ended {local(session.ended_at, zone, '%a %H:%M')} "
            f"({session.outcome.value}): {session.reason}"
        )
    if session.urgent:
        lines.append(
            f"{', '.join(session.urgent)}: this can be serious. Get urgent medical help "
            "(call your local emergency number)."
        )
    return lines


def summary_lines(summary: EffectiveDose) -> list[str]:
    from kratom_journal.cli.render import grams

    lines = []
    if summary.median_g is not None:
        assert summary.low_g is not None and summary.high_g is not None
        lines.append(
            f"Smallest effective dose: {grams(summary.median_g)} (median of "
            f"{summary.sessions} session(s) with relief; range "
            f"{grams(summary.low_g)}-{grams(summary.high_g)})."
        )
    lines.append(summary.trend)
    if summary.side_effect_doses:
        firsts = ", ".join(
            f"{name} from {grams(g)}"
            for name, g in sorted(summary.side_effect_doses.items())
        )
        lines.append(f"Side effects appeared at: {firsts}.")
    return lines


def _show(app: AppContext, outcome: Outcome, as_json: bool, headline: str) -> None:
    from kratom_journal.cli.render import finding_json, finding_lines
    from kratom_journal.domain.findings import Severity
    from kratom_journal.domain.records import to_json

    if as_json:
        print_json(
            {
                "session": session_json(outcome.session),
                "dose": None if outcome.dose is None else to_json(outcome.dose),
                "checkin": None
                if outcome.checkin is None
                else to_json(outcome.checkin),
                "findings": [finding_json(f) for f in outcome.findings],
                "note": outcome.note,
                "protocol": figures_json(outcome.figures),
            }
        )
        return
    if headline:
        click.echo(headline)
    if outcome.note:
        click.echo(outcome.note)
    if outcome.session is not None:
        click.echo("\n".join(session_lines(outcome.session, app.zone, app.now)))
    shown = [f for f in outcome.findings if f.severity > Severity.INFO]
    if shown:
        click.echo("Safety check:")
        click.echo("\n".join(finding_lines(shown, sources=False)))


@click.group("titrate")
def titrate() -> None:
    """Start low, go slow: a first dose, timed check-ins, small steps only while pain
    remains and no side effect or warning stops it. Informational, not medical advice."""


@titrate.command("start")
@click.option("--dose", default="1g", show_default=True, help="Start dose, 1-2 g.")
@click.option("--product", "-p", metavar="NAME|ID", help="Which product.")
@click.option("--pain", metavar="0-10", help="Pain now (the baseline).")
@click.option("--target-pain", metavar="0-10", help="Pain you would call relief.")
@click.option("--wait", metavar="MIN", help="Minutes before each check-in (45-60).")
@click.option(
    "--step-after",
    metavar="MIN",
    help="Minutes from a dose to the earliest step (60-120, default 60): effects "
    "can still be building for up to two hours.",
)
@click.option("--at", metavar="TIME", help=AT_HELP)
@json_option
@pass_app
def start_command(
    app: AppContext,
    dose: str,
    product: str | None,
    pain: str | None,
    target_pain: str | None,
    wait: str | None,
    step_after: str | None,
    at: str | None,
    as_json: bool,
) -> None:
    """Run the safety check, record the baseline and log the start dose. At most two
    steps a session, one session a day."""
    from kratom_journal.services import titration

    outcome = titration.start(
        app.journal,
        titration.StartInput(dose, product, target_pain, pain, wait, at, step_after),
        now=app.now,
    )
    _show(app, outcome, as_json, "Titration started.")


@titrate.command("checkin")
@click.option("--pain", required=True, metavar="0-10", help="Pain now.")
@effect_options
@click.option("--note", "-n", help="A free-text note.")
@click.option("--at", metavar="TIME", help=AT_HELP)
@json_option
@pass_app
def checkin_command(
    app: AppContext,
    pain: str,
    side_effects: tuple[str, ...],
    other_effects: tuple[str, ...],
    note: str | None,
    at: str | None,
    as_json: bool,
) -> None:
    """Record the timed check-in; the protocol decides what it allows next."""
    from kratom_journal.services import titration
    from kratom_journal.services.entries import CheckInInput

    outcome = titration.check_in(
        app.journal,
        CheckInInput(pain, side_effects, other_effects, note=note, at=at),
        now=app.now,
    )
    _show(app, outcome, as_json, "Checked in.")


@titrate.command("step")
@click.option("--at", metavar="TIME", help=AT_HELP)
@json_option
@pass_app
def step_command(app: AppContext, at: str | None, as_json: bool) -> None:
    """Record the step the protocol allows (after a check-in said so)."""
    from kratom_journal.cli.render import grams
    from kratom_journal.services import titration

    outcome = titration.step(app.journal, at=at, now=app.now)
    assert outcome.dose is not None
    _show(app, outcome, as_json, f"Logged the step: {grams(outcome.dose.grams)}.")


@titrate.command("stop")
@click.option("--at", metavar="TIME", help=AT_HELP)
@json_option
@pass_app
def stop_command(app: AppContext, at: str | None, as_json: bool) -> None:
    """End the session now, at the current total."""
    from kratom_journal.services import titration

    _show(app, titration.stop(app.journal, at=at, now=app.now), as_json, "")


@titrate.command("status")
@json_option
@pass_app
def status_command(app: AppContext, as_json: bool) -> None:
    """The session, what is due and when, and what past sessions show."""
    from kratom_journal.services import titration

    status = titration.status(app.journal, now=app.now)
    if as_json:
        print_json(
            {
                "session": session_json(status.session),
                "summary": summary_json(status.summary),
                "protocol": figures_json(status.figures),
                "ceilings": [
                    {
                        "grams": str(c.grams),
                        "at": _iso(c.at),
                        "effects": list(c.effects),
                    }
                    for c in status.ceilings
                ],
            }
        )
        return
    if status.session is None:
        click.echo(
            "No titration session yet. `kratom titrate start --pain N` begins one."
        )
    else:
        click.echo("\n".join(session_lines(status.session, app.zone, app.now)))
    click.echo("\n".join(summary_lines(status.summary)))
    from kratom_journal.cli.render import grams, local

    for ceiling in status.ceilings:
        effects = ", ".join(ceiling.effects) or "side effects"
        click.echo(
            f"Ceiling: {grams(ceiling.grams)} ({effects}, "
            f"{local(ceiling.at, app.zone, '%a %d %b')}): later sessions do not step "
            "to it."
        )


COMMANDS = [titrate]
