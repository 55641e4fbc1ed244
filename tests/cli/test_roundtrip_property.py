"""Property: any journal exported and imported into an empty one comes back identical,
and every export matches the JSON Schema we ship for the format."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema_rs
from hypothesis import given, settings
from hypothesis import strategies as st

from kratom_journal.domain.checkins import KNOWN_SIDE_EFFECTS
from kratom_journal.domain.doses import Dose
from kratom_journal.interop import importing
from kratom_journal.services.acknowledgements import FindingsNeedConfirmation
from kratom_journal.services.changes import delete_entry
from kratom_journal.services.entries import (
    CheckInInput,
    DoseInput,
    log_dose,
    record_checkin,
    record_intake,
)
from kratom_journal.services.journal import Journal, open_journal
from kratom_journal.services.medications import add_medication
from kratom_journal.services.products import ProductInput, add_product
from kratom_journal.services.transfer import export_json, import_json

NOW = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)
ENV = {"TZ": "America/New_York"}
SCHEMA = json.loads(
    (Path(importing.__file__).parent / "export.schema.json").read_text("utf-8")
)
VALIDATOR = jsonschema_rs.Draft202012Validator(SCHEMA)

amounts = st.one_of(
    st.decimals(min_value="0.001", max_value="15", places=3).map(lambda d: f"{d}g"),
    st.integers(1, 4000).map(lambda mg: f"{mg}mg"),
    st.sampled_from(
        ["1 tsp", "½ tsp", "1/3 tsp", "1.5tsp", "1 tbsp", "3 caps", "2,5g"]
    ),
)
minutes_ago = st.integers(0, 60 * 24 * 400)
# Any text a person can store: a NUL is refused as bad input (tests/cli/test_bad_text.py).
notes = st.none() | st.text(
    st.characters(blacklist_characters="\x00"), min_size=1, max_size=40
).filter(lambda t: t.strip() != "")
scores = st.integers(0, 10)
doses = st.builds(
    lambda amount, ago, note, stomach: DoseInput(
        amount, at=f"-{ago}m", note=note, stomach=stomach
    ),
    amounts,
    minutes_ago,
    notes,
    st.none() | st.sampled_from(["empty", "light-meal", "full"]),
)
checkins = st.builds(
    lambda pain, effects, ago, mood: CheckInInput(
        pain,
        [f"{name}={sev}" for name, sev in effects.items()],
        at=f"-{ago}m",
        mood=mood,
    ),
    scores,
    st.dictionaries(st.sampled_from(KNOWN_SIDE_EFFECTS), st.integers(0, 3), max_size=3),
    minutes_ago,
    st.none() | scores,
)


optional_number = st.none() | st.decimals(
    min_value="0.01", max_value="5", places=2
).map(str)
products = st.builds(
    ProductInput,
    tsp_grams=optional_number,
    mitragynine_pct=optional_number,
    lead_ppm=optional_number,
    microbial=st.none() | st.sampled_from(["pass", "fail"]),
    batch=st.none() | st.text("ABC123-", min_size=1, max_size=8),
)
medications = st.lists(
    st.sampled_from(["ibuprofen", "vitamin d", "sertraline", "metformin"]),
    unique=True,
    max_size=2,
)


def sections(document: dict[str, Any]) -> str:
    body = {k: v for k, v in document.items() if k not in ("exported_at", "owner_id")}
    return json.dumps(body, sort_keys=True).replace(document["owner_id"], "OWNER")


def log_past_warnings(journal: Journal, entry: DoseInput) -> Dose:
    """Log as a person who is shown the avoid findings and confirms them."""
    try:
        return log_dose(journal, entry, now=NOW).dose
    except FindingsNeedConfirmation:
        return log_dose(journal, entry, now=NOW).dose


@settings(max_examples=25, deadline=None)
@given(
    dose_inputs=st.lists(doses, max_size=6),
    product_inputs=st.lists(products, max_size=2),
    medication_names=medications,
    checkin_inputs=st.lists(checkins, max_size=4),
    intakes=st.lists(st.sampled_from(["beer", "coffee", "cannabis"]), max_size=2),
    delete_first=st.booleans(),
)
def test_export_import_export_is_identical(
    dose_inputs: list[DoseInput],
    product_inputs: list[ProductInput],
    medication_names: list[str],
    checkin_inputs: list[CheckInInput],
    intakes: list[str],
    delete_first: bool,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = open_journal(str(Path(folder) / "a.sqlite3"), now=NOW, environ=ENV)
        today = date(2026, 11, 22)
        names = [f"Product {n}" for n in range(len(product_inputs))]
        for name, entry in zip(names, product_inputs, strict=True):
            add_product(source, replace(entry, name=name), now=NOW, today=today)
        for name in medication_names:
            add_medication(source, name, now=NOW, today=today, started="2026-01-02")
        logged = [
            log_past_warnings(
                source,
                replace(
                    entry,
                    product=names[n % len(names)] if names else None,
                    confirm=True,
                ),
            )
            for n, entry in enumerate(dose_inputs)
        ]
        for entry in checkin_inputs:
            record_checkin(source, entry, now=NOW)
        for name in intakes:
            record_intake(source, name, now=NOW, amount="1", at="-1h")
        if delete_first and logged:
            delete_entry(source, str(logged[0].id), now=NOW + timedelta(minutes=1))
        exported = export_json(source, now=NOW)
        assert VALIDATOR.is_valid(exported), [
            e.message for e in VALIDATOR.iter_errors(exported)
        ]

        target = open_journal(str(Path(folder) / "b.sqlite3"), now=NOW, environ=ENV)
        plan = import_json(
            target, json.dumps(exported), source="x.json", now=NOW, dry_run=False
        )
        assert plan.total_added == len(logged) + len(checkin_inputs) + len(
            intakes
        ) + len(product_inputs) + len(medication_names)
        assert sections(export_json(target, now=NOW)) == sections(exported)
        again = import_json(
            target, json.dumps(exported), source="x.json", now=NOW, dry_run=False
        )
        assert again.total_added == 0 and again.conflicts == []
        source.close()
        target.close()
