"""`kratom taper` and `kratom withdrawal`: cutting down, with symptoms setting the pace."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from kratom_journal.cli.context import AppContext, json_option, pass_app, print_json
from kratom_journal.cli.entries import AT_HELP

if TYPE_CHECKING:
    from datetime import date

    from kratom_journal.services.taper import Plan, Status

HOLD_ADVICE = (
    "Withdrawal symptoms have stayed high or risen for two days. Holding the current "
    "step is an option: `kratom taper hold` keeps this amount a week longer and moves "
    "the rest of the plan later. Going faster is never the answer to symptoms."
)


def plan_json(plan: Plan, today: date | None = None) -> dict[str, Any]:
    return {
        "id": str(plan.id),
        "from_g": str(plan.from_g),
        "method": plan.method,
        "rounding_g": str(plan.increment_g),
        "hold_at": plan.hold_at,
        "ended_at": None
        if plan.ended_at is None
        else plan.ended_at.isoformat().replace("+00:00", "Z"),
        "holds": [{"on": h.on.isoformat(), "days": h.days} for h in plan.holds],
        "steps": [
            {
                "number": s.number,
                "start": s.start.isoformat(),
                "end": s.end.isoformat(),
                "target_g": str(s.target_g),
                "current": today is not None and s.start <= today < s.end,
            }
            for s in plan.steps
        ],
    }


def plan_lines(plan: Plan, today: date | None = None) -> list[str]:
    from kratom_journal.cli.render import grams

    lines = [
        f"From {grams(plan.from_g)}/day ({plan.method}, rounded to "
        f"{grams(plan.increment_g)}), {len(plan.steps)} weekly steps to zero:"
    ]
    for step in plan.steps:
        mark = "→" if today is not None and step.start <= today < step.end else " "
        days = (step.end - step.start).days
        lines.append(
            f" {mark} {step.number:>2}. {step.start:%a %d %b} "
            f"{grams(step.target_g) + '/day':>10}  ({days} days)"
        )
    return lines


@click.group("taper")
def taper_group() -> None:
    """Cut down gradually: a weekly plan, a daily symptom checklist, and holds when
    withdrawal rises. Talk to a clinician about tapering, especially from high amounts."""


@taper_group.command("plan")
@click.option(
    "--from",
    "from_",
    default="auto",
    show_default=True,
    metavar="auto|Xg/day",
    help="Starting amount; auto takes the last 14 days' average.",
)
@click.option("--step", metavar="PCT", help="Weekly cut, 5-25% (default 10%).")
@click.option("--weeks", metavar="N", help="Reach zero in N weekly steps instead.")
@click.option(
    "--method",
    type=click.Choice(["percent", "linear"]),
    default="percent",
    show_default=True,
    help="percent: cuts shrink as the amount falls; linear: equal cuts.",
)
@click.option(
    "--round",
    "round_",
    default="0.25g",
    show_default=True,
    metavar="Xg|capsule",
    help="Round targets to what you can measure.",
)
@click.option(
    "--product", "-p", metavar="NAME|ID", help="Capsule size for --round capsule."
)
@click.option("--start", metavar="DATE", help="First step's date (default today).")
@click.option(
    "--hold-at",
    metavar="N",
    help="Checklist total (of 30) counted as high; default 10, our setting, not a "
    "clinical cut-off.",
)
@click.option("--preview", is_flag=True, help="Show the plan without saving it.")
@click.option("--at", metavar="TIME", help=AT_HELP)
@json_option
@pass_app
def plan_command(
    app: AppContext,
    from_: str,
    step: str | None,
    weeks: str | None,
    method: str,
    round_: str,
    product: str | None,
    start: str | None,
    hold_at: str | None,
    preview: bool,
    at: str | None,
    as_json: bool,
) -> None:
    """Plan a taper from today: weekly targets, never increasing, ending at zero."""
    from kratom_journal.services import taper

    entry = taper.PlanInput(from_, step, weeks, method, round_, product, start, hold_at)
    plan = taper.plan(app.journal, entry, now=app.now, save=not preview, at=at)
    if as_json:
        print_json({"plan": plan_json(plan), "saved": not preview})
        return
    click.echo("\n".join(plan_lines(plan)))
    click.echo(
        "Preview only: nothing was saved."
        if preview
        else "Saved. `kratom taper status` shows today's target; record symptoms daily "
        "with `kratom withdrawal`."
    )


@taper_group.command("hold")
@click.option(
    "--days",
    default="7",
    show_default=True,
    metavar="N",
    help="How much longer (1-28).",
)
@click.option("--at", metavar="TIME", help=AT_HELP)
@json_option
@pass_app
def hold_command(app: AppContext, days: str, at: str | None, as_json: bool) -> None:
    """Hold the current step longer; the rest of the plan moves later."""
    from kratom_journal.services import taper

    plan = taper.hold(app.journal, days=days, now=app.now, at=at)
    if as_json:
        print_json({"plan": plan_json(plan, app.today)})
        return
    click.echo(f"Holding the current step {days} more days. The plan ahead:")
    click.echo("\n".join(plan_lines(plan, app.today)))


@taper_group.command("stop")
@click.option("--at", metavar="TIME", help=AT_HELP)
@json_option
@pass_app
def stop_command(app: AppContext, at: str | None, as_json: bool) -> None:
    """End the current plan (it stays in your history)."""
    from kratom_journal.services import taper

    plan = taper.stop(app.journal, now=app.now, at=at)
    if as_json:
        print_json({"plan": plan_json(plan)})
        return
    click.echo("The taper plan has ended. It stays in your history and in exports.")


def status_json(status: Status) -> dict[str, Any]:
    adherence = status.adherence
    return {
        "today": status.today.isoformat(),
        "target_g": None if status.target_g is None else str(status.target_g),
        "actual_g": str(status.actual_g),
        "adherence": None
        if adherence is None
        else {
            "days": adherence.days,
            "at_or_under": adherence.at_or_under,
            "over": [d.isoformat() for d in adherence.over],
        },
        "checklist": {d.isoformat(): t for d, t in sorted(status.checklist.items())},
        "hold_suggested": status.hold_suggested,
        "plan": None if status.plan is None else plan_json(status.plan, status.today),
    }


@taper_group.command("status")
@json_option
@pass_app
def status_command(app: AppContext, as_json: bool) -> None:
    """Today's target and actual, adherence, symptoms, and the plan ahead."""
    from kratom_journal.cli.render import grams
    from kratom_journal.domain.withdrawal import MAX_TOTAL
    from kratom_journal.services import taper

    status = taper.status(app.journal, now=app.now)
    if as_json:
        print_json(status_json(status))
        return
    plan = status.plan
    if (
        plan is not None
        and plan.ended_at is None
        and status.today >= plan.steps[-1].end
    ):
        click.echo(
            f"Your taper plan reached zero on {plan.steps[-1].start:%a %d %b}; "
            "there is no target now."
        )
        return
    if plan is None or plan.ended_at is not None:
        click.echo("No taper plan is running. `kratom taper plan --preview` shows one.")
        return
    if status.target_g is None:
        click.echo(f"The plan starts {plan.steps[0].start:%a %d %b}.")
    else:
        click.echo(
            f"Today: target {grams(status.target_g)}, so far {grams(status.actual_g)}."
        )
    adherence = status.adherence
    if adherence is not None and adherence.days:
        over = len(adherence.over)
        click.echo(
            f"So far {adherence.at_or_under} of {adherence.days} days at or under "
            f"target"
            + (f"; {over} over (that happens; the plan continues)." if over else ".")
        )
    if status.checklist:
        trend = ", ".join(f"{d:%a} {t}" for d, t in sorted(status.checklist.items()))
        click.echo(f"Withdrawal checklist (of {MAX_TOTAL}): {trend}.")
    if status.hold_suggested:
        click.echo(HOLD_ADVICE)
    click.echo("\n".join(plan_lines(plan, status.today)))


