"""Commands that show: today, history."""

from __future__ import annotations

from typing import Any

import click

from kratom_journal.cli.context import AppContext, json_option, pass_app, print_json


@click.command("today")
@json_option
@pass_app
def today_command(app: AppContext, as_json: bool) -> None:
    """Today's doses, total against the caps, time since the last dose, last check-in."""
    from kratom_journal.cli.render import ago, checkin_summary, dose_line, grams, local
    from kratom_journal.cli.strength import today_line
    from kratom_journal.domain.records import to_json
    from kratom_journal.services.overview import today

    result = today(app.journal, now=app.now)
    day, profile = result.summary, result.profile
    if as_json:
        print_json(
            {
                "day": day.day.isoformat(),
                "timezone": profile.timezone,
                "total_g": str(day.total_g),
                "dose_cap_g": str(day.dose_cap_g),
                "daily_cap_g": str(day.daily_cap_g),
                "over_daily_cap": result.over_daily_cap,
                "leaf_equivalent_g": None
                if result.judged is None
                else str(result.judged.grams),
                "unjudged_products": []
                if result.judged is None
                else list(result.judged.unjudged),
                "includes_approximate": day.includes_approximate,
                "doses": [to_json(dose) for dose in day.doses],
                "minutes_since_last_dose": None
                if day.since_last_dose is None
                else int(day.since_last_dose.total_seconds() // 60),
                "last_dose": None if day.last_dose is None else to_json(day.last_dose),
                "last_checkin": None
                if day.last_checkin is None
                else to_json(day.last_checkin),
            }
        )
        return
    zone = profile.timezone
    click.echo(
        f"Today, {day.day:%a %d %b %Y} (day starts {profile.day_boundary:%H:%M}, {zone})"
    )
    if not day.doses:
        click.echo("  no doses yet")
    for dose in day.doses:
        click.echo(dose_line(dose, result.products, zone))
    estimate = " (includes estimated amounts)" if day.includes_approximate else ""
    click.echo(
        f"Total: {grams(day.total_g)} of the {grams(day.daily_cap_g)} daily cap{estimate}; "
        f"per-dose cap {grams(day.dose_cap_g)}"
    )
    if result.judged is not None:  # a product stronger than leaf was taken
        click.echo(today_line(day.total_g, day.daily_cap_g, result.judged))
    if result.over_daily_cap:
        click.echo("Today's total is above your daily cap.")
    over = day.doses_over_dose_cap
    if over:
        click.echo(f"{len(over)} dose(s) today above the per-dose cap.")
    if day.last_dose is not None and day.since_last_dose is not None:
        when = local(day.last_dose.taken_at, zone, "%a %H:%M")
        click.echo(
            f"Last dose: {ago(day.since_last_dose)} ({when}, {grams(day.last_dose.grams)})"
        )
    else:
        click.echo("Last dose: none recorded")
    if day.last_checkin is not None:
        checkin = day.last_checkin
        click.echo(
            f"Last check-in: {ago(app.now - checkin.at)}: {checkin_summary(checkin)}"
        )
    else:
        click.echo("Last check-in: none yet (`kratom checkin --pain N`)")


@click.command("history")
@click.option(
    "--days",
    default=7,
    show_default=True,
    type=click.IntRange(1, 36500),
    help="How many local days back, today included.",
)
@json_option
@pass_app
def history_command(app: AppContext, days: int, as_json: bool) -> None:
    """Doses, check-ins and other intake of the last N days, by local day."""
    from kratom_journal.cli.render import checkin_line, dose_line, grams, intake_line
    from kratom_journal.domain.moments import local_day
    from kratom_journal.domain.records import to_json
    from kratom_journal.services.journal import parse_zone
    from kratom_journal.services.overview import history

    result = history(app.journal, days=days, now=app.now)
    if as_json:
        print_json(
            {
                "since": to_json_instant(result.start),
                "doses": [to_json(dose) for dose in result.doses],
                "checkins": [to_json(checkin) for checkin in result.checkins],
                "intakes": [to_json(intake) for intake in result.intakes],
            }
        )
        return
    profile = result.profile
    zone_name = profile.timezone
    zone = parse_zone(zone_name)
    lines: dict[Any, list[tuple[Any, str]]] = {}
    totals: dict[Any, Any] = {}
    for dose in result.doses:
        day = local_day(dose.taken_at, zone, profile.day_boundary)
        lines.setdefault(day, []).append(
            (dose.taken_at, dose_line(dose, result.products, zone_name))
        )
        totals[day] = totals.get(day, 0) + dose.grams
    for checkin in result.checkins:
        day = local_day(checkin.at, zone, profile.day_boundary)
        lines.setdefault(day, []).append((checkin.at, checkin_line(checkin, zone_name)))
    for intake in result.intakes:
        day = local_day(intake.at, zone, profile.day_boundary)
        lines.setdefault(day, []).append((intake.at, intake_line(intake, zone_name)))
    if not lines:
        click.echo(f"Nothing recorded in the last {days} day(s).")
        return
    output: list[str] = []
    for day in sorted(lines, reverse=True):
        total = totals.get(day)
        output.append(
            f"{day:%a %d %b %Y}" + (f"  total {grams(total)}" if total else "")
        )
        output.extend(line for _, line in sorted(lines[day], key=lambda item: item[0]))
    click.echo("\n".join(output))


def to_json_instant(instant: Any) -> str:
    return str(instant.isoformat().replace("+00:00", "Z"))


COMMANDS = [today_command, history_command]
