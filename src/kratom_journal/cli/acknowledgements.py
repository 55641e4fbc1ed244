"""`kratom ack`: acknowledge a medication's or a condition's finding once."""

from __future__ import annotations

from typing import Any

import click

from kratom_journal.cli.context import AppContext, json_option, pass_app, print_json


@click.command("ack")
@click.argument("rules", nargs=-1, metavar="[RULE]...")
@click.option("--note", "-n", help="Why, e.g. 'discussed with my prescriber on 2 Dec'.")
@click.option(
    "--all", "every", is_flag=True, help="Every standing finding not yet acknowledged."
)
@click.option("--withdraw", is_flag=True, help="Show these findings in full again.")
@json_option
@pass_app
def ack_command(
    app: AppContext,
    rules: tuple[str, ...],
    note: str | None,
    every: bool,
    withdraw: bool,
    as_json: bool,
) -> None:
    """Acknowledge the findings of a medication or a condition, once.

    Without RULE, lists them (rule ids as in `kratom check --json`). An
    acknowledged finding shows in one line when you log and needs no --confirm,
    until that medication or condition changes (edited, stopped, re-added).
    Other avoid-level findings are confirmed dose by dose.
    """
    from kratom_journal.services import acknowledgements

    if withdraw:
        count = acknowledgements.withdraw(app.journal, list(rules), now=app.now)
        if as_json:
            print_json({"withdrawn": count})
        else:
            click.echo(f"Withdrawn: {count}; these findings show in full again.")
        return
    if rules or every or note is not None:
        done = acknowledgements.acknowledge(
            app.journal, list(rules), note=note, now=app.now, every=every
        )
        if as_json:
            print_json({"acknowledged": [_item_json(item) for item in done]})
            return
        if not done:
            click.echo("Nothing new to acknowledge: already acknowledged.")
            return
        _show(done, app.zone)
        click.echo(
            "Acknowledged. Logs list these in one line until the medication or "
            "condition changes; `kratom ack --withdraw RULE` undoes it."
        )
        return
    items = acknowledgements.standing(app.journal, now=app.now)
    if as_json:
        print_json({"standing": [_item_json(item) for item in items]})
        return
    if not items:
        click.echo("No findings from medications or conditions.")
        return
    _show(items, app.zone)


def _show(items: list[Any], zone: str) -> None:
    from kratom_journal.cli.render import finding_lines, local

    for item in items:
        finding, ack = item.finding, item.acknowledgement
        click.echo("\n".join(finding_lines([finding], sources=False)))
        click.echo(f"    rule: {finding.rule}")
        if ack is None:
            click.echo("    not acknowledged")
        else:
            when = local(ack.created_at, zone, "%Y-%m-%d")
            note = f": “{ack.note}”" if ack.note else ""
            click.echo(f"    acknowledged {when}{note}")


def _item_json(item: Any) -> dict[str, Any]:
    from kratom_journal.cli.render import finding_json
    from kratom_journal.domain.records import to_json

    ack = item.acknowledgement
    return finding_json(item.finding) | {
        "acknowledgement": None if ack is None else to_json(ack)
    }


COMMANDS = [ack_command]
