"""Commands that log: dose, check-in, other intake."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from kratom_journal.cli.context import AppContext, json_option, pass_app, print_json

SEVERITY_WORDS = ("none", "mild", "moderate", "severe")
AT_HELP = "When: now, 14:30, 'yesterday 21:00', -45m, or ISO 8601 (default now)."
F = TypeVar("F", bound=Callable[..., Any])


class AmountCommand(click.Command):
    """A command whose AMOUNT may be typed negative: `kratom log -1g` would be
    read by click as the options -1 and -g ("No such option '-1'"); it is bad
    input about the amount instead, in the amount parser's words (exit 2)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as error:
            option = error.option_name
            if len(option) < 2 or not (option[1].isdigit() or option[1] in "½¼¾⅓.,"):
                raise
            # The whole word that click split up: "-1g" from "-1".
            word = next((a for a in args if a.startswith(option)), option)
            from kratom_journal.cli import BadInput
            from kratom_journal.domain.errors import InputError
            from kratom_journal.domain.quantities import parse_quantity

            try:
                parse_quantity(word)
            except InputError as bad:
                raise BadInput(f"amount: {bad.problem} (nothing was saved)") from None
            raise


def effect_options(function: F) -> F:
    """--side-effect and --other-effect, shared by every kind of check-in."""
    function = click.option(
        "--other-effect",
        "other_effects",
        multiple=True,
        metavar="TEXT=SEV",
        help="A side effect not on the list, free text; repeatable.",
    )(function)
    return click.option(
        "--side-effect",
        "-s",
        "side_effects",
        multiple=True,
        metavar="NAME=SEV",
        help="A side effect from the list (sedation, nausea, dizziness, wobbles, ...) "
        "with severity 0-3 or none/mild/moderate/severe; repeatable.",
    )(function)


@click.command("log", cls=AmountCommand)
@click.argument("amount")
@click.option("--product", "-p", metavar="NAME|ID", help="Which product (name or id).")
@click.option("--at", metavar="TIME", help=AT_HELP)
@click.option("--note", "-n", help="A free-text note.")
@click.option(
    "--stomach",
    type=click.Choice(["empty", "light-meal", "full"]),
    help="Empty stomach, a light meal or full.",
)
@click.option("--approx", is_flag=True, help="Mark the amount as an estimate.")
@click.option(
    "--confirm",
    is_flag=True,
    help="Record it despite the avoid-level warnings just shown (by a blocked log "
    "or check, in the last 30 minutes) or an amount above 15 g.",
)
@json_option
@pass_app
def log_command(
    app: AppContext,
    amount: str,
    product: str | None,
    at: str | None,
    note: str | None,
    stomach: str | None,
    approx: bool,
    confirm: bool,
    as_json: bool,
) -> None:
    """Log a dose, e.g. `kratom log 2g`, `kratom log "1/2 tsp" -p "Red Bali"`."""
    from kratom_journal.cli.render import (
        acknowledged_line,
        dose_line,
        finding_json,
        finding_lines,
    )
    from kratom_journal.cli.strength import strength_line, today_line
    from kratom_journal.domain.findings import Severity
    from kratom_journal.domain.records import to_json
    from kratom_journal.services.acknowledgements import FindingsNeedConfirmation
    from kratom_journal.services.entries import DoseInput, log_dose
    from kratom_journal.services.overview import today
    from kratom_journal.services.product_checks import strength_of

    try:
        logged = log_dose(
            app.journal,
            DoseInput(
                amount,
                product=product,
                at=at,
                note=note,
                stomach=stomach,
                approx=approx,
                confirm=confirm,
            ),
            now=app.now,
        )
    except FindingsNeedConfirmation as blocked:
        show_blocked(blocked, confirm=confirm)
        raise
    dose = logged.dose
    summary = today(app.journal, now=app.now)
    taken = summary.products.get(str(dose.product_id)) if dose.product_id else None
    strength = strength_of(dose.grams, taken)
    judged = summary.judged
    if as_json:
        print_json(
            {
                "dose": to_json(dose),
                "strength": strength.as_json() if strength else None,
                "today_total_g": str(summary.summary.total_g),
                "today_leaf_equivalent_g": str(judged.grams) if judged else None,
                "today_unjudged_products": list(judged.unjudged) if judged else [],
                "findings": [finding_json(f) for f in logged.findings],
                "acknowledged_findings": [
                    finding_json(f) | {"acknowledged_at": to_json(a)["created_at"]}
                    for f, a in logged.acknowledged
                ],
                "check_unavailable": logged.check_unavailable,
            }
        )
        return
    click.echo(
        "Logged:" + dose_line(dose, summary.products, dose.zone, "%a %d %b %H:%M")
    )
    if strength is not None:
        click.echo(strength_line(strength))
    day = summary.summary
    click.echo(today_line(day.total_g, day.daily_cap_g, judged))
    if dose.approximate and not dose.quantity.unit.is_mass:
        click.echo(
            "The gram amount is an estimate; weighing with a 0.01 g scale is more exact "
            "(`kratom product edit NAME --tsp-grams ...` stores a measured spoon)."
        )
    if logged.check_unavailable:
        click.echo(f"Warning: {logged.check_unavailable}.", err=True)
    shown = [f for f in logged.findings if f.severity > Severity.INFO]
    if shown:
        click.echo("Safety check:")
        click.echo("\n".join(finding_lines(shown, sources=False)))
        click.echo("Sources: `kratom check` shows them.")
    if logged.acknowledged:
        click.echo(acknowledged_line([f for f, _ in logged.acknowledged]))


