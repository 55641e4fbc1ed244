"""What the History pages share: their links, safe redirect targets, entry names."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit
from uuid import UUID

from fastapi import Path

from kratom_journal.domain.doses import Dose
from kratom_journal.domain.records import kind_of
from kratom_journal.web.api.entry_changes import THINGS
from kratom_journal.web.templating import local

EntryId = Annotated[UUID, Path(description="The entry's full id")]


def history_url(days: int = 7, kind: str = "all") -> str:
    query = {k: v for k, v in (("days", days), ("kind", kind)) if v not in (7, "all")}
    return "/history" + (f"?{urlencode(query)}" if query else "")


def safe_next(url: str, default: str) -> str:
    """`url` if it is a path on this app, else `default`: never an open redirect."""
    parts = urlsplit(url)
    local_path = (
        url.startswith("/")
        and not url.startswith("//")
        and not parts.scheme
        and not parts.netloc
        and len(url) <= 300
        and url.isprintable()
        and "\\" not in url
        and " " not in url
    )
    return url if local_path else default


def entry_time(record: Any) -> Any:
    return record.taken_at if isinstance(record, Dose) else record.at


def entry_label(record: Any) -> str:
    """ "dose of Sun 22 Nov 15:00" for headings and messages."""
    when = local(entry_time(record), record.zone, "%a %d %b %H:%M")
    return f"{THINGS.get(kind_of(record), 'entry')} of {when}"
