"""`kratom report`: a one-to-two-page summary to take to a clinician."""

from __future__ import annotations

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


@click.command("report")
@click.option(
    "--days",
    type=click.IntRange(1, 36500),
    default=90,
    show_default=True,
    help="How many days the report covers, today included.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Where to write it; the suffix picks the format, .pdf or .html "
    "(default: kratom-report-DATE.pdf in the current folder).",
)
@force_option
@json_option
@pass_app
def report_command(
    app: AppContext, days: int, output: Path | None, force: bool, as_json: bool
) -> None:
    """A clinician report as PDF or HTML: dose pattern, pain and the effect estimate,
    side effects, safety findings, medications, products and their lab
    certificates, dependence signals and withdrawal, titration and taper, with the
    sources of every finding. Informational; not a diagnosis."""
    from kratom_journal.reports import clinician
    from kratom_journal.services.report import report

    path = output or Path(f"kratom-report-{app.today.isoformat()}.pdf")
    fmt = clinician.format_of(path)
    _check_writable(path)
    check_output(app, path, "--output", force)
    data = report(app.journal, days=days, now=app.now)
    content = (
        clinician.pdf(data) if fmt == "pdf" else clinician.html(data).encode("utf-8")
    )
    write_output(app, path, content, "--output", force)
    if as_json:
        print_json(
            {
                "output": str(path),
                "format": fmt,
                "bytes": len(content),
                "first_day": data.insights.first_day.isoformat(),
                "last_day": data.insights.last_day.isoformat(),
            }
        )
        return
    click.echo(
        f"Wrote {path} ({fmt.upper()}, {data.insights.first_day:%d %b %Y} to "
        f"{data.insights.last_day:%d %b %Y}). It is for a conversation with a "
        "clinician, not a diagnosis."
    )


def _check_writable(path: Path) -> None:
    """Refuse before the slow part a path that cannot take the file."""
    from kratom_journal.domain.errors import InputError

    if path.is_dir():
        raise InputError("output", f"{path} is a folder; give a file name")
    folder = path.parent
    if not folder.exists():
        raise InputError("output", f"the folder {folder} does not exist")
    if not folder.is_dir():
        raise InputError("output", f"{folder} is not a folder")


COMMANDS = [report_command]