@click.command("withdrawal")
@click.argument("symptoms", nargs=-1, metavar="[NAME=0-3]...")
@click.option("--none", "none_", is_flag=True, help="No symptoms today.")
@click.option("--at", metavar="TIME", help=AT_HELP)
@click.option("--note", "-n", help="A free-text note.")
@json_option
@pass_app
def withdrawal_command(
    app: AppContext,
    symptoms: tuple[str, ...],
    none_: bool,
    at: str | None,
    note: str | None,
    as_json: bool,
) -> None:
    """Daily withdrawal symptom checklist, each 0 (none) to 3 (severe): muscle-aches,
    insomnia, runny-nose-eyes, hot-cold-flushes, sweating, diarrhoea, restlessness,
    irritability, low-mood, craving. Our own checklist, not a validated scale."""
    from kratom_journal.domain.records import to_json
    from kratom_journal.domain.withdrawal import DISCLAIMER, MAX_TOTAL
    from kratom_journal.services import taper
    from kratom_journal.services.support import withdrawal_support
    from kratom_journal.services.withdrawal import record_withdrawal

    check = record_withdrawal(
        app.journal, symptoms, now=app.now, none=none_, at=at, note=note
    )
    status = taper.status(app.journal, now=app.now)
    support = withdrawal_support(app.journal, check.symptoms)
    if as_json:
        print_json(
            {
                "withdrawal": to_json(check),
                "total": check.total,
                "max_total": MAX_TOTAL,
                "hold_suggested": status.hold_suggested,
                "support": None
                if support is None
                else {
                    "title": support.title,
                    "message": support.message,
                    "lines": list(support.lines),
                    "sources": [to_json(s) for s in support.sources],
                },
            }
        )
        return
    click.echo(f"Recorded: withdrawal checklist total {check.total} of {MAX_TOTAL}.")
    if support is not None:
        # First, before the disclaimer: this matters more than the total.
        click.echo(f"\n{support.title}\n{support.message}")
        click.echo("\n".join(f"  {line}" for line in support.lines) + "\n")
    click.echo(DISCLAIMER)
    if status.hold_suggested:
        click.echo(HOLD_ADVICE)


COMMANDS = [taper_group, withdrawal_command]