def show_blocked(blocked: Any, *, confirm: bool) -> None:
    """The avoid findings that stop a log, in full on stderr, new ones first."""
    from kratom_journal.cli.render import finding_lines

    new = blocked.new
    if confirm:
        click.echo(
            "Not covered by --confirm: you have not been shown "
            + ("this" if len(new) == 1 else "these")
            + " yet:",
            err=True,
        )
    click.echo("\n".join(finding_lines(new, sources=False)), err=True)
    rest = [f for f in blocked.findings if f not in new]
    if rest:
        click.echo("Also standing, shown before:", err=True)
        click.echo("\n".join(finding_lines(rest, sources=False)), err=True)


@click.command("checkin")
@click.option(
    "--pain", required=True, metavar="0-10", help="Pain now, 0 (none) to 10 (worst)."
)
@effect_options
@click.option(
    "--peg", metavar="P,E,A", help="PEG items 0-10: pain, enjoyment, activity."
)
@click.option("--mood", metavar="0-10", help="Mood 0-10.")
@click.option("--energy", metavar="0-10", help="Energy 0-10.")
@click.option("--sleep", metavar="0-10", help="Sleep quality 0-10.")
@click.option("--note", "-n", help="A free-text note.")
@click.option("--at", metavar="TIME", help=AT_HELP)
@json_option
@pass_app
def checkin_command(
    app: AppContext,
    pain: str,
    side_effects: tuple[str, ...],
    other_effects: tuple[str, ...],
    peg: str | None,
    mood: str | None,
    energy: str | None,
    sleep: str | None,
    note: str | None,
    at: str | None,
    as_json: bool,
) -> None:
    """Record how you are: pain, side effects, mood, energy, sleep."""
    from kratom_journal.cli.render import checkin_line
    from kratom_journal.domain.checkins import urgent_effects
    from kratom_journal.domain.records import to_json
    from kratom_journal.services.entries import CheckInInput, record_checkin
    from kratom_journal.services.support import urgent_advice

    checkin = record_checkin(
        app.journal,
        CheckInInput(
            pain, side_effects, other_effects, peg, mood, energy, sleep, note, at
        ),
        now=app.now,
    )
    urgent = urgent_advice(urgent_effects(checkin))
    if as_json:
        print_json(
            {
                "checkin": to_json(checkin),
                "urgent": [
                    {"effect": u.effect, "name": u.name, "advice": u.advice}
                    for u in urgent
                ],
            }
        )
        return
    click.echo("Checked in:" + checkin_line(checkin, checkin.zone, "%a %d %b %H:%M"))
    for item in urgent:
        level = checkin.side_effects[item.effect]
        click.echo(f"\n{item.name} ({SEVERITY_WORDS[level]}): {item.advice}")


@click.command("intake")
@click.argument("name")
@click.option(
    "--amount", "-a", metavar="TEXT", help="How much, as text: '2 beers', '200 mg'."
)
@click.option(
    "--kind",
    type=click.Choice(["alcohol", "caffeine", "substance"]),
    help="What kind (guessed from the name if left out).",
)
@click.option("--at", metavar="TIME", help=AT_HELP)
@click.option("--note", "-n", help="A free-text note.")
@json_option
@pass_app
def intake_command(
    app: AppContext,
    name: str,
    amount: str | None,
    kind: str | None,
    at: str | None,
    note: str | None,
    as_json: bool,
) -> None:
    """Record other intake (alcohol, caffeine, another substance) for interaction checks.

    Prints what the name was read as and what it implies with kratom, as
    `kratom med add` does.
    """
    from kratom_journal.cli.render import (
        finding_json,
        finding_lines,
        intake_line,
        match_json,
    )
    from kratom_journal.domain.errors import SafetyCheckUnavailable
    from kratom_journal.domain.records import to_json
    from kratom_journal.services.entries import record_intake
    from kratom_journal.services.medications import how_read, what_intake_implies

    intake = record_intake(
        app.journal, name, now=app.now, amount=amount, kind=kind, at=at, note=note
    )
    try:
        resolution, findings = what_intake_implies(intake)
    except SafetyCheckUnavailable as error:
        click.echo(f"Recorded {intake.name}. Warning: {error}.", err=True)
        if as_json:
            print_json({"intake": to_json(intake), "matched": None, "findings": []})
        return
    if as_json:
        print_json(
            {
                "intake": to_json(intake),
                "matched": match_json(resolution),
                "findings": [finding_json(f) for f in findings],
            }
        )
        return
    click.echo("Recorded:" + intake_line(intake, intake.zone, "%a %d %b %H:%M"))
    read = how_read(intake.name, resolution)
    if read:
        click.echo(read)
    if findings:
        click.echo("With kratom in the next 48 hours:")
        click.echo("\n".join(finding_lines(findings)))


COMMANDS = [log_command, checkin_command, intake_command]
