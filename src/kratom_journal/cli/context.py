"""What every command shares: the chosen database and owner, the clock, output helpers."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:  # the services load inside commands, keeping --help fast
    from pathlib import Path

    from kratom_journal.services.journal import Journal

F = TypeVar("F", bound=Callable[..., Any])


class AppContext:
    def __init__(
        self, db: str | None, owner: str | None, environ: dict[str, str]
    ) -> None:
        self.db = db
        self.owner = owner
        self.environ = environ
        self._journal: Journal | None = None
        self._now: datetime | None = None

    @property
    def now(self) -> datetime:
        """The clock, read once per command. --now or KRATOM_NOW (ISO 8601) fix it."""
        if self._now is None:
            fixed = self.environ.get("KRATOM_NOW")
            if fixed:
                from kratom_journal.domain.errors import InputError

                try:
                    parsed = datetime.fromisoformat(fixed)
                except ValueError:
                    raise InputError(
                        "now", f"{fixed!r} is not ISO 8601 (e.g. 2026-11-22T14:00Z)"
                    ) from None
                if parsed.tzinfo is None:
                    raise InputError(
                        "now", f"{fixed!r} needs a UTC offset (e.g. 14:00Z or +01:00)"
                    )
                self._now = parsed.astimezone(UTC)
            else:
                self._now = datetime.now(UTC)
        return self._now

    @property
    def today(self) -> date:
        """Today's calendar date in the person's time zone."""
        from kratom_journal.services.journal import parse_zone
        from kratom_journal.services.profiles import show_profile

        return self.now.astimezone(
            parse_zone(show_profile(self.journal).timezone)
        ).date()

    @property
    def zone(self) -> str:
        """The person's IANA time zone, for showing local times."""
        from kratom_journal.services.profiles import show_profile

        return show_profile(self.journal).timezone

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            from kratom_journal.services.journal import open_journal

            self._journal = open_journal(
                self.db, now=self.now, owner=self.owner, environ=self.environ
            )
        return self._journal

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()


pass_app = click.make_pass_decorator(AppContext)


def json_option(function: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON for scripts."
    )(function)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, sort_keys=False)
    sys.stdout.write("\n")


def force_option(function: F) -> F:
    return click.option(
        "--force",
        is_flag=True,
        help="Replace the output file if it exists (never the journal, its -wal/-shm "
        "files or a backup of it).",
    )(function)


def check_output(app: AppContext, path: Path, option: str, force: bool) -> None:
    """Refuse, before the slow part, an output path that must not be written."""
    from kratom_journal.services.outputs import check_output as check

    check(path, app.journal, option, force=force)


def write_output(
    app: AppContext, path: Path, data: bytes, option: str, force: bool
) -> None:
    """Write a private (0600) file atomically, never over what it should not."""
    from kratom_journal.services.outputs import write_output as write

    write(path, data, app.journal, option, force=force)
