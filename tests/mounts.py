"""Small filesystems of the tests' own: a tmpfs to fill up or remount read-only.

Mounting needs root (or a mount namespace); where it is not allowed the test is
skipped with a message saying so.
"""

from __future__ import annotations

import subprocess
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@contextmanager
def tmpfs(mount_point: Path, size: str, purpose: str) -> Iterator[Path]:
    mount_point.mkdir(exist_ok=True)
    mounted = subprocess.run(
        [
            "mount",
            "-t",
            "tmpfs",
            "-o",
            f"size={size},mode=0700",
            "tmpfs",
            str(mount_point),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"{purpose} mount a small tmpfs, which needs root; here: "
            f"{mounted.stderr.strip() or mounted.returncode}"
        )
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def remount_read_only(mount_point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)
