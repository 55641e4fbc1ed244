"""Shared fixtures: a CLI runner on a fresh journal with a fixed clock."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kratom_journal.cli import main

# A real PostgreSQL server, started on first use (see tests/postgres.py).
pytest_plugins = ["tests.postgres"]

# 2026-11-22 15:00 in Berlin (UTC+1): a fixed "now" for every CLI test.
NOW = "2026-11-22T14:00:00+00:00"
ZONE = "Europe/Berlin"


class Kratom:
    """Runs `kratom` in-process against one journal file."""

    def __init__(self, db: Path, now: str = NOW, zone: str = ZONE) -> None:
        self.db = db
        self.now = now
        self.zone = zone
        self.runner = CliRunner()

    def __call__(self, *args: str, now: str | None = None) -> Result:
        env = {
            "KRATOM_DB": str(self.db),
            "KRATOM_NOW": now or self.now,
            "TZ": self.zone,
            "KRATOM_OWNER": "",
        }
        return self.runner.invoke(main, list(args), env=env, catch_exceptions=False)

    def ok(self, *args: str, now: str | None = None) -> Result:
        result = self(*args, now=now)
        assert result.exit_code == 0, result.output
        return result

    def json(self, *args: str, now: str | None = None) -> Any:
        return json.loads(self.ok(*args, "--json", now=now).stdout)


@pytest.fixture
def kratom(tmp_path: Path) -> Kratom:
    return Kratom(tmp_path / "journal.sqlite3")


@pytest.fixture
def make_kratom(tmp_path: Path) -> Callable[..., Kratom]:
    def make(name: str = "other.sqlite3", **kwargs: str) -> Kratom:
        return Kratom(tmp_path / name, **kwargs)

    return make
