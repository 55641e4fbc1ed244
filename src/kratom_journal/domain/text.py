"""Text that can be stored faithfully: no NUL characters.

PostgreSQL refuses a NUL (U+0000) in any text value and SQLite would keep one that
no page or export can show, so it is bad input on every backend, named by its field.
"""

from __future__ import annotations

from kratom_journal.domain.errors import InputError

NUL = "\x00"
NUL_PROBLEM = "contains a NUL character (\\0), which cannot be stored; remove it"


def refuse_nul(text: str, field: str) -> str:
    """`text` unchanged, or InputError naming `field` if it holds a NUL."""
    if NUL in text:
        raise InputError(field, NUL_PROBLEM)
    return text
