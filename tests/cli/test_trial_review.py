"""Review findings for `kratom trial`: event replay, imports, far-off starts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Kratom

# The fixed "now" is Sun 22 Nov 2026, 15:00 in Berlin.


def design(kratom: Kratom, a: str, b: str, *extra: str, now: str | None = None) -> None:
    kratom.ok(
        "trial", "design", "--a", a, "--b", b, "--outcome", "nrs", "--seed", "5",
        *extra, now=now,
    )  # fmt: skip


def test_an_off_plan_rating_dated_before_the_design_still_replays(
    kratom: Kratom,
) -> None:
    design(kratom, "2 g", "3 g")  # at 15:00, starting today
    kratom.ok("trial", "log", "--pain", "5", "--off-plan", "--at", "09:00")
    status = kratom.json("trial", "status")
    assert status["trial"]["off_plan"] == ["2026-11-22"]
    assert "Today's trial rating" not in kratom.ok("next").stdout
    kratom.ok("trial", "analyze")


def test_a_stop_dated_before_the_design_still_replays(kratom: Kratom) -> None:
    design(kratom, "2 g", "3 g")
    kratom.ok("trial", "stop", "--at", "10:00")
    assert kratom.json("trial", "status")["trial"]["stopped_on"] == "2026-11-22"
    design(kratom, "2 g", "4 g")  # a new trial can follow
    assert kratom.json("trial", "status")["trial"]["design"]["regimen_b"] == "4 g"


def test_importing_a_trial_that_overlaps_the_running_one_is_refused(
    kratom: Kratom, make_kratom: Callable[..., Kratom], tmp_path: Path
) -> None:
    design(kratom, "2 g", "3 g", "--start", "2026-11-23")
    exported = tmp_path / "theirs.json"
    kratom.ok("export", "-o", str(exported))
    mine = make_kratom()
    # Designed earlier than theirs: before the fix the import was merged and their
    # trial silently took the place of this running one.
    design(mine, "1 g", "2 g", "--start", "2026-11-22", now="2026-11-22T09:00Z")
    result = mine("import", str(exported))
    assert result.exit_code == 2, result.output
    assert "two trials would run at once" in result.output
    status = mine.json("trial", "status")
    assert status["trial"]["design"]["regimen_a"] == "1 g"
    assert "Today: pair 1, period 1" in mine.ok("trial", "status").stdout


def test_importing_an_earlier_finished_trial_is_merged(
    kratom: Kratom, make_kratom: Callable[..., Kratom], tmp_path: Path
) -> None:
    design(kratom, "2 g", "3 g", now="2026-11-01T09:00Z")
    kratom.ok("trial", "stop", now="2026-11-05T09:00Z")
    exported = tmp_path / "theirs.json"
    kratom.ok("export", "-o", str(exported))
    mine = make_kratom()
    design(mine, "1 g", "2 g")
    mine.ok("import", str(exported))
    assert mine.json("trial", "status")["trial"]["design"]["regimen_a"] == "1 g"


def test_an_undone_trial_in_an_export_does_not_block_its_import(
    kratom: Kratom, make_kratom: Callable[..., Kratom], tmp_path: Path
) -> None:
    design(kratom, "2 g", "3 g")
    kratom.ok("undo")  # the export keeps the undone design, marked deleted
    design(kratom, "2 g", "4 g")
    exported = tmp_path / "journal.json"
    kratom.ok("export", "-o", str(exported))
    other = make_kratom()
    other.ok("import", str(exported))
    assert other.json("trial", "status")["trial"]["design"]["regimen_b"] == "4 g"


def test_a_start_too_far_ahead_exits_2_and_saves_nothing(kratom: Kratom) -> None:
    for extra in ((), ("--preview",)):
        result = kratom(
            "trial", "design", "--a", "2 g", "--b", "3 g", "--start", "9999-12-01",
            *extra,
        )  # fmt: skip
        assert result.exit_code == 2, result.output
        assert "start" in result.output
    assert "No trial yet" in kratom.ok("trial", "status").stdout


def test_a_trial_stored_before_plans_and_own_ratings_says_so(kratom: Kratom) -> None:
    from datetime import date, datetime
    from uuid import uuid4

    from kratom_journal.domain.protocol_events import Protocol
    from kratom_journal.domain.trial import design_to_json, design_trial
    from kratom_journal.services.journal import open_journal

    now = datetime.fromisoformat("2026-11-22T14:00:00+00:00")
    kratom.ok("checkin", "--pain", "4")  # creates the journal
    old = design_trial(
        "2 g", "3 g", pairs=3, period_days=7, washout_days=2, outcome="nrs", seed=5,
        start=date(2026, 11, 22),
    )  # fmt: skip
    journal = open_journal(str(kratom.db), now=now, environ={"TZ": "Europe/Berlin"})
    with journal.transaction() as repo:  # as `trial design` stored it before
        repo.add_event(
            Protocol.TRIAL, uuid4(), 1, "designed", now, now, design_to_json(old)
        )
    journal.close()
    status = kratom.ok("trial", "status").stdout
    assert "designed before analysis plans were stored" in status
    limits = kratom.json("trial", "analyze")["limits"]
    assert any("before trial ratings were kept apart" in line for line in limits)
