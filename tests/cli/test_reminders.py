"""`kratom next`: what is due now or next, in local time."""

from __future__ import annotations

from typing import Any

from tests.conftest import Kratom


def due(kratom: Kratom, now: str | None = None) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = kratom.json("next", now=now)["due"]
    return items


def kinds(kratom: Kratom, now: str | None = None) -> list[str]:
    return [item["kind"] for item in due(kratom, now)]


def test_nothing_due_on_a_fresh_journal(kratom: Kratom) -> None:
    assert kratom.ok("next").stdout == "Nothing is due.\n"
    assert kratom.json("next") == {"now": "2026-11-22T14:00:00Z", "due": []}


def test_after_a_dose_next_counts_down_to_nothing(kratom: Kratom) -> None:
    # When another dose would not stack is information, never a due item: a
    # countdown to it reads as a prompt to take more.
    kratom.ok("log", "2g")
    later = "2026-11-22T14:10Z"
    assert kratom.ok("--now", later, "next").stdout == "Nothing is due.\n"
    assert due(kratom, later) == []


def test_a_titration_session_shows_its_check_in_instead_of_the_wait(
    kratom: Kratom,
) -> None:
    kratom.ok("titrate", "start", "--pain", "6")
    later = "2026-11-22T14:10Z"
    (item,) = due(kratom, later)
    assert item["kind"] == "titration-checkin"
    assert item["due_at"] == "2026-11-22T14:45:00Z"
    assert item["command"] == "kratom titrate checkin --pain N"
    out = kratom.ok("--now", later, "next").stdout
    assert out.startswith("Titration check-in: at 15:45 (in 35 min)\n")
    assert "Wait before any further dose" not in out
    # past the due time it is due now
    overdue = kratom.ok("--now", "2026-11-22T15:00Z", "next").stdout
    assert overdue.startswith("Titration check-in: now\n")


def test_a_taper_plan_lists_todays_target_and_the_checklist(kratom: Kratom) -> None:
    kratom.ok("taper", "plan", "--from", "4g")
    kratom.ok("log", "1g", "--at", "-3h")
    items = due(kratom)
    assert [i["kind"] for i in items] == ["taper-target", "checklist"]
    target, checklist = items
    assert target["title"] == "Taper target today: 3.5 g"
    assert target["detail"] == "So far today 1 g."
    assert target["due_at"] is None
    assert target["until"] == "2026-11-23T03:00:00Z"  # the day ends 04:00 local
    assert checklist["title"] == "Daily withdrawal checklist"
    out = kratom.ok("next").stdout
    assert "Taper target today: 3.5 g\n" in out
    assert "Daily withdrawal checklist\n" in out

    kratom.ok("withdrawal", "--none")
    assert kinds(kratom) == ["taper-target"]
    assert "Daily withdrawal checklist" not in kratom.ok("next").stdout
    # a new day asks again
    assert kinds(kratom, "2026-11-23T09:00Z") == ["taper-target", "checklist"]


def test_a_plan_that_has_not_started_or_was_stopped_is_not_due(
    kratom: Kratom,
) -> None:
    kratom.ok("taper", "plan", "--from", "4g", "--start", "2026-11-24")
    assert kinds(kratom) == []
    assert kinds(kratom, "2026-11-24T09:00Z") == ["taper-target", "checklist"]
    kratom.ok("--now", "2026-11-24T09:00Z", "taper", "stop")
    assert kinds(kratom, "2026-11-24T10:00Z") == []


def test_everything_due_at_once_is_soonest_first(kratom: Kratom) -> None:
    kratom.ok("titrate", "start", "--pain", "6")
    kratom.ok("taper", "plan", "--from", "4g")
    assert kinds(kratom, "2026-11-22T14:10Z") == [
        "titration-checkin",
        "taper-target",
        "checklist",
    ]
