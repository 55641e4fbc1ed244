"""`kratom profile show|set`."""

from __future__ import annotations

from typing import Any

import click

from kratom_journal.cli.context import AppContext, json_option, pass_app, print_json


@click.group("profile")
def profile_group() -> None:
    """Time zone, day boundary, location and locality, conditions and dose caps."""


def _show(profile: Any) -> None:
    from kratom_journal.cli.render import grams

    click.echo(f"owner:        {profile.owner_id}")
    click.echo(f"time zone:    {profile.timezone}")
    click.echo(f"day boundary: {profile.day_boundary:%H:%M}")
    click.echo(f"location:     {profile.location or 'not set'}")
    click.echo(f"locality:     {profile.locality or 'not set'}")
    click.echo(f"birth year:   {profile.birth_year or 'not set'}")
    click.echo(f"conditions:   {', '.join(profile.conditions) or 'none'}")
    # The caps are the program's policy (or the person's), not a health limit.
    policy = "(leaf grams; a setting, not a health limit)"
    click.echo(f"dose cap:     {grams(profile.dose_cap_g)} per dose {policy}")
    click.echo(f"daily cap:    {grams(profile.daily_cap_g)} per day {policy}")
    click.echo(f"presets:      {', '.join(profile.presets) or 'none'}")


@profile_group.command("show")
@json_option
@pass_app
def show_command(app: AppContext, as_json: bool) -> None:
    """Show the profile."""
    from kratom_journal.domain.records import to_json
    from kratom_journal.services.profiles import show_profile

    profile = show_profile(app.journal)
    if as_json:
        print_json({"profile": to_json(profile)})
        return
    _show(profile)


@profile_group.command("set")
@click.option("--timezone", metavar="ZONE", help="IANA time zone, e.g. Europe/Berlin.")
@click.option("--location", metavar="CODE", help="ISO 3166 code, e.g. US-TX, GB, TH.")
@click.option(
    "--locality",
    metavar="PLACE",
    help='Your city or county, e.g. "San Diego", so local laws apply; "" clears it.',
)
@click.option("--birth-year", type=int, metavar="YYYY", help="Year of birth.")
@click.option(
    "--condition",
    "conditions",
    multiple=True,
    metavar="NAME",
    help="Add a condition; repeatable.",
)
@click.option(
    "--no-condition",
    "no_conditions",
    multiple=True,
    metavar="NAME",
    help="Remove a condition; repeatable.",
)
@click.option("--dose-cap", metavar="G", help="Per-dose cap in grams (at most 8).")
@click.option("--daily-cap", metavar="G", help="Daily cap in grams (at most 15).")
@click.option(
    "--day-boundary", metavar="HH:MM", help="When a new day starts (default 04:00)."
)
@click.option(
    "--preset",
    "presets",
    multiple=True,
    metavar="AMOUNT",
    help='A one-tap dose button on Today, e.g. "2 g" or "1/2 tsp"; repeatable '
    "(up to 6, weights within the per-dose cap). Replaces the current presets.",
)
@click.option("--no-presets", is_flag=True, help="Remove all dose-button presets.")
@json_option
@pass_app
def set_command(
    app: AppContext,
    timezone: str | None,
    location: str | None,
    locality: str | None,
    birth_year: int | None,
    conditions: tuple[str, ...],
    no_conditions: tuple[str, ...],
    dose_cap: str | None,
    daily_cap: str | None,
    day_boundary: str | None,
    presets: tuple[str, ...],
    no_presets: bool,
    as_json: bool,
) -> None:
    """Change profile settings; only the options given change."""
    from kratom_journal.domain.errors import InputError
    from kratom_journal.domain.records import to_json
    from kratom_journal.services.profiles import ProfileInput, set_profile

    if presets and no_presets:
        raise InputError("presets", "give --preset or --no-presets, not both")
    profile = set_profile(
        app.journal,
        ProfileInput(
            timezone=timezone,
            location=location,
            locality=locality,
            birth_year=birth_year,
            add_conditions=conditions,
            remove_conditions=no_conditions,
            dose_cap=dose_cap,
            daily_cap=daily_cap,
            day_boundary=day_boundary,
            presets=() if no_presets else (presets or None),
        ),
        now=app.now,
        today=app.today,
    )
    if as_json:
        print_json({"profile": to_json(profile)})
        return
    _show(profile)


COMMANDS = [profile_group]
