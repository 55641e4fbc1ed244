"""API: entries."""

from __future__ import annotations

from fastapi import APIRouter

from kratom_journal.web.schemas import ERRORS

router = APIRouter(tags=["entries"], responses=ERRORS)
