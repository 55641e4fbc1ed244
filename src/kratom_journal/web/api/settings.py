"""Profile, export and import: GET/PATCH /profile, GET /export, POST /import."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from kratom_journal.domain.errors import InputError, NotFoundError
from kratom_journal.domain.profiles import MAX_PRESETS, Profile
from kratom_journal.domain.records import to_json
from kratom_journal.services.journal import Journal
from kratom_journal.services.profiles import ProfileInput, set_profile, show_profile
from kratom_journal.services.transfer import (
    CSV_TABLES,
    ImportPlan,
    export_csv,
    export_json,
    import_json,
)
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.limits import IMPORT_MB, UPLOAD_LIMIT
from kratom_journal.web.schemas import ERRORS, NotBoolean

router = APIRouter(tags=["settings"], responses=ERRORS)

MAX_IMPORT_BYTES = IMPORT_MB * 2**20
# The services name fields as the CLI options do; the API names them as the JSON.
API_FIELDS = {
    "dose-cap": "dose_cap_g",
    "daily-cap": "daily_cap_g",
    "day-boundary": "day_boundary",
    "birth-year": "birth_year",
    "condition": "conditions",
}


class ProfileOut(BaseModel):
    owner_id: str
    timezone: str
    day_boundary: str
    location: str | None
    locality: str | None
    birth_year: int | None
    conditions: list[str]
    dose_cap_g: str
    daily_cap_g: str
    presets: list[str]

    @classmethod
    def of(cls, profile: Profile) -> ProfileOut:
        return cls.model_validate(to_json(profile))


class ProfilePatch(BaseModel):
    """Only the fields given change; `null` clears location, locality and birth
    year."""

    timezone: Annotated[
        str | None, Field(max_length=64, examples=["Europe/Berlin"])
    ] = None
    day_boundary: Annotated[
        str | None,
        Field(max_length=8, description="When a new day starts, HH:MM."),
    ] = None
    location: Annotated[
        str | None, Field(max_length=10, description="ISO 3166, e.g. US-TX.")
    ] = None
    locality: Annotated[
        str | None,
        Field(
            max_length=120,
            description="A city or county, so local laws apply, e.g. San Diego.",
        ),
    ] = None
    birth_year: Annotated[int | None, Field(ge=0, le=9999), NotBoolean] = None
    conditions: Annotated[
        list[Annotated[str, Field(max_length=80)]] | None,
        Field(max_length=40, description="Replaces the list of conditions."),
    ] = None
    dose_cap_g: Annotated[
        str | None, Field(max_length=16, description="At most 8.", examples=["4"])
    ] = None
    daily_cap_g: Annotated[
        str | None, Field(max_length=16, description="At most 15.", examples=["10"])
    ] = None
    presets: Annotated[
        list[Annotated[str, Field(max_length=40)]] | None,
        Field(
            max_length=MAX_PRESETS,
            description='One-tap dose amounts as written, e.g. ["2 g", "1/2 tsp"].',
        ),
    ] = None


@router.get("/profile", response_model=ProfileOut)
def get_profile(journal: JournalDep) -> ProfileOut:
    """Time zone, day boundary, location and locality, conditions, caps and
    dose-button presets."""
    return ProfileOut.of(show_profile(journal))


@router.patch("/profile", response_model=ProfileOut)
def patch_profile(patch: ProfilePatch, journal: JournalDep, now: NowDep) -> ProfileOut:
    """Change the given settings; a bad value answers 422 naming it, nothing saved."""
    given = patch.model_fields_set
    current = show_profile(journal)
    conditions = (patch.conditions or []) if "conditions" in given else None
    entry = ProfileInput(
        timezone=patch.timezone,
        location=(patch.location or "") if "location" in given else None,
        locality=(patch.locality or "") if "locality" in given else None,
        birth_year=patch.birth_year,
        clear_birth_year="birth_year" in given and patch.birth_year is None,
        add_conditions=conditions or (),
        remove_conditions=()
        if conditions is None
        else removed_conditions(current, conditions),
        dose_cap=patch.dose_cap_g,
        daily_cap=patch.daily_cap_g,
        day_boundary=patch.day_boundary,
        presets=(patch.presets or []) if "presets" in given else None,
    )
    try:
        profile = set_profile(journal, entry, now=now, today=local_today(current, now))
    except InputError as error:
        if isinstance(error, NotFoundError) or error.field not in API_FIELDS:
            raise
        raise InputError(API_FIELDS[error.field], error.problem) from None
    return ProfileOut.of(profile)


def removed_conditions(profile: Profile, wanted: Sequence[str]) -> list[str]:
    """The stored conditions that a replacement list leaves out."""
    kept = {" ".join(name.lower().split()) for name in wanted}
    return [name for name in profile.conditions if name not in kept]


def local_today(profile: Profile, now: datetime) -> date:
    """The person's calendar date (for the birth-year check)."""
    return now.astimezone(ZoneInfo(profile.timezone)).date()


