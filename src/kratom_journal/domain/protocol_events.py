"""A protocol event: one fact in a titration, taper or trial, stored as it happened.

Protocols are folded from their events, so a restart (or a replay) ends exactly
where the person was; undo removes the last event like any other entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class Protocol(StrEnum):
    TITRATION = "titration"
    TAPER = "taper"
    TRIAL = "trial"


@dataclass(frozen=True)
class ProtocolEvent:
    id: UUID
    owner_id: UUID
    protocol: Protocol
    session_id: UUID
    seq: int  # order within the session
    at: datetime  # when it happened (a dose's or check-in's time)
    kind: str
    created_at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)  # plain JSON values
    deleted_at: datetime | None = None
