"""Ways a journal file gets damaged on disk, for the fault tests."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


def settle(path: Path) -> None:
    """Fold the WAL into the main file, so damage to the file is all there is."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def garbage(path: Path) -> None:
    """Random-looking bytes where the journal was (same size)."""
    size = path.stat().st_size
    path.write_bytes(bytes((i * 131 + 17) % 251 for i in range(size)))


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def doses_page_overwritten(path: Path) -> None:
    """The doses table's root page overwritten, the rest of the file intact."""
    connection = sqlite3.connect(path)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'doses'"
        ).fetchone()
    finally:
        connection.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xab" * page_size
    path.write_bytes(bytes(data))


def header_overwritten(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = b"x" * 100
    path.write_bytes(bytes(data))


DAMAGES: dict[str, Callable[[Path], None]] = {
    "garbage": garbage,
    "truncated": truncated,
    "page overwritten": doses_page_overwritten,
    "header overwritten": header_overwritten,
}


def integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()
