"""Opening one person's journal: which database, which owner, which time zone."""

from __future__ import annotations

import os
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.profiles import Profile
from kratom_journal.store.database import Database, database_url, open_database
from kratom_journal.store.repository import Repository

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from datetime import datetime


# The read transaction of `Journal.reading()`, in this thread or task, if any.
_READING: ContextVar[tuple[Journal, Repository] | None] = ContextVar(
    "kratom_reading", default=None
)

# The ids of the commands written in this request, if someone listens: a web page
# offers Undo for exactly the change it reports (see `written_commands`).
_WRITTEN: ContextVar[list[int] | None] = ContextVar("kratom_written", default=None)


@contextmanager
def written_commands() -> Iterator[list[int]]:
    """Collect the id of each command committed inside the block (in this context and
    the threads it starts with a copy of it), oldest first."""
    written: list[int] = []
    token = _WRITTEN.set(written)
    try:
        yield written
    finally:
        _WRITTEN.reset(token)


def last_written() -> int | None:
    """The id of the newest command committed under `written_commands`, if any."""
    written = _WRITTEN.get()
    return written[-1] if written else None


@dataclass
class Journal:
    """One owner's view of one database."""

    database: Database
    owner_id: UUID

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Repository]:
        shared = _READING.get()
        if not write and shared is not None and shared[0] is self:
            yield shared[1]  # inside `reading()`: its transaction serves every read
            return
        with self.database.transaction(write=write, owner=self.owner_id) as connection:
            repo = Repository(connection, self.owner_id)
            yield repo
        written = _WRITTEN.get()
        if written is not None and repo.first_seq is not None:
            written.append(repo.first_seq)  # committed: the block ended cleanly

    @contextmanager
    def reading(self) -> Iterator[Repository]:
        """One read transaction for several service calls, e.g. everything a page
        shows: they all see the same state of the journal, and the page pays for
        one transaction instead of one per call. Writes inside it get their own
        transaction, as outside; do not read after writing within the block."""
        with self.transaction(write=False) as repo:
            token = _READING.set((self, repo))
            try:
                yield repo
            finally:
                _READING.reset(token)

    def profile(self, repo: Repository) -> Profile:
        profile = repo.profile()
        if profile is None:  # pragma: no cover - open_journal always creates one
            raise InputError("owner", f"no profile for {self.owner_id}")
        return profile

    def close(self) -> None:
        self.database.dispose()


def open_journal(
    db: str | None = None,
    *,
    now: datetime,
    owner: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Journal:
    """Open the database and pick the owner, creating a profile on first use."""
    env = os.environ if environ is None else environ
    database = open_database(database_url(db, env))
    owner = owner or env.get("KRATOM_OWNER")
    with database.transaction(write=False) as connection:
        owner_id = _choose_owner(Repository(connection, UUID(int=0)).owners(), owner)
        has_profile = Repository(connection, owner_id).profile() is not None
    if not has_profile:
        # First use: create the profile. Take the write lock only now, and check
        # again under it in case another process got there first.
        with database.transaction(owner=owner_id) as connection:
            repo = Repository(connection, owner_id)
            if repo.profile() is None:
                zone = system_zone_name(env)
                repo.save_profile(Profile(owner_id=owner_id, timezone=zone), now)
    return Journal(database, owner_id)


def _choose_owner(owners: list[UUID], owner: str | None) -> UUID:
    if owner:
        return parse_owner(owner)
    if len(owners) == 1:
        return owners[0]
    if not owners:
        return uuid4()
    raise InputError(
        "owner",
        f"this database holds {len(owners)} people; choose one with --owner or "
        "KRATOM_OWNER",
    )


def parse_owner(text: str) -> UUID:
    try:
        return UUID(text.strip())
    except ValueError:
        raise InputError("owner", f"{text!r} is not an owner id (a UUID)") from None


def parse_zone(name: str, field: str = "timezone") -> ZoneInfo:
    try:
        return ZoneInfo(name.strip())
    # "Europe" names a folder of the zone database (IsADirectoryError); a very long
    # name is "File name too long": both are OSErrors, and both are bad input.
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InputError(
            field,
            f"{name!r} is not an IANA time zone; use e.g. Europe/Berlin or America/New_York",
        ) from None


def system_zone_name(environ: Mapping[str, str]) -> str:
    """The machine's IANA zone: $TZ, /etc/timezone, the /etc/localtime link, or UTC."""
    candidates = [environ.get("TZ", "").lstrip(":")]
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text(encoding="utf-8").strip())
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if name:
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                continue
            return name
    return "UTC"
