"""A throwaway PostgreSQL server for the test session, as a pytest plugin.

Enable it once, in the top-level tests/conftest.py:

    pytest_plugins = ["tests.postgres"]

Fixtures:
    postgres_server  (session) the running server; started on first use only.
    postgres_url     (function) a SQLAlchemy URL ``postgresql+psycopg://...`` to a
                     fresh, empty database, dropped again after the test.

The server is Debian's (the highest version under /usr/lib/postgresql/*/bin),
initialised with initdb into a new directory under /dev/shm (a tmpfs, when it has
room) or else /tmp, and run with fsync off on a free loopback port. As root, initdb
and pg_ctl run as the `postgres` user (initdb refuses root); the test process itself
stays root.

Without PostgreSQL binaries the fixtures skip, with the reason in the skip message
and in the session header. Set KRATOM_REQUIRE_POSTGRES=1 (e.g. in CI) to fail instead.
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest
from psycopg import sql

if TYPE_CHECKING:
    from collections.abc import Iterator

PG_ROOT = Path("/usr/lib/postgresql")
REQUIRE_ENV = "KRATOM_REQUIRE_POSTGRES"
SERVER_USER = "postgres"
HOST = "127.0.0.1"
# A cluster in RAM makes CREATE DATABASE take about 10 ms instead of 200 ms on disk.
RAM_DIR = Path("/dev/shm")
RAM_DIR_MIN_FREE = 1 << 30
_START_ATTEMPTS = 3
_database_numbers = itertools.count(1)


def find_bin_dir() -> Path | None:
    """The bin directory of the newest PostgreSQL under /usr/lib/postgresql, if any."""
    found: list[tuple[tuple[int, ...], Path]] = []
    for initdb in PG_ROOT.glob("*/bin/initdb"):
        version = initdb.parent.parent.name
        if (
            re.fullmatch(r"\d+(?:\.\d+)*", version)
            and (initdb.parent / "pg_ctl").exists()
        ):
            found.append(
                (tuple(int(part) for part in version.split(".")), initdb.parent)
            )
    return max(found)[1] if found else None


def missing_reason() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    if find_bin_dir() is None:
        return (
            f"no PostgreSQL server binaries under {PG_ROOT}/*/bin "
            "(install the Debian package `postgresql`, e.g. with `make test-deps`)"
        )
    return None


@dataclass(frozen=True)
class PostgresServer:
    """A running throwaway cluster; trust authentication for user `postgres`."""

    bin_dir: Path
    root: Path
    port: int
    host: str = HOST
    user: str = "postgres"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def conninfo(self, dbname: str = "postgres") -> str:
        """A libpq connection string, for psycopg.connect."""
        return f"host={self.host} port={self.port} user={self.user} dbname={dbname}"

    def url(self, dbname: str) -> str:
        """A SQLAlchemy URL for the psycopg (3) driver."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            )
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                )
            )


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SERVER_USER, "--", *command]


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(
        _as_server_user(command),
        cwd="/",  # the server user may not be able to enter the current directory
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{what} failed (exit {result.returncode}): {' '.join(command)}\n"
            f"{result.stdout}{result.stderr}"
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _parent_dir() -> Path:
    """/dev/shm when it is a roomy tmpfs, else /tmp; both are world-traversable."""
    try:
        stats = os.statvfs(RAM_DIR)
    except OSError:
        return Path("/tmp")
    roomy = stats.f_bavail * stats.f_frsize >= RAM_DIR_MIN_FREE
    return RAM_DIR if roomy and os.access(RAM_DIR, os.W_OK) else Path("/tmp")


def _make_root() -> Path:
    """A directory the server user can own and everyone can traverse."""
    # Not pytest's tmp_path: its directories are 0700, closed to the server user.
    root = Path(tempfile.mkdtemp(prefix="kratom-pg-", dir=_parent_dir()))
    if os.geteuid() != 0:
        return root
    try:
        account = pwd.getpwnam(SERVER_USER)
    except KeyError:
        root.rmdir()
        raise RuntimeError(
            f"running as root, but there is no `{SERVER_USER}` user to run "
            "PostgreSQL as (initdb refuses root)"
        ) from None
    root.chmod(0o755)
    os.chown(root, account.pw_uid, account.pw_gid)
    return root


def start_server(bin_dir: Path) -> PostgresServer:
    """initdb and start a cluster in a new directory; raise with its log on failure."""
    root = _make_root()
    try:
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(root / "data"),
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "-U",
                "postgres",
            ],
            "initdb",
        )
        for attempt in range(1, _START_ATTEMPTS + 1):
            server = PostgresServer(bin_dir=bin_dir, root=root, port=_free_port())
            options = f"-F -p {server.port} -k {root} -c listen_addresses={HOST}"
            try:
                _run(
                    [
                        str(bin_dir / "pg_ctl"),
                        "-D",
                        str(server.data_dir),
                        "-l",
                        str(server.log_file),
                        "-w",
                        "-o",
                        options,
                        "start",
                    ],
                    "pg_ctl start",
                )
            except RuntimeError as error:
                log = _read(server.log_file)
                # Another process may have taken the free port in the meantime.
                if attempt < _START_ATTEMPTS and "could not bind" in log:
                    continue
                raise RuntimeError(f"{error}\nserver log:\n{log}") from None
            return server
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    raise AssertionError("unreachable")  # pragma: no cover


def stop_server(server: PostgresServer) -> None:
    """Stop the cluster (fast shutdown) and delete its directory."""
    try:
        _run(
            [
                str(server.bin_dir / "pg_ctl"),
                "-D",
                str(server.data_dir),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
            "pg_ctl stop",
        )
    finally:
        shutil.rmtree(server.root, ignore_errors=True)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"


def _required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def pytest_report_header() -> str:
    reason = missing_reason()
    if reason is None:
        return f"postgresql: {find_bin_dir()} (started on first use)"
    if _required():
        return f"postgresql: {reason}; {REQUIRE_ENV} is set, so tests that need it fail"
    return f"postgresql: {reason}; tests that need it are SKIPPED"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server, started the first time a test asks for it."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        reason = missing_reason()
        if _required():
            pytest.fail(f"{REQUIRE_ENV} is set but PostgreSQL is unusable: {reason}")
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    server = start_server(bin_dir)
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A SQLAlchemy URL to a new, empty database on the session server."""
    name = f"test_{os.getpid()}_{next(_database_numbers)}"
    url = postgres_server.create_database(name)
    yield url
    postgres_server.drop_database(name)
