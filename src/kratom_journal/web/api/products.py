"""Products with calibration and lab certificate, each with its limit checks and findings:
GET/POST /products, GET/PATCH /products/{which}."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from kratom_journal.domain.errors import SafetyCheckUnavailable
from kratom_journal.domain.products import Product, ProductForm
from kratom_journal.domain.records import to_json
from kratom_journal.services.journal import Journal, parse_zone
from kratom_journal.services.product_checks import (
    ProductChecks,
    StrengthView,
    check_product,
)
from kratom_journal.services.products import (
    ProductInput,
    add_product,
    edit_product,
    list_products,
    show_product,
)
from kratom_journal.services.profiles import show_profile
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.schemas import ERRORS, FindingOut, Source

router = APIRouter(tags=["products"], responses=ERRORS)
FORMS = [form.value for form in ProductForm]

Which = Annotated[
    str,
    Path(
        min_length=1,
        max_length=200,
        description="The product's name (any case) or its id (at least 4 characters).",
    ),
]


class CertificateOut(BaseModel):
    mitragynine_pct: str | None
    seven_oh_pct: str | None
    total_alkaloids_pct: str | None = None
    seven_oh_mg_per_unit: str | None = None
    lead_ppm: str | None
    arsenic_ppm: str | None
    cadmium_ppm: str | None
    mercury_ppm: str | None
    microbial_pass: bool | None
    lab_name: str | None
    test_date: date | None


class ProductOut(BaseModel):
    id: str
    name: str
    created_at: datetime
    form: str
    vendor: str | None
    strain: str | None
    batch: str | None
    tsp_grams: str | None
    capsule_grams: str | None
    certificate: CertificateOut | None


class LimitCheckOut(BaseModel):
    name: str
    label: str
    measured: str | None
    limit: str | None
    unit: str
    status: Literal["within", "over", "pass", "fail", "not measured"]
    limits: list[str]
    note: str
    sources: list[Source]
    strict: bool = Field(
        default=False,
        description='The limit says "less than": a value equal to it is over it.',
    )


class LeafRangeOut(BaseModel):
    low: str | None
    high: str | None


class StrengthOut(BaseModel):
    """A dose's strength by its product's lab certificate, and a stronger product's
    dose as grams of plain leaf (a range; null for plain leaf)."""

    mitragynine_mg: str | None
    seven_oh_mg: str | None
    leaf_equivalent_g: LeafRangeOut | None
    strength_unknown: bool = Field(
        description="A product stronger than leaf (an extract) without a "
        "certificate's mitragynine %: caps cannot be judged for it."
    )

    @classmethod
    def of(cls, view: StrengthView | None) -> StrengthOut | None:
        return None if view is None else cls.model_validate(view.as_json())


class ProductViewOut(BaseModel):
    """A product with what its certificate says against the knowledge base's limits."""

    product: ProductOut
    findings: list[FindingOut]
    checks: list[LimitCheckOut]
    check_unavailable: str | None


class ProductListOut(BaseModel):
    products: list[ProductViewOut]


def _number(value: Any) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def product_view(journal: Journal, product: Product) -> ProductViewOut:
    """The product pages and the API show the same facts."""
    daily_cap = show_profile(journal).daily_cap_g
    try:
        result, unavailable = check_product(product, daily_cap_g=daily_cap), None
    except SafetyCheckUnavailable as error:
        result, unavailable = ProductChecks([], []), str(error)
    return ProductViewOut(
        product=ProductOut.model_validate(to_json(product)),
        findings=[FindingOut.of(f) for f in result.findings],
        checks=[
            LimitCheckOut(
                name=c.name,
                label=c.label,
                measured=_number(c.measured),
                limit=_number(c.limit),
                unit=c.unit,
                status=c.status,  # type: ignore[arg-type]
                limits=list(c.limits),
                note=c.note,
                strict=c.strict,
                sources=[
                    Source.model_validate(s, from_attributes=True) for s in c.sources
                ],
            )
            for c in result.checks
        ],
        check_unavailable=unavailable,
    )


def local_today(journal: Journal, now: datetime) -> date:
    """The person's calendar date (a certificate cannot be dated after it)."""
    return now.astimezone(parse_zone(show_profile(journal).timezone)).date()


Text = Annotated[str | None, Field(max_length=200)]
Number = Annotated[
    str | None,
    Field(max_length=40, description='As text, e.g. "1.5"; "" clears it.'),
]


class ProductFields(BaseModel):
    """Fields as text, as on the command line. Left out or null: unchanged (on PATCH);
    "" clears an optional field."""

    form: Annotated[
        str | None, Field(max_length=40, description=f"One of: {', '.join(FORMS)}.")
    ] = None
    vendor: Text = None
    strain: Text = None
    batch: Text = None
    tsp_grams: Annotated[
        str | None, Field(max_length=40, description="Grams per level teaspoon.")
    ] = None
    capsule_grams: Annotated[
        str | None, Field(max_length=40, description="Grams of powder per capsule.")
    ] = None
    mitragynine_pct: Number = None
    seven_oh_pct: Number = None
    total_alkaloids_pct: Number = None
    seven_oh_mg_per_unit: Number = None
    lead_ppm: Number = None
    arsenic_ppm: Number = None
    cadmium_ppm: Number = None
    mercury_ppm: Number = None
    microbial: Literal["pass", "fail", ""] | None = None
    lab_name: Text = None
    test_date: Annotated[
        str | None, Field(max_length=40, description="YYYY-MM-DD; not in the future.")
    ] = None

    def to_input(self, name: str | None) -> ProductInput:
        return ProductInput(name=name, **self.model_dump(exclude={"name"}))


class ProductIn(ProductFields):
    name: Annotated[str, Field(min_length=1, max_length=200, examples=["Red Bali"])]


class ProductPatch(ProductFields):
    name: Text = None


@router.get("/products", response_model=ProductListOut)
def get_products(journal: JournalDep) -> ProductListOut:
    """Every product with its lab certificate, limit checks and findings."""
    return ProductListOut(
        products=[product_view(journal, p) for p in list_products(journal)]
    )


@router.post("/products", response_model=ProductViewOut, status_code=201)
def post_product(entry: ProductIn, journal: JournalDep, now: NowDep) -> ProductViewOut:
    """Add a product; its name must be new. Answers with its limit checks and findings."""
    product = add_product(
        journal,
        entry.to_input(entry.name),
        now=now,
        today=local_today(journal, now),
    )
    return product_view(journal, product)


@router.get("/products/{which}", response_model=ProductViewOut)
def get_product(which: Which, journal: JournalDep) -> ProductViewOut:
    """One product by name or id, with its certificate beside each limit."""
    return product_view(journal, show_product(journal, which))


@router.patch("/products/{which}", response_model=ProductViewOut)
def patch_product(
    which: Which, entry: ProductPatch, journal: JournalDep, now: NowDep
) -> ProductViewOut:
    """Change the fields given; the others stay as they are."""
    product = edit_product(
        journal,
        which,
        entry.to_input(entry.name),
        now=now,
        today=local_today(journal, now),
    )
    return product_view(journal, product)
