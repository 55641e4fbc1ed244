"""A database password is never shown: not in errors on stderr, not in --json."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kratom_journal.cli import main
from tests.conftest import NOW

SECRET = "Hunter2-sentinel-pw"
# Port 1 on loopback: nothing listens there, so connecting fails at once.
UNREACHABLE = f"postgresql+psycopg://kj:{SECRET}@127.0.0.1:1/journal"


def run(db: str, *args: str) -> tuple[int, str, str]:
    env = {"KRATOM_DB": db, "KRATOM_NOW": NOW, "TZ": "UTC", "KRATOM_OWNER": ""}
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("db", "code", "shown"),
    [
        (UNREACHABLE, 3, "postgresql+psycopg://kj:***@127.0.0.1:1/journal"),
        (  # libpq's query parameter
            f"postgresql+psycopg://kj@127.0.0.1:1/journal?password={SECRET}",
            3,
            "postgresql+psycopg://kj@127.0.0.1:1/journal?password=***",
        ),
        (  # not a URL SQLAlchemy can read
            f"postgresql+psycopg://kj:{SECRET}@127.0.0.1:port/journal",
            2,
            "postgresql+psycopg://kj:***@127.0.0.1:port/journal",
        ),
    ],
    ids=["unreachable", "query-password", "malformed"],
)
@pytest.mark.parametrize(
    "command", [("history",), ("history", "--json"), ("backup", "--json")]
)
def test_a_database_error_names_the_database_without_its_password(
    db: str, code: int, shown: str, command: tuple[str, ...]
) -> None:
    exit_code, stdout, stderr = run(db, *command)
    assert exit_code == code
    assert shown in stderr
    assert SECRET not in stdout + stderr


@pytest.mark.postgres
def test_a_refused_postgresql_database_is_named_without_its_password(
    postgres_url: str,
) -> None:
    # The test server trusts every login, so any password gets in.
    url = make_url(postgres_url).set(password=SECRET)
    engine = create_engine(url)
    with engine.begin() as connection:  # another program's table: refused
        connection.execute(text("CREATE TABLE invoices (id integer)"))
    engine.dispose()
    db = url.render_as_string(hide_password=False)
    for command in (("history",), ("history", "--json")):
        exit_code, stdout, stderr = run(db, *command)
        assert exit_code == 3
        assert "already holds tables (invoices)" in stderr
        assert url.render_as_string(hide_password=True) in stderr
        assert SECRET not in stdout + stderr
