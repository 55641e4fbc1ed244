"""Property: whatever other check-ins are made on trial days, a trial's analysis is
the one its own daily ratings give (issue 14)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kratom_journal.domain.trial import trial_days
from kratom_journal.services import trial, trial_results
from kratom_journal.services.entries import CheckInInput, record_checkin
from kratom_journal.services.journal import open_journal

BEGUN = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
NOW = BEGUN + timedelta(days=43)
ENV = {"TZ": "Europe/Berlin"}


def summary(result: trial_results.Result) -> tuple[Any, ...]:
    analysis = result.analysis
    return (
        analysis.status,
        analysis.verdict,
        analysis.differences,
        [(p.days_used, p.mean) for p in analysis.periods],
    )


@pytest.fixture(scope="module")
def base() -> Any:
    """A finished 3-pair trial with one rating a day, and its analysis."""
    folder = Path(tempfile.mkdtemp())
    path = folder / "base.sqlite3"
    journal = open_journal(str(path), now=BEGUN, environ=ENV)
    designed = trial.design(
        journal,
        trial.DesignInput(
            "2 g", "3 g", pairs=3, period_days=7, washout_days=2, outcome="nrs", seed=7
        ),
        now=BEGUN,
    ).trial
    for day in trial_days(designed.design):
        pain = 4 + (day.day_in_period % 3) - 1  # the same on both regimens
        at = datetime(day.day.year, day.day.month, day.day.day, 19, tzinfo=UTC)
        trial.log(journal, CheckInInput(pain, at=at.isoformat()), now=at)
    expected = summary(trial_results.analyze(journal, now=NOW))
    journal.close()
    yield path, expected
    shutil.rmtree(folder)


extra = st.tuples(st.integers(0, 41), st.integers(5, 17), st.integers(0, 10))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(extras=st.lists(extra, max_size=30))
def test_other_check_ins_never_change_the_analysis(
    base: Any, extras: list[tuple[int, int, int]]
) -> None:
    path, expected = base
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "journal.sqlite3"
        shutil.copy(path, copy)
        journal = open_journal(str(copy), now=NOW, environ=ENV)
        start = datetime(2026, 10, 1, tzinfo=UTC)
        for offset, hour, pain in extras:
            at = start + timedelta(days=offset, hours=hour)
            record_checkin(journal, CheckInInput(pain, at=at.isoformat()), now=NOW)
        result = trial_results.analyze(journal, now=NOW)
        journal.close()
    assert summary(result) == expected
    assert result.analysis.ignored_checkins == len(extras)