class ExportOut(BaseModel):
    """The whole journal as the own JSON format; POST it to /import to merge it."""

    # Whatever the export holds passes through unchanged: the round trip is lossless.
    model_config = ConfigDict(extra="allow")

    format: str
    version: int
    exported_at: str
    owner_id: str
    profile: dict[str, Any]
    products: list[dict[str, Any]]
    medications: list[dict[str, Any]]
    doses: list[dict[str, Any]]
    checkins: list[dict[str, Any]]
    intakes: list[dict[str, Any]]
    withdrawal_checks: list[dict[str, Any]]
    protocol_events: list[dict[str, Any]]
    acknowledgements: list[dict[str, Any]] = []
    summary: dict[str, Any] | None = None


@router.get("/export", response_model=ExportOut)
def get_export(journal: JournalDep, now: NowDep) -> dict[str, Any]:
    """Everything in the journal, deleted entries included, so a round trip is lossless."""
    return export_json(journal, now=now)


@router.get(
    "/export/{table}.csv",
    response_model=None,
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "One table as CSV"}},
)
def get_export_csv(
    table: Annotated[str, Path(max_length=40)], journal: JournalDep
) -> Response:
    """One table as CSV: products, medications, doses, checkins, intakes,
    withdrawal_checks, protocol_events or acknowledgements."""
    return Response(csv_text(journal, table), media_type="text/csv; charset=utf-8")


def csv_text(journal: Journal, table: str) -> str:
    if table not in CSV_TABLES:
        raise NotFoundError("table", f"{table!r} is not one of {', '.join(CSV_TABLES)}")
    return export_csv(journal, table)


class ImportOut(BaseModel):
    dry_run: bool
    added: dict[str, int]
    unchanged: dict[str, int]
    conflicts: list[str]
    profile: str
    total_added: int

    @classmethod
    def of(cls, plan: ImportPlan, *, dry_run: bool) -> ImportOut:
        return cls(
            dry_run=dry_run,
            added=dict(plan.added),
            unchanged=dict(plan.unchanged),
            conflicts=plan.conflicts,
            profile=plan.profile,
            total_added=plan.total_added,
        )


def run_import(
    journal: Journal, data: bytes, *, source: str, now: datetime, dry_run: bool
) -> ImportPlan:
    """Import (or preview) an export file's bytes; anything wrong is an InputError
    that says where, and then nothing was written."""
    if len(data) > MAX_IMPORT_BYTES:
        raise InputError(source, f"is larger than {MAX_IMPORT_BYTES // 2**20} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(source, "is not UTF-8 text") from None
    try:
        return import_json(journal, text, source=source, now=now, dry_run=dry_run)
    except RecursionError:
        raise InputError(source, "is nested too deeply to be an export") from None


IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": "A document from GET /export (or `kratom export`).",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["format", "version"],
                    "properties": {
                        "format": {"const": "kratom-journal"},
                        "version": {"const": 1},
                        "profile": {"type": "object"},
                        **{
                            table: {"type": "array", "items": {"type": "object"}}
                            for table in CSV_TABLES
                        },
                    },
                }
            }
        },
    }
}


@router.post(
    "/import",
    response_model=ImportOut,
    openapi_extra=IMPORT_BODY,
    max_body_size=UPLOAD_LIMIT,
)
async def post_import(
    request: Request,
    journal: JournalDep,
    now: NowDep,
    dry_run: Annotated[
        bool, Query(description="Only count what would change; write nothing.")
    ] = False,
) -> ImportOut:
    """Merge an export by id: adds what is new, never deletes or overwrites.
    Up to 20 MB; a bad document answers 422 saying where, and nothing is written."""
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_IMPORT_BYTES:
            raise InputError("body", f"is larger than {MAX_IMPORT_BYTES // 2**20} MB")
    plan = await run_in_threadpool(
        run_import, journal, bytes(data), source="body", now=now, dry_run=dry_run
    )
    return ImportOut.of(plan, dry_run=dry_run)
