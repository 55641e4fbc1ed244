"""The failures the program reports to a person, as one small exception tree.

JournalError
 +-- InputError          bad input: names the field and the problem (exit 2, HTTP 422)
 |    +-- NotFoundError  an id or name that matches nothing (exit 2, HTTP 404)
 +-- ConfirmationNeeded  allowed only with explicit confirmation (exit 1)
 +-- ChangedMeanwhile    an edit made from a view the entry has since left (HTTP 409)
 +-- Refused             a safety rule or the protocol refuses it now (exit 1)
 +-- SafetyCheckUnavailable  the knowledge could not be loaded; no answer (exit 1)
 +-- StoreError          the database could not be opened or migrated
"""

from __future__ import annotations


class JournalError(Exception):
    """Something went wrong that the person should be told about."""


class InputError(JournalError):
    """A value the person gave is not acceptable; nothing was written."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class NotFoundError(InputError):
    """An id, prefix or name matched no stored record."""


class ConfirmationNeeded(JournalError):
    """The action is allowed, but only when the person confirms it explicitly."""


class ChangedMeanwhile(JournalError):
    """An entry, product or profile changed after the person saw it: saving what
    they saw would undo that change, so nothing was saved. `current` is it now."""

    def __init__(self, current: object) -> None:
        super().__init__(
            "it was changed meanwhile (in another tab or on another device), so "
            "nothing was saved"
        )
        self.current = current


class StoreError(JournalError):
    """The database could not be opened, migrated or written."""


class SafetyCheckUnavailable(JournalError):
    """The knowledge base could not be loaded: the check refuses to answer (exit 1)."""


class Refused(JournalError):
    """A safety rule or the protocol refuses this step now (exit 1, HTTP 409)."""
