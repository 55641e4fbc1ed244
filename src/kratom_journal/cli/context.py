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


def write_atomically(path: Path, data: bytes, field: str) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file; a
    path that cannot be written is bad input naming `field`, not a traceback."""
    from kratom_journal.domain.errors import InputError

    temporary = path.with_name(f".{path.name}.partial")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InputError(field, f"cannot write {path}: {error.strerror}") from None
