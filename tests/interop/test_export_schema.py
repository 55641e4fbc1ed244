"""The JSON Schema we ship describes every export, and stays in step with the records."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from kratom_journal.domain.checkins import Peg
from kratom_journal.domain.products import LabCertificate
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.records import KINDS
from kratom_journal.interop import importing
from kratom_journal.services.transfer import SECTIONS, VERSION
from tests.cli.test_transfer import fill
from tests.conftest import Kratom

SCHEMA = json.loads(
    (Path(importing.__file__).parent / "export.schema.json").read_text("utf-8")
)
VALIDATOR = jsonschema_rs.Draft202012Validator(SCHEMA)


def errors(document: Any) -> list[str]:
    return [
        "/" + "/".join(map(str, e.instance_path)) + f": {e.message}"
        for e in VALIDATOR.iter_errors(document)
    ]


def test_the_schema_is_versioned_with_the_format() -> None:
    jsonschema_rs.meta.validate(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["properties"]["version"] == {"const": VERSION}
    assert SCHEMA["$id"].endswith(f":{VERSION}")


@pytest.mark.parametrize(
    ("definition", "cls"),
    [
        *((kind, cls) for kind, cls in KINDS.items()),
        ("profile", Profile),
        ("certificate", LabCertificate),
    ],
)
def test_each_record_definition_lists_exactly_its_fields(
    definition: str, cls: type[Any]
) -> None:
    schema = SCHEMA["$defs"][definition]
    fields = dataclasses.fields(cls)
    assert list(schema["properties"]) == [f.name for f in fields]
    needed = [
        f.name
        for f in fields
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    assert schema["required"] == needed


def test_peg_and_sections_match() -> None:
    peg = SCHEMA["$defs"]["checkin"]["properties"]["peg"]["anyOf"][0]
    assert list(peg["properties"]) == [f.name for f in dataclasses.fields(Peg)]
    for kind, section in SECTIONS.items():
        assert SCHEMA["properties"][section]["items"] == {"$ref": f"#/$defs/{kind}"}


def test_a_full_export_validates(kratom: Kratom) -> None:
    fill(kratom)
    kratom.ok("withdrawal", "muscle-aches=2", "insomnia=1")
    kratom.ok("taper", "plan", "--from", "4g/day")
    document = json.loads(kratom.ok("export").stdout)
    assert all(document[section] for section in SECTIONS.values())
    assert errors(document) == []


def test_the_schema_catches_what_import_would_refuse(kratom: Kratom) -> None:
    fill(kratom)
    document = json.loads(kratom.ok("export").stdout)
    document["doses"][0]["grams"] = 2.5  # a float would lose exactness
    document["checkins"][0]["pain"] = 11
    document["doses"][1]["colour"] = "red"
    assert errors(document) == [
        '/doses/0/grams: 2.5 is not of type "string"',
        "/doses/1: Additional properties are not allowed ('colour' was unexpected)",
        "/checkins/0/pain: 11 is greater than the maximum of 10",
    ]
