"""`kratom export`, `kratom import`, `kratom backup`."""

from __future__ import annotations

import sys
from pathlib import Path

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


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "fhir"]),
    default="json",
    show_default=True,
    help="Our own JSON (lossless), CSV (one table) or a FHIR R4 Bundle for a "
    "clinician's system (deleted entries and notes left out).",
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
            "acknowledgements",
        ]
    ),
    help="CSV only: which table.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to a new file (readable by you only) instead of standard output.",
)
@force_option
@pass_app
def export_command(
    app: AppContext, fmt: str, table: str, output: Path | None, force: bool
) -> None:
    """Export the journal (JSON and CSV include deleted entries: nothing is lost)."""
    import json

    from kratom_journal.services.transfer import export_csv, export_json

    if output is not None:
        check_output(app, output, "--output", force)

    if fmt == "fhir":
        from kratom_journal.interop.fhir import bundle
        from kratom_journal.services.fhir_export import clinical_records

        records = clinical_records(app.journal, now=app.now)
        text = json.dumps(bundle(records, now=app.now), indent=2, ensure_ascii=False)
        text += "\n"
    elif fmt == "json":
        text = json.dumps(
            export_json(app.journal, now=app.now), indent=2, ensure_ascii=False
        )
        text += "\n"
    else:
        text = export_csv(app.journal, table)
    if output is None:
        sys.stdout.write(text)
    else:
        write_output(app, output, text.encode("utf-8"), "--output", force)
        click.echo(f"Wrote {output}", err=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "json", "psychonautwiki", "csv"]),
    default="auto",
    show_default=True,
    help='auto: .csv files are CSV; JSON with "experiences" is a PsychonautWiki '
    "Journal export; other JSON is ours.",
)
@click.option(
    "--map",
    "mapping",
    metavar="FIELD=COLUMN,...",
    help="CSV from another tracker: which column holds what. Fields: time and amount "
    "(needed), unit, note. E.g. --map time=Date,amount=Dose,note=Notes.",
)
@click.option(
    "--time-format",
    metavar="FORMAT",
    help="With --map: how the time column is written, in strftime codes, e.g. "
    '"%Y-%m-%d %H:%M" (default: ISO 8601).',
)
@click.option(
    "--zone",
    metavar="ZONE",
    help="PsychonautWiki files and --map CSVs: the time zone the entries were made "
    "in, and of CSV times without an offset (default: your profile's).",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@json_option
@pass_app
def import_command(
    app: AppContext,
    file: Path,
    fmt: str,
    mapping: str | None,
    time_format: str | None,
    zone: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import our own JSON or CSV export, a PsychonautWiki Journal export, or another
    tracker's CSV (with --map): adds what is new, never deletes or overwrites.

    Importing the same file again adds nothing. A bad file writes nothing, and the
    error says where it is bad. Only kratom becomes doses (g, mg, and PW's custom
    units); other substances become other intake. PW notes, ratings and timed notes
    are kept in the note of the session's first kratom dose.
    """
    from kratom_journal.domain.errors import InputError
    from kratom_journal.interop.importing import ImportOptions, import_file

    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(str(file), "is not UTF-8 text") from None
    options = ImportOptions(fmt, mapping, time_format, zone)
    read_as, plan = import_file(
        app.journal,
        text,
        source=file.name,
        options=options,
        now=app.now,
        dry_run=dry_run,
    )
    if as_json:
        print_json(
            {
                "dry_run": dry_run,
                "format": read_as,
                "added": dict(plan.added),
                "unchanged": dict(plan.unchanged),
                "conflicts": plan.conflicts,
                "problems": plan.problems,
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
    for problem in plan.problems:
        click.echo(f"Left out: {problem}")
    if dry_run:
        click.echo("Dry run: nothing was written.")


@click.command("backup")
@click.argument("path", required=False)
@force_option
@json_option
@pass_app
def backup_command(
    app: AppContext, path: str | None, force: bool, as_json: bool
) -> None:
    """Write a consistent copy of the journal database (safe while the app runs),
    readable by you only. PATH may be a folder; the default is backups/ beside
    the journal."""
    from kratom_journal.services.backups import backup

    written = backup(app.journal, path, now=app.now, force=force)
    if as_json:
        print_json({"backup": str(written)})
        return
    click.echo(f"Backup written to {written}")


COMMANDS = [export_command, import_command, backup_command]
