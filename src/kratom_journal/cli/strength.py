"""A dose's strength and the day's leaf-equivalent total, as terminal lines."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kratom_journal.domain.strength import JudgedTotal
    from kratom_journal.services.product_checks import StrengthView


def _mg(value: Decimal) -> str:
    return f"{round(value, 2).normalize():f} mg"


def _g(value: Decimal) -> str:
    """Leaf equivalents are rough: whole grams from 10 g, one decimal below."""
    places = Decimal(1) if value >= 10 else Decimal("0.1")
    return f"{value.quantize(places).normalize():f} g"


def strength_line(view: StrengthView) -> str:
    """e.g. "Strength: 1350 mg mitragynine, 27 mg 7-OH (lab certificate); roughly
    68-135 g of leaf"."""
    parts = []
    if view.mitragynine_mg is not None:
        parts.append(f"{_mg(view.mitragynine_mg)} mitragynine")
    if view.seven_oh_mg is not None:
        parts.append(f"{_mg(view.seven_oh_mg)} 7-OH")
    text = ", ".join(parts) + " (lab certificate)" if parts else ""
    if view.unknown:
        unknown = "unknown, treated as stronger than leaf"
        text = f"{text}; {unknown}" if text else unknown
    elif view.leaf_low_g is not None and view.leaf_high_g is not None:
        low = _g(view.leaf_low_g).removesuffix(" g")
        text += f"; roughly {low}-{_g(view.leaf_high_g)} of leaf"
    return f"Strength: {text}"


def today_line(total_g: Decimal, cap_g: Decimal, judged: JudgedTotal | None) -> str:
    """Today's total against the daily cap; in leaf-equivalent grams when a
    stronger product was taken."""
    cap = f"{cap_g.normalize():f} g daily cap"
    grams = f"{total_g.normalize():f} g"
    if judged is None:
        return f"Today: {grams} of the {cap}"
    if judged.unjudged and judged.grams == 0:
        return (
            f"Today: {grams}; the {cap} cannot be judged: strength unknown for "
            + ", ".join(judged.unjudged)
        )
    over = "above the" if judged.grams > cap_g else "of the"
    line = f"Today: {grams}, about {_g(judged.grams)} leaf-equivalent, {over} {cap}"
    if judged.unjudged:
        line += (
            "; not counted, strength unknown (so the cap cannot be judged): "
            + ", ".join(judged.unjudged)
        )
    return line
