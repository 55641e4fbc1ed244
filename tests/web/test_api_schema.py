"""Schemathesis fuzzes every API operation from the OpenAPI spec: no 5xx for any
input, and every response matches its documented status, content type and schema."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kratom_journal.services.journal import open_journal
from kratom_journal.web.app import LOCAL_HOSTS, create_app
from tests.web.conftest import START, ZONE, Clock

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def fuzzed_app() -> FastAPI:
    """One journal for the whole run, in a temporary folder removed at exit.

    (Schemathesis's fixture-based loader does not work with pytest 9, so the
    schema is loaded when the module is collected.)"""
    folder = Path(tempfile.mkdtemp(prefix="kratom-fuzz-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    journal = open_journal(
        str(folder / "fuzz.sqlite3"), now=START, environ={"TZ": ZONE}
    )
    atexit.register(journal.close)
    # Schemathesis calls the app as "testserver".
    return create_app(
        journal, clock=Clock(), allowed_hosts=(*LOCAL_HOSTS, "testserver")
    )


schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzzed_app())


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_documented_schema(case: Any) -> None:
    case.call_and_validate(checks=CHECKS)
