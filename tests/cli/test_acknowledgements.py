"""Acknowledgement that means something (issue 14): a standing finding once, until
what it stands on changes; --confirm only for what the person was shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Kratom

GABAPENTIN = "Kratom + gabapentin or pregabalin (your medication gabapentin)"
BEER = "Kratom + alcohol (beer in the last 48 hours)"
LATER = "2026-11-22T14:45:00+00:00"  # 45 minutes after the fixed clock


def shown(rule: str, title: str) -> dict[str, str]:
    return {"rule": rule, "title": title}


def logged_doses(kratom: Kratom) -> list[dict[str, Any]]:
    return kratom.json("history", "--days", "30")["doses"]


def test_an_acknowledged_medication_finding_needs_no_confirm_and_shows_in_one_line(
    kratom: Kratom,
) -> None:
    kratom.ok("med", "add", "gabapentin")
    assert kratom("log", "2g").exit_code == 1
    output = kratom.ok(
        "ack", "interaction:gabapentinoids", "--note", "discussed with my prescriber"
    ).stdout
    assert f"[AVOID] {GABAPENTIN}" in output and "why:" in output  # read in full
    assert "discussed with my prescriber" in output

    text = kratom.ok("log", "2g", now=LATER).stdout
    assert f"Acknowledged, unchanged since: {GABAPENTIN} [avoid]" in text
    assert "Gabapentinoids add to opioid-type" not in text  # not in full again
    result = kratom.json("log", "1g", now="2026-11-22T16:00:00+00:00")
    assert [f["rule"] for f in result["acknowledged_findings"]] == [
        "interaction:gabapentinoids"
    ]
    assert "interaction:gabapentinoids" not in [f["rule"] for f in result["findings"]]
    # The dose still says what it was logged past, by rule id and title.
    assert result["dose"]["acknowledged"] == [
        shown("interaction:gabapentinoids", GABAPENTIN)
    ]
    listed = kratom.json("ack")["standing"]
    (gabapentin,) = [f for f in listed if f["rule"] == "interaction:gabapentinoids"]
    assert gabapentin["acknowledgement"]["note"] == "discussed with my prescriber"
    check = kratom("check", "2g", now=LATER)
    assert check.exit_code == 0 and "Acknowledged, unchanged since" in check.stdout


def stop(kratom: Kratom) -> None:
    kratom.ok("med", "stop", "gabapentin")
    kratom.ok("med", "add", "gabapentin", "--dose", "300 mg")  # started again


def re_add(kratom: Kratom) -> None:
    (medication,) = kratom.json("med", "list")["medications"]
    kratom.ok("delete", medication["id"][:8])
    kratom.ok("med", "add", "gabapentin")


@pytest.mark.parametrize(
    "change", [stop, re_add], ids=["stopped and started again", "deleted and re-added"]
)
def test_a_changed_medication_voids_its_acknowledgement(
    kratom: Kratom, change: Callable[[Kratom], None]
) -> None:
    kratom.ok("med", "add", "gabapentin")
    kratom.ok("ack", "interaction:gabapentinoids")
    kratom.ok("log", "2g")
    change(kratom)
    blocked = kratom("log", "1g", now=LATER)
    assert blocked.exit_code == 1
    assert f"[AVOID] {GABAPENTIN}" in blocked.stderr
    listed = kratom.json("ack", now=LATER)["standing"]
    assert [f["acknowledgement"] for f in listed if f["severity"] == "avoid"] == [None]


def test_a_condition_removed_and_re_added_needs_acknowledging_again(
    kratom: Kratom,
) -> None:
    kratom.ok("profile", "set", "--condition", "COPD")
    output = kratom.ok("log", "2g").stdout
    assert "[HIGH CAUTION] Kratom with" in output
    kratom.ok("ack", "condition:respiratory-disease", "--note", "asked my GP")
    quiet = kratom.ok("log", "1g", now=LATER).stdout
    assert "[HIGH CAUTION] Kratom with" not in quiet
    assert "Acknowledged, unchanged since: Kratom with" in quiet

    kratom.ok("profile", "set", "--no-condition", "COPD", now=LATER)
    kratom.ok("profile", "set", "--condition", "COPD", now=LATER)
    again = kratom.ok("log", "1g", now="2026-11-22T16:00:00+00:00").stdout
    assert "[HIGH CAUTION] Kratom with" in again
    assert "Acknowledged" not in again


def test_confirm_covers_only_what_was_shown_and_a_new_finding_comes_first(
    kratom: Kratom,
) -> None:
    kratom.ok("med", "add", "gabapentin")
    first = kratom("log", "2g")
    assert first.exit_code == 1 and GABAPENTIN in first.stderr
    # Beer since: the same --confirm does not cover it; it is shown first.
    kratom.ok("intake", "beer", "--at", "-1h")
    second = kratom("log", "2g", "--confirm")
    assert second.exit_code == 1
    assert second.stderr.index(BEER) < second.stderr.index(GABAPENTIN)
    assert "Not covered by --confirm" in second.stderr
    assert logged_doses(kratom) == []
    # Now both were shown: --confirm records the dose, naming both.
    dose = kratom.json("log", "2g", "--confirm")["dose"]
    assert dose["acknowledged"] == [
        shown("interaction:gabapentinoids", GABAPENTIN),
        shown("intake:alcohol", BEER),
    ]


@pytest.mark.parametrize(
    ("shown_by", "confirmed_at", "recorded"),
    [
        (None, None, False),  # --confirm before anything was shown
        (["log", "2g"], None, True),
        (["check", "2g"], None, True),
        (["check"], None, True),  # the standing findings
        (["log", "2g"], "2026-11-22T14:29:00+00:00", True),
        (["log", "2g"], "2026-11-22T14:31:00+00:00", False),  # shown too long ago
    ],
)
def test_a_bare_confirm_needs_the_findings_shown_in_the_last_30_minutes(
    kratom: Kratom,
    shown_by: list[str] | None,
    confirmed_at: str | None,
    recorded: bool,
) -> None:
    kratom.ok("med", "add", "gabapentin")
    if shown_by is not None:
        assert kratom(*shown_by).exit_code == 1
    result = kratom("log", "2g", "--confirm", now=confirmed_at)
    assert (result.exit_code == 0) is recorded
    assert (len(logged_doses(kratom)) == 1) is recorded
    if not recorded:
        assert f"[AVOID] {GABAPENTIN}" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["intake:alcohol"], "is not from a medication or a condition"),
        (["interaction:opioids"], "is not among your standing findings now"),
        (["condition:suicidal-thoughts"], "is crisis support, always shown in full"),
        ([], "name a rule id"),
        (["--withdraw", "interaction:gabapentinoids"], "nothing acknowledged"),
        (["interaction:gabapentinoids", "--note", "x" * 2001], "note: is 2001"),
    ],
)
def test_bad_acknowledgements_exit_2_name_the_field_and_write_nothing(
    kratom: Kratom, args: list[str], message: str
) -> None:
    kratom.ok("med", "add", "gabapentin")
    result = kratom("ack", *args, "--json") if not args else kratom("ack", *args)
    if not args:  # bare `kratom ack` lists; `--note` alone is the bad input
        result = kratom("ack", "--note", "hello")
    assert result.exit_code == 2
    assert message in result.stderr and "nothing was saved" in result.stderr
    assert all(f["acknowledgement"] is None for f in kratom.json("ack")["standing"])


def test_withdraw_and_undo_show_the_finding_in_full_again(kratom: Kratom) -> None:
    kratom.ok("med", "add", "gabapentin")
    kratom.ok("ack", "--all")
    assert kratom("log", "2g").exit_code == 0
    kratom.ok("ack", "--withdraw", "interaction:gabapentinoids", now=LATER)
    assert kratom("log", "1g", now=LATER).exit_code == 1
    kratom.ok("ack", "interaction:gabapentinoids", now=LATER)
    kratom.ok("undo", now=LATER)
    blocked = kratom("log", "1g", now=LATER)
    assert blocked.exit_code == 1 and GABAPENTIN in blocked.stderr


def test_an_acknowledged_medication_does_not_let_a_fortified_product_through(
    kratom: Kratom,
) -> None:
    kratom.ok("med", "add", "gabapentin")
    kratom.ok("ack", "--all", "--note", "my prescriber knows")
    kratom.ok("product", "add", "Enhanced 7-OH tabs", "--form", "extract")
    # The habit of adding --confirm does not cover a finding never shown.
    blocked = kratom("log", "1g", "-p", "Enhanced 7-OH tabs", "--confirm")
    assert blocked.exit_code == 1
    assert "Not covered by --confirm" in blocked.stderr
    assert "[AVOID] Enhanced 7-OH tabs looks like a concentrated 7-OH" in blocked.stderr
    assert GABAPENTIN not in blocked.stderr  # acknowledged: not shown again
    assert logged_doses(kratom) == []
    dose = kratom.json("log", "1g", "-p", "Enhanced 7-OH tabs", "--confirm")["dose"]
    assert [s["rule"] for s in dose["acknowledged"]] == [
        "product:seven-oh-concentrate",
        "interaction:gabapentinoids",
    ]
