"""Files for the owner only: every file that holds health data is 0600, its folder 0700.

The journal holds health data, and so does every copy of it: backups, exports,
reports, calendars. Modes are set explicitly, so the umask cannot widen them, and
`private_output` writes through a temporary file in the same folder that is
renamed into place: a crash or a full disk never leaves half a file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
_OTHERS = 0o077  # group and other permission bits


def make_private_folder(folder: Path) -> None:
    """Create `folder` and any missing parents as 0700; existing ones are left as is."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for created in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process was quicker
            created.mkdir(mode=PRIVATE_FOLDER)
        created.chmod(PRIVATE_FOLDER)


def create_private_file(path: Path) -> bool:
    """Create `path` empty and 0600 unless it exists; True when it was created."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    try:
        os.fchmod(descriptor, PRIVATE_FILE)
    finally:
        os.close(descriptor)
    return True


def tighten(*paths: Path) -> list[str]:
    """Take group and other permissions away from existing files and folders of ours,
    with a one-line note on stderr naming them; what changed, as "PATH (OLD)".
    A file we may not change (someone else's, a read-only medium) is left as is."""
    changed = [note for path in paths if (note := _tighten(path)) is not None]
    if changed:
        sys.stderr.write(
            f"note: {', '.join(changed)} could be read by others; now only you "
            "can (health data)\n"
        )
    return changed


def _tighten(path: Path) -> str | None:
    try:
        found = path.stat()
    except OSError:
        return None
    wanted = PRIVATE_FOLDER if stat.S_ISDIR(found.st_mode) else PRIVATE_FILE
    if not found.st_mode & _OTHERS or found.st_uid != os.geteuid():
        return None
    try:
        path.chmod(wanted)
    except OSError:
        return None
    return f"{path} ({stat.S_IMODE(found.st_mode):04o})"


@contextmanager
def private_output(path: Path, *, replace: bool) -> Iterator[Path]:
    """A temporary 0600 file in `path`'s folder for the block to fill; when the block
    ends it is synced to disk and renamed to `path`, on error it is removed.

    Without `replace`, an existing `path` is never overwritten: FileExistsError,
    even when the file appeared while the block ran.
    """
    import tempfile  # noqa: PLC0415 - only commands that write files pay for it

    descriptor, name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".partial", dir=path.parent
    )
    temporary = Path(name)
    try:
        os.fchmod(descriptor, PRIVATE_FILE)  # mkstemp makes 0600; say so anyway
        os.close(descriptor)
        descriptor = -1
        yield temporary
        _sync(temporary)
        if replace:
            temporary.replace(path)
        else:
            _move_without_overwriting(temporary, path)
        _sync(path.parent)
    finally:
        if descriptor >= 0:
            os.close(descriptor)
        temporary.unlink(missing_ok=True)


def write_private(path: Path, data: bytes, *, replace: bool) -> None:
    """Write `data` to `path` as a 0600 file, atomically (see `private_output`)."""
    with private_output(path, replace=replace) as temporary:
        temporary.write_bytes(data)


def _move_without_overwriting(source: Path, target: Path) -> None:
    """Rename unless `target` exists, atomically where the filesystem links files."""
    try:
        os.link(source, target)  # fails with FileExistsError, never overwrites
    except FileExistsError:
        raise
    except OSError as error:
        # FAT and exFAT (many USB sticks) have no hard links: check, then rename.
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        if target.exists() or target.is_symlink():
            raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
        source.replace(target)
        return
    source.unlink()


def _sync(path: Path) -> None:
    """fsync a file or a folder (the rename is durable once its folder is synced)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:  # e.g. folders on Windows; the data itself was synced
        return
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno != errno.EINVAL:  # some filesystems cannot sync folders
            raise
    finally:
        os.close(descriptor)
