"""`kratom export`, `kratom import`, `kratom backup`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kratom_journal.cli.context import (
    AppContext,
    json_option,
    pass_app,
    print_json,
    write_atomically,
)


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="Our own JSON (lossless) or CSV (one table).",
)
@click.option(
    "--table",
    default="doses",
    show_default=True,
    type=click.Choice(
        [
            "doses",
            "checkins",
            "intakes",
            "products",
            "medications",
            "withdrawal_checks",
            "protocol_events",
        ]
    ),
    help="CSV only: which table.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to a file instead of standard output.",
)
@pass_app
def export_command(app: AppContext, fmt: str, table: str, output: Path | None) -> None:
    """Export the journal (deleted entries included, so nothing is lost)."""
    import json

    from kratom_journal.services.transfer import export_csv, export_json

    if fmt == "json":
        text = json.dumps(
            export_json(app.journal, now=app.now), indent=2, ensure_ascii=False
        )
        text += "\n"
    else:
        text = export_csv(app.journal, table)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomically(output, text.encode("utf-8"), "output")
        click.echo(f"Wrote {output}", err=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@json_option
@pass_app
def import_command(app: AppContext, file: Path, dry_run: bool, as_json: bool) -> None:
    """Import a Kratom Journal JSON export: adds what is new, never deletes or overwrites."""
    from kratom_journal.domain.errors import InputError
    from kratom_journal.services.transfer import import_json

    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(str(file), "is not UTF-8 text") from None
    plan = import_json(
        app.journal, text, source=file.name, now=app.now, dry_run=dry_run
    )
    if as_json:
        print_json(
            {
                "dry_run": dry_run,
                "added": dict(plan.added),
                "unchanged": dict(plan.unchanged),
                "conflicts": plan.conflicts,
                "profile": plan.profile,
            }
        )
        return
    verb = "Would add" if dry_run else "Added"
    added = ", ".join(f"{n} {name}" for name, n in plan.added.items()) or "nothing new"
    click.echo(f"{verb}: {added}.")
    if plan.unchanged:
        same = ", ".join(f"{n} {name}" for name, n in plan.unchanged.items())
        click.echo(f"Already here (skipped): {same}.")
    click.echo(f"Profile: {plan.profile}.")
    for conflict in plan.conflicts:
        click.echo(f"Conflict: {conflict}")
    if dry_run:
        click.echo("Dry run: nothing was written.")


@click.command("backup")
@click.argument("path", required=False)
@json_option
@pass_app
def backup_command(app: AppContext, path: str | None, as_json: bool) -> None:
    """Write a consistent copy of the journal database (safe while the app runs)."""
    from kratom_journal.services.backups import backup

    written = backup(app.journal, path, now=app.now)
    if as_json:
        print_json({"backup": str(written)})
        return
    click.echo(f"Backup written to {written}")


COMMANDS = [export_command, import_command, backup_command]
