"""Server logs without health data: an unexpected error is logged with its type and
where it happened, never with its message, which may quote what a person entered
(a note, a medication name, a row a database refused)."""

from __future__ import annotations

import logging
import traceback

# uvicorn logs "Exception in ASGI application" with the traceback here.
ERROR_LOGGER = "uvicorn.error"
WITHHELD = "(message withheld: it may hold health data)"


class WithholdErrorMessages(logging.Filter):
    """Replaces a record's exception by its traceback without messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = describe(record.exc_info[1])
            record.exc_info = None
        return True


def describe(error: BaseException) -> str:
    """The traceback of `error` and the errors it came from, messages left out."""
    parts: list[str] = []
    current: BaseException | None = error
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        lines = [
            "Traceback (most recent call last):\n",
            *traceback.format_tb(current.__traceback__),
            f"{kind.__module__}.{kind.__qualname__} {WITHHELD}",
        ]
        parts.insert(0, "".join(lines))
        if current.__cause__ is not None:
            current = current.__cause__
        elif current.__suppress_context__:
            current = None
        else:
            current = current.__context__
    return "\n\nThen, while handling it:\n\n".join(parts)


def withhold_error_messages() -> None:
    """Install the filter on uvicorn's error logger (once)."""
    logger = logging.getLogger(ERROR_LOGGER)
    if not any(isinstance(f, WithholdErrorMessages) for f in logger.filters):
        logger.addFilter(WithholdErrorMessages())
