"""`kratom next` and `kratom plan export --ics`: what is due, and reminders to take away."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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
    from datetime import datetime


@click.command("next")
@json_option
@pass_app
def next_command(app: AppContext, as_json: bool) -> None:
    """What is due: titration check-ins, a step the protocol allows, today's taper
    target and the daily withdrawal checklist. Nothing counts down to a dose."""
    from kratom_journal.cli.render import local
    from kratom_journal.domain.moments import format_duration
    from kratom_journal.services.reminders import due_items

    items = due_items(app.journal, now=app.now)

    def iso(instant: datetime | None) -> str | None:
        return None if instant is None else instant.isoformat().replace("+00:00", "Z")

    if as_json:
        print_json(
            {
                "now": iso(app.now),
                "due": [
                    {
                        "kind": i.kind,
                        "title": i.title,
                        "due_at": iso(i.due_at),
                        "until": iso(i.until),
                        "detail": i.detail,
                        "command": i.command,
                    }
                    for i in items
                ],
            }
        )
        return
    if not items:
        click.echo("Nothing is due.")
        return
    zone = app.zone
    for item in items:
        if item.due_at is None:
            click.echo(item.title)
        elif item.due_at > app.now:
            wait = format_duration(item.due_at - app.now)
            click.echo(f"{item.title}: at {local(item.due_at, zone)} (in {wait})")
        else:
            click.echo(f"{item.title}: now")
        click.echo(f"    {item.detail}")
        if item.command:
            click.echo(f"    `{item.command}`")


@click.group("plan")
def plan_group() -> None:
    """Protocol plans: take reminders to your own calendar."""


@plan_group.command("export")
@click.option(
    "--ics",
    "ics",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write an iCalendar file (titles stay neutral) for your calendar app.",
)
@force_option
@pass_app
def export_command(app: AppContext, ics: Path, force: bool) -> None:
    """Write the due titration check-in, the taper's weekly steps and a daily
    checklist reminder as calendar events."""
    from kratom_journal.interop.calendar import protocol_calendar
    from kratom_journal.services import taper, titration

    check_output(app, ics, "--ics", force)
    session = titration.status(app.journal, now=app.now).session
    plan = taper.status(app.journal, now=app.now).plan
    data = protocol_calendar(session, plan, zone=app.zone, now=app.now)
    write_output(app, ics, data, "--ics", force)
    count = data.count(b"BEGIN:VEVENT")
    click.echo(f"Wrote {count} event(s) to {ics}. Import it into your calendar app.")


COMMANDS = [next_command, plan_group]
