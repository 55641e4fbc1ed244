"""`kratom check`, `kratom learn`, `kratom law`, `kratom knowledge status`."""

from __future__ import annotations

from typing import Any

import click

from kratom_journal.cli.context import AppContext, json_option, pass_app, print_json
from kratom_journal.cli.entries import AT_HELP, AmountCommand

EXIT_BLOCKED = 1


@click.command("check", cls=AmountCommand)
@click.argument("amount", required=False)
@click.option("--product", "-p", metavar="NAME|ID", help="Which product (name or id).")
@click.option("--at", metavar="TIME", help=AT_HELP)
@json_option
@pass_app
def check_command(
    app: AppContext,
    amount: str | None,
    product: str | None,
    at: str | None,
    as_json: bool,
) -> None:
    """The safety check before a dose (exit 1 when anything is at avoid level).

    Without AMOUNT, shows the standing findings: medications, conditions, law,
    patterns of use.
    """
    from kratom_journal.cli.render import (
        acknowledged_line,
        finding_json,
        finding_lines,
    )
    from kratom_journal.cli.strength import strength_line
    from kratom_journal.services.acknowledgements import check_reviewed
    from kratom_journal.services.product_checks import strength_of

    result, reviewed = check_reviewed(
        app.journal, amount, product=product, at=at, now=app.now
    )
    # An acknowledged standing finding does not block: a log needs no --confirm.
    blocked = bool(reviewed.avoid)
    acknowledged = [f for f, _ in reviewed.acknowledged]
    proposed = result.proposed
    strength = (
        strength_of(proposed.grams, proposed.product) if proposed is not None else None
    )
    if as_json:
        print_json(
            {
                "findings": [finding_json(f) for f in reviewed.open],
                "acknowledged_findings": [finding_json(f) for f in acknowledged],
                "blocked": blocked,
                "strength": strength.as_json() if strength else None,
            }
        )
    else:
        if proposed is not None:
            of = f" of {proposed.product.name}" if proposed.product else ""
            click.echo(f"Safety check for {proposed.grams.normalize():f} g{of}:")
        if strength is not None:
            click.echo(strength_line(strength))
        click.echo("\n".join(finding_lines(reviewed.open)) or "No findings.")
        if acknowledged:
            click.echo(acknowledged_line(acknowledged))
        if blocked:
            click.echo(
                "Blocked: at least one finding is at avoid level. To log a dose "
                "taken or chosen anyway, `kratom log ... --confirm` within 30 minutes "
                "covers exactly these."
            )
    if blocked:
        raise SystemExit(EXIT_BLOCKED)


def _entry_lines(entry: Any, today: Any) -> list[str]:
    from kratom_journal.domain.findings import is_stale
    from kratom_journal.services.reference import label

    lines = [label(entry)]
    for field in ("tier", "severity", "status", "verdict", "kind"):
        value = getattr(entry, field, None)
        if value:
            lines[0] += f"  [{field}: {value}]"
    for field in (
        "contact",
        "mechanism",
        "concern",
        "details",
        "description",
        "explanation",
        "summary",
        "advice",
        "urgent_advice",
    ):
        value = getattr(entry, field, None)
        if value:
            lines.append(f"    {field.replace('_', ' ')}: {value}")
    for field in ("brands", "classes", "aliases"):
        value = getattr(entry, field, None)
        if value:
            lines.append(f"    {field}: {', '.join(value)}")
    age = getattr(entry, "age_limit", None)
    if age:
        lines.append(f"    age limit: {age}")
    if getattr(entry, "in_flux", False):
        pending = getattr(entry, "may_become", None)
        lines.append(
            "    changing now" + (f"; may become: {pending}" if pending else "")
        )
    stale = (
        " - older than 12 months, may be out of date" if is_stale(entry, today) else ""
    )
    verified = getattr(entry, "verified", None)
    checked = f", checked {verified}" if verified else ""
    lines.append(
        f"    as of {entry.as_of}{checked}, {entry.confidence} confidence{stale}"
    )
    for source in entry.sources:
        url = f" {source.url}" if source.url else ""
        lines.append(
            f"    source: {source.title}, {source.publisher} {source.year}{url}"
        )
    return lines


def _entry_json(entry: Any) -> dict[str, Any]:
    return dict(entry.model_dump(mode="json"))


@click.command("learn")
@click.argument("topic", required=False)
@json_option
@pass_app
def learn_command(app: AppContext, topic: str | None, as_json: bool) -> None:
    """Facts with their sources, confidence and as-of date.

    TOPIC is one of interactions, conditions, side-effects, limits, doses, law,
    claims, medicines, or a medicine or condition name. Dose figures are reported
    context, never advice.
    """
    from kratom_journal.services.reference import learn

    result = learn(topic)
    if isinstance(result, list):
        if as_json:
            print_json({"topics": result})
        else:
            click.echo(
                "Topics: " + ", ".join(result) + " (or a medicine or condition name)"
            )
        return
    if as_json:
        print_json(
            {"topic": result.title, "entries": [_entry_json(e) for e in result.entries]}
        )
        return
    click.echo(f"{result.title}:")
    for entry in result.entries:
        click.echo(
            "\n".join("  " + line for line in _entry_lines(entry, app.now.date()))
        )


@click.command("law")
@click.argument("location", required=False)
@json_option
@pass_app
def law_command(app: AppContext, location: str | None, as_json: bool) -> None:
    """The legal status of kratom at LOCATION (ISO 3166, default: your profile's)."""
    from kratom_journal.domain.errors import InputError
    from kratom_journal.services.profiles import show_profile
    from kratom_journal.services.reference import law

    code = location or show_profile(app.journal).location
    if not code:
        raise InputError(
            "location",
            "not given and not set in your profile (kratom profile set --location)",
        )
    entries = law(code)
    if as_json:
        print_json({"location": code, "entries": [_entry_json(e) for e in entries]})
        return
    for entry in entries:
        click.echo("\n".join(_entry_lines(entry, app.now.date())))
    click.echo("Laws change often: check the current rules where you are.")


@click.group("knowledge")
def knowledge_group() -> None:
    """The knowledge base behind the safety check."""


@knowledge_group.command("status")
@json_option
@pass_app
def status_command(app: AppContext, as_json: bool) -> None:
    """Entries older than 12 months and every low-confidence entry."""
    from kratom_journal.services.reference import label, status

    result = status(app.now.date())
    if as_json:
        print_json(
            {
                "entries": result.total,
                "stale": [
                    {"topic": t, "entry": label(e), "as_of": e.as_of.isoformat()}
                    for t, e in result.stale
                ],
                "low_confidence": [
                    {"topic": t, "entry": label(e)} for t, e in result.low_confidence
                ],
            }
        )
        return
    click.echo(f"{result.total} entries.")
    click.echo(f"Older than 12 months ({len(result.stale)}):")
    for topic, entry in result.stale:
        click.echo(f"  {topic}: {label(entry)} (as of {entry.as_of})")
    click.echo(
        f"Low confidence ({len(result.low_confidence)}), verify before relying on:"
    )
    for topic, entry in result.low_confidence:
        click.echo(f"  {topic}: {label(entry)}")


COMMANDS = [check_command, learn_command, law_command, knowledge_group]
