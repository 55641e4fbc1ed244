"""Reuse a page's facts while the journal is unchanged, within one second.

Under load the Today page would work out the same facts for every request. SQLite's
`PRAGMA data_version`, read on a connection of our own that never writes, changes
whenever any other connection commits: this app's, or another process's such as the
CLI. With the clock rounded up to the next second it keys a small cache that never
serves anything older than the last commit. On PostgreSQL nothing is cached.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

T = TypeVar("T")
SIZE = 16


def next_second(now: datetime) -> datetime:
    """Round up, so that an entry made earlier in this second is not in the future."""
    if now.microsecond == 0:
        return now
    return now.replace(microsecond=0) + timedelta(seconds=1)


class ViewCache:
    def __init__(self, sqlite_path: Path | None) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, int, datetime], Any] = {}
        self._uri = None
        if sqlite_path is not None and str(sqlite_path) != ":memory:":
            self._uri = f"{sqlite_path.resolve().as_uri()}?mode=ro"
        self._connection: sqlite3.Connection | None = None

    def version(self) -> int | None:
        """Changes whenever any connection but ours commits; None: not SQLite."""
        if self._uri is None:
            return None
        with self._lock:
            try:
                if self._connection is None:  # opened on first use, again after close
                    self._entries.clear()  # versions of another connection mean nothing
                    self._connection = sqlite3.connect(
                        self._uri, uri=True, check_same_thread=False
                    )
                row = self._connection.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:
                # A damaged file, or read-only media where this connection cannot
                # open: no caching; the page's own reads report what is wrong.
                self._entries.clear()
                return None
        return int(row[0])

    def get(self, name: str, now: datetime, compute: Callable[[datetime], T]) -> T:
        """`compute(at)` for `at` = now rounded up to the second, or its earlier
        result for the same name, second and state of the journal."""
        at = next_second(now)
        # Read the version before computing: a commit during the computation
        # changes the version, so the next request computes afresh.
        version = self.version()
        if version is None:
            return compute(at)
        key = (name, version, at)
        with self._lock:
            if key in self._entries:
                found: T = self._entries[key]
                return found
        value = compute(at)
        with self._lock:
            if len(self._entries) >= SIZE:
                self._entries.clear()
            self._entries[key] = value
        return value

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
