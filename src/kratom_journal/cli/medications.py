"""`kratom med add|list|stop`."""

from __future__ import annotations

import click

from kratom_journal.cli.context import AppContext, json_option, pass_app, print_json


@click.group("med")
def med_group() -> None:
    """Your medications, kept for interaction checks."""


@med_group.command("add")
@click.argument("name")
@click.option(
    "--dose", "dose_text", metavar="TEXT", help="Dose as on the label: '300 mg 3x/day'."
)
@click.option("--started", metavar="YYYY-MM-DD", help="When you started it.")
@click.option("--note", "-n", help="A free-text note.")
@json_option
@pass_app
def add_command(
    app: AppContext,
    name: str,
    dose_text: str | None,
    started: str | None,
    note: str | None,
    as_json: bool,
) -> None:
    """Add a medication by the name on its label, e.g. `kratom med add gabapentin`."""
    from kratom_journal.cli.render import (
        finding_json,
        finding_lines,
        match_json,
    )
    from kratom_journal.domain.errors import SafetyCheckUnavailable
    from kratom_journal.domain.records import to_json
    from kratom_journal.services.medications import (
        add_medication,
        how_read,
        interactions_of,
    )

    medication = add_medication(
        app.journal,
        name,
        now=app.now,
        today=app.today,
        dose_text=dose_text,
        started=started,
        note=note,
    )
    try:
        resolution, findings = interactions_of(medication.name)
    except SafetyCheckUnavailable as error:
        click.echo(f"Added {medication.name}. Warning: {error}.", err=True)
        if as_json:
            print_json(
                {"medication": to_json(medication), "matched": None, "findings": []}
            )
        return
    if as_json:
        print_json(
            {
                "medication": to_json(medication),
                "matched": match_json(resolution),
                "findings": [finding_json(f) for f in findings],
            }
        )
        return
    click.echo(f"Added {medication.name} ({str(medication.id)[:8]}).")
    read = how_read(medication.name, resolution)
    if read:
        click.echo(read)
    click.echo("\n".join(finding_lines(findings)))


@med_group.command("list")
@click.option(
    "--all", "include_stopped", is_flag=True, help="Include stopped medications."
)
@json_option
@pass_app
def list_command(app: AppContext, include_stopped: bool, as_json: bool) -> None:
    """List current medications."""
    from kratom_journal.domain.records import to_json
    from kratom_journal.services.medications import list_medications

    medications = list_medications(
        app.journal, today=app.today, include_stopped=include_stopped
    )
    if as_json:
        print_json({"medications": [to_json(m) for m in medications]})
        return
    if not medications:
        click.echo("No medications recorded.")
    for m in medications:
        details = [m.dose_text or ""]
        if m.started:
            details.append(f"since {m.started}")
        if m.stopped:
            details.append(f"stopped {m.stopped}")
        click.echo(
            f"  {str(m.id)[:8]}  {m.name}  " + "  ".join(d for d in details if d)
        )


@med_group.command("stop")
@click.argument("which", metavar="NAME|ID")
@click.option("--on", metavar="YYYY-MM-DD", help="When it was stopped (default today).")
@json_option
@pass_app
def stop_command(app: AppContext, which: str, on: str | None, as_json: bool) -> None:
    """Mark a medication as stopped."""
    from kratom_journal.domain.records import to_json
    from kratom_journal.services.medications import stop_medication

    medication = stop_medication(
        app.journal, which, now=app.now, today=app.today, on=on
    )
    if as_json:
        print_json({"medication": to_json(medication)})
        return
    click.echo(f"Stopped {medication.name} on {medication.stopped}.")


COMMANDS = [med_group]
