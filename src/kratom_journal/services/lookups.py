"""Finding records by the short ids people type, and products by name."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kratom_journal.domain.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from kratom_journal.domain.products import Product
    from kratom_journal.domain.records import Record
    from kratom_journal.store.repository import Repository

_HEX = re.compile(r"^[0-9a-f-]+$")
MIN_PREFIX = 4


def find_record(repo: Repository, text: str) -> Record:
    """A live record whose id starts with `text` (at least 4 hex digits)."""
    prefix = text.strip().lower()
    if not _HEX.match(prefix) or len(prefix.replace("-", "")) < MIN_PREFIX:
        raise InputError(
            "id",
            f"{text!r} is not an id; give at least {MIN_PREFIX} characters "
            "of the id shown by `kratom history`",
        )
    matches = repo.find_by_prefix(prefix)
    if not matches:
        raise NotFoundError("id", f"no entry has an id starting with {text!r}")
    if len(matches) > 1:
        raise InputError(
            "id", f"{text!r} matches {len(matches)} entries; give more characters"
        )
    return matches[0]


def find_product(repo: Repository, text: str) -> Product:
    """A product by exact name (any case) or by id prefix."""
    wanted = " ".join(text.split()).lower()
    products = repo.products()
    by_name = [product for product in products if product.name.lower() == wanted]
    if len(by_name) == 1:
        return by_name[0]
    by_id = [product for product in products if str(product.id).startswith(wanted)]
    if len(wanted) >= MIN_PREFIX and len(by_id) == 1:
        return by_id[0]
    names = ", ".join(product.name for product in products) or "none yet"
    raise NotFoundError(
        "product",
        f"no product named {text!r}; known: {names} (add one with `kratom product add`)",
    )
