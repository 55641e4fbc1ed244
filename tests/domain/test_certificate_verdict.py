"""One certificate verdict: every limit a certificate is over (the report's flags)
is a finding of `certificate_verdict` (what check and product show say), and no
finding without a flag."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from kratom_journal.domain.product_rules import certificate_verdict
from kratom_journal.domain.products import LabCertificate
from kratom_journal.knowledge.loader import load_knowledge
from kratom_journal.services.product_checks import limit_checks
from tests.domain.test_safety_rules import product

PPM = ("0.05", "0.4", "0.5", "0.6", "1.2", "3")
CAPS = (Decimal(5), Decimal(10), Decimal(20))


def flag_rule(name: str) -> str:
    """The finding that states a flagged limit check."""
    if name.endswith("-per-day"):
        return f"product:{name.removesuffix('-per-day')}-at-daily-cap"
    return f"product:{name}" if name.endswith("-ppm") else "product:microbial-fail"


@pytest.mark.parametrize(
    ("lead", "cadmium", "microbial", "cap"),
    list(itertools.product(PPM, ("0.1", "0.6"), (True, False), CAPS)),
)
def test_flags_and_findings_agree(
    lead: str, cadmium: str, microbial: bool, cap: Decimal
) -> None:
    facts = load_knowledge()
    item = product(
        certificate=LabCertificate(
            lead_ppm=Decimal(lead),
            cadmium_ppm=Decimal(cadmium),
            microbial_pass=microbial,
        )
    )
    flagged = {
        flag_rule(check.name)
        for check in limit_checks(item, facts, daily_cap_g=cap)
        if check.status in ("over", "fail") and not check.name.startswith("seven-oh")
    }
    found = {
        f.rule
        for f in certificate_verdict(item, facts, daily_cap_g=cap)
        if f.rule != "product:no-certificate"
    }
    assert found == flagged
