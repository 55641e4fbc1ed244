"""Commands that change what is stored: edit, delete, undo, redo."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from kratom_journal.cli.context import AppContext, json_option, pass_app, print_json

if TYPE_CHECKING:
    from kratom_journal.domain.changes import Change


@click.command("edit")
@click.argument("entry_id", metavar="ID")
@click.option("--at", metavar="TIME", help="New time.")
@click.option("--note", "-n", help="New note ('' clears it).")
@click.option("--amount", help="Dose: new amount; intake: new amount text.")
@click.option(
    "--product", "-p", metavar="NAME|ID", help="Dose: new product ('' for none)."
)
@click.option(
    "--stomach",
    type=click.Choice(["empty", "light-meal", "full", ""]),
    help="Dose: stomach.",
)
@click.option(
    "--approx/--exact", default=None, help="Dose: mark the amount as an estimate."
)
@click.option("--confirm", is_flag=True, help="Dose: confirm an amount above 15 g.")
@click.option("--pain", metavar="0-10", help="Check-in: pain.")
@click.option("--peg", metavar="P,E,A", help="Check-in: PEG items ('' clears them).")
@click.option(
    "--side-effect",
    "-s",
    "side_effects",
    multiple=True,
    metavar="NAME=SEV",
    help="Check-in: replaces the side effects; repeatable.",
)
@click.option(
    "--other-effect",
    "other_effects",
    multiple=True,
    metavar="TEXT=SEV",
    help="Check-in: replaces the free-text side effects; repeatable.",
)
@click.option("--mood", metavar="0-10", help="Check-in: mood ('' clears it).")
@click.option("--energy", metavar="0-10", help="Check-in: energy ('' clears it).")
@click.option("--sleep", metavar="0-10", help="Check-in: sleep quality ('' clears it).")
@click.option("--name", help="Intake: what it was.")
@click.option(
    "--kind",
    type=click.Choice(["alcohol", "caffeine", "substance"]),
    help="Intake: kind.",
)
@json_option
@pass_app
def edit_command(
    app: AppContext,
    /,
    entry_id: str,
    as_json: bool,
    side_effects: tuple[str, ...],
    other_effects: tuple[str, ...],
    **fields: str | bool | None,
) -> None:
    """Change a dose, check-in or intake by its ID (first characters are enough)."""
    from kratom_journal.domain.records import kind_of, to_json
    from kratom_journal.services.changes import EditInput, edit_entry

    entry = EditInput(
        side_effects=side_effects or None,
        other_effects=other_effects or None,
        **fields,  # type: ignore[arg-type]
    )
    edited = edit_entry(app.journal, entry_id, entry, now=app.now)
    if as_json:
        print_json({kind_of(edited): to_json(edited)})
        return
    click.echo(
        f"Edited {kind_of(edited)} {str(edited.id)[:8]}. `kratom undo` reverses it."
    )


@click.command("delete")
@click.argument("entry_id", metavar="ID")
@json_option
@pass_app
def delete_command(app: AppContext, entry_id: str, as_json: bool) -> None:
    """Delete an entry by ID. It is kept hidden and `kratom undo` brings it back."""
    from kratom_journal.domain.records import kind_of, to_json
    from kratom_journal.services.changes import delete_entry

    deleted = delete_entry(app.journal, entry_id, now=app.now)
    if as_json:
        print_json({kind_of(deleted): to_json(deleted)})
        return
    click.echo(
        f"Deleted {kind_of(deleted)} {str(deleted.id)[:8]}. `kratom undo` brings it back."
    )


@click.command("undo")
@click.argument("change_id", metavar="[CHANGE]", required=False, type=click.IntRange(1))
@json_option
@pass_app
def undo_command(app: AppContext, change_id: int | None, as_json: bool) -> None:
    """Undo the last command that changed something (log, check-in, edit, delete,
    product, profile, protocol step or import), as a whole; or the one CHANGE names
    (the number `undo` and `redo` print). Undoing it twice changes nothing."""
    from kratom_journal.services.changes import undo_change, undo_last

    if change_id is None:
        changes = undo_last(app.journal, now=app.now)
    else:
        changes = undo_change(app.journal, change_id, now=app.now)
    if as_json:
        _print_changes(changes, "undone")
    else:
        _report(
            changes, "Undone", "Nothing to undo.", "`kratom redo {id}` re-applies it."
        )


@click.command("redo")
@click.argument("change_id", metavar="[CHANGE]", required=False, type=click.IntRange(1))
@json_option
@pass_app
def redo_command(app: AppContext, change_id: int | None, as_json: bool) -> None:
    """Re-apply the command undone last, or the undone one CHANGE names, when
    nothing changed the same entries since."""
    from kratom_journal.services.changes import redo_change, redo_last

    changes = (
        redo_last(app.journal)
        if change_id is None
        else redo_change(app.journal, change_id)
    )
    if as_json:
        _print_changes(changes, "redone")
    else:
        _report(
            changes, "Redone", "Nothing to redo.", "`kratom undo {id}` undoes it again."
        )


def _report(changes: list[Change], done: str, nothing: str, hint: str) -> None:
    if not changes:
        click.echo(nothing)
        return
    from kratom_journal.domain.changes import command_id

    number = command_id(changes)
    described = ", ".join(change.describe() for change in changes)
    click.echo(f"{done}: {described} (change {number}). {hint.format(id=number)}")


def _print_changes(changes: list[Change], verb: str) -> None:
    from kratom_journal.domain.changes import command_id

    print_json(
        {
            "change": command_id(changes) if changes else None,
            verb: [
                {
                    "action": change.action.value,
                    "kind": change.kind,
                    "id": str(change.record_id),
                }
                for change in changes
            ],
        }
    )


COMMANDS = [edit_command, delete_command, undo_command, redo_command]
