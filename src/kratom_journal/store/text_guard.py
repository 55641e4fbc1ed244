"""The last guard against a NUL character in stored text, on every backend.

The services refuse a NUL where they clean text, naming the field as the user
knows it. Anything that slips past them is stopped here, before the database sees
it: PostgreSQL would fail with an error that carries the row's values (health data)
into tracebacks and logs, and SQLite would store text no page can show. The field
named is the column's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, event

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.text import NUL, NUL_PROBLEM

# Bound parameters are named after their column, with a suffix when a statement
# binds the column more than once ("note_1", "note_m0").
_SUFFIX = re.compile(r"_(m?\d+)$")


def _refuse(params: Any, names: Sequence[str]) -> None:
    """Raise for the first text value with a NUL; `names` name positional values."""
    items = (
        params.items()
        if isinstance(params, Mapping)
        else zip(names or ["text"] * len(params), params, strict=False)
    )
    for name, value in items:
        if isinstance(value, str) and NUL in value:
            raise InputError(_SUFFIX.sub("", str(name)), NUL_PROBLEM)


def install(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _no_nul(
        _connection: Any,
        _cursor: Any,
        _statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        compiled = getattr(context, "compiled", None)
        # SQLite's parameters are positional; the compiled statement names them.
        names = list(getattr(compiled, "positiontup", None) or [])
        for params in parameters if executemany else [parameters]:
            if params:
                _refuse(params, names)
