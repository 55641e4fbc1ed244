"""Export downloads and import with a preview.

The preview must be what the confirmation imports. The uploaded bytes stay on the
server under a random token (a few at a time, for 30 minutes, each usable once);
the confirm form sends back only the token. Re-posting the file as a hidden field
would put up to 20 MB into the page and through a form field, so it is not done.
On confirmation the file is planned again, and imported only when the counts still
match the preview; otherwise the new preview is shown.
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from kratom_journal.domain.errors import InputError
from kratom_journal.services.journal import Journal
from kratom_journal.services.profiles import show_profile
from kratom_journal.services.transfer import SECTIONS, export_json
from kratom_journal.web import csrf
from kratom_journal.web.api.settings import (
    MAX_IMPORT_BYTES,
    ImportOut,
    csv_text,
    run_import,
)
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.limits import UPLOAD_LIMIT
from kratom_journal.web.templating import redirect, render

router = APIRouter(include_in_schema=False)

TABLE_LABELS = {
    "products": "Products",
    "medications": "Medications",
    "doses": "Doses",
    "checkins": "Check-ins",
    "intakes": "Other intake",
    "withdrawal_checks": "Withdrawal checks",
    "protocol_events": "Protocol steps",
    "acknowledgements": "Acknowledged findings",
}
KEEP_FOR = timedelta(minutes=30)
MAX_PENDING = 3


@dataclass(frozen=True)
class Pending:
    data: bytes
    source: str
    preview: ImportOut
    expires: datetime


class PendingImports:
    """Uploaded files waiting for confirmation, by random token."""

    def __init__(self) -> None:
        self._items: dict[str, Pending] = {}
        self._lock = threading.Lock()

    def put(self, pending: Pending, now: datetime) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            for key, item in list(self._items.items()):
                if item.expires <= now:
                    del self._items[key]
            while len(self._items) >= MAX_PENDING:  # forget the oldest
                del self._items[next(iter(self._items))]
            self._items[token] = pending
        return token

    def take(self, token: str, now: datetime) -> Pending | None:
        with self._lock:
            pending = self._items.pop(token, None)
        return pending if pending is not None and pending.expires > now else None


_create_lock = threading.Lock()


def pending_imports(request: Request) -> PendingImports:
    state = request.app.state
    with _create_lock:
        if getattr(state, "pending_imports", None) is None:
            state.pending_imports = PendingImports()
    store: PendingImports = state.pending_imports
    return store


def _download(text: str, media_type: str, filename: str) -> Response:
    return Response(
        text,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _stamp(journal: Journal, now: datetime) -> str:
    zone = ZoneInfo(show_profile(journal).timezone)
    return now.astimezone(zone).date().isoformat()


@router.get("/settings/export.json")
def export_json_download(journal: JournalDep, now: NowDep) -> Response:
    document = export_json(journal, now=now)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    name = f"kratom-journal-{_stamp(journal, now)}.json"
    return _download(text, "application/json", name)


@router.get("/settings/export/{table}.csv")
def export_csv_download(table: str, journal: JournalDep, now: NowDep) -> Response:
    text = csv_text(journal, table)
    name = f"kratom-journal-{table}-{_stamp(journal, now)}.csv"
    return _download(text, "text/csv; charset=utf-8", name)


def _rows(preview: ImportOut) -> list[dict[str, Any]]:
    """Counts per kind of entry in the file (kinds it does not hold are left out)."""
    problems = {section: 0 for section in SECTIONS.values()}
    for conflict in preview.conflicts:
        section = conflict.split("[", 1)[0]
        if section in problems:
            problems[section] += 1
    rows = [
        {
            "label": TABLE_LABELS[section],
            "new": preview.added.get(section, 0),
            "duplicates": preview.unchanged.get(section, 0),
            "problems": problems[section],
        }
        for section in SECTIONS.values()
    ]
    return [row for row in rows if row["new"] or row["duplicates"] or row["problems"]]


def _preview_page(
    request: Request,
    status_code: int = 200,
    *,
    pending: Pending | None = None,
    token: str | None = None,
    changed: bool = False,
    error: InputError | None = None,
) -> HTMLResponse:
    context = {
        "pending": pending,
        "token": token,
        "rows": [] if pending is None else _rows(pending.preview),
        "changed": changed,
        "error": error,
        "import_error": error,
        "max_mb": MAX_IMPORT_BYTES // 2**20,
    }
    return render(request, "import_preview.html", context, status_code=status_code)


def _refused(request: Request, problem: str) -> HTMLResponse:
    """The import page with the problem next to the file field; nothing written."""
    return _preview_page(request, 422, error=InputError("file", problem))


def _preview(journal: Journal, now: datetime, data: bytes, source: str) -> Pending:
    plan = run_import(journal, data, source=source, now=now, dry_run=True)
    return Pending(data, source, ImportOut.of(plan, dry_run=True), now + KEEP_FOR)


@router.post(
    "/settings/import",
    dependencies=[Depends(csrf.verify)],
    max_body_size=UPLOAD_LIMIT,
)
def import_preview(
    request: Request,
    journal: JournalDep,
    now: NowDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Plan the import of an uploaded export and show what it would add."""
    if file is None or not file.filename:
        return _refused(request, "choose an export file (.json) first")
    source = file.filename[:120]
    data = file.file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        return _refused(
            request, f"{source} is larger than {MAX_IMPORT_BYTES // 2**20} MB"
        )
    try:
        pending = _preview(journal, now, data, source)
    except InputError as error:  # names the file and the place in it
        return _refused(request, str(error))
    token = pending_imports(request).put(pending, now)
    return _preview_page(request, pending=pending, token=token)


@router.post("/settings/import/confirm", dependencies=[Depends(csrf.verify)])
def import_confirm(
    request: Request,
    journal: JournalDep,
    now: NowDep,
    token: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Import the previewed file, if it would still do exactly what was shown."""
    store = pending_imports(request)
    pending = store.take(token, now)
    if pending is None:
        return _refused(
            request,
            "this preview has expired or was already used; choose the file again",
        )
    try:
        again = _preview(journal, now, pending.data, pending.source)
    except InputError as error:  # the journal changed so that the file no longer fits
        return _refused(request, str(error))
    if again.preview != pending.preview:
        token = store.put(again, now)
        return _preview_page(request, 409, pending=again, token=token, changed=True)
    plan = run_import(
        journal, pending.data, source=pending.source, now=now, dry_run=False
    )
    added = plan.total_added
    message = f"Imported {added} new {'entry' if added == 1 else 'entries'}"
    if plan.new_profile is not None:
        message += " and the profile"
    return redirect("/settings", f"{message} from {pending.source}.")
