"""Products: the list with each product's flags and an add form; one product with its
lab certificate beside the knowledge base's limits, and an edit form."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from kratom_journal.domain.errors import ChangedMeanwhile, InputError
from kratom_journal.domain.products import LabCertificate, Product
from kratom_journal.services.journal import Journal
from kratom_journal.services.products import (
    ProductInput,
    add_product,
    edit_product,
    list_products,
    show_product,
)
from kratom_journal.services.versions import version_of
from kratom_journal.web import csrf
from kratom_journal.web.api.products import FORMS, Which, local_today, product_view
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.templating import redirect, render

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Field(max_length=200)]


class ProductFormIn(BaseModel):
    """The add and edit forms, as typed."""

    name: Text = ""
    form: Text = "leaf-powder"
    vendor: Text = ""
    strain: Text = ""
    batch: Text = ""
    tsp_grams: Text = ""
    capsule_grams: Text = ""
    mitragynine_pct: Text = ""
    seven_oh_pct: Text = ""
    total_alkaloids_pct: Text = ""
    seven_oh_mg_per_unit: Text = ""
    lead_ppm: Text = ""
    arsenic_ppm: Text = ""
    cadmium_ppm: Text = ""
    mercury_ppm: Text = ""
    microbial: Text = ""
    lab_name: Text = ""
    test_date: Text = ""
    # Edit form: the version_of the product it was filled from ("" on older pages).
    version: Annotated[str, Field(max_length=64)] = ""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, bool):
        return "pass" if value else "fail"
    return str(value)


def _values(product: Product) -> dict[str, str]:
    """A stored product as the edit form's typed values."""
    certificate = product.certificate or LabCertificate()
    values = {
        field: _text(getattr(certificate, field, None))
        for field in ProductFormIn.model_fields
    }
    values["microbial"] = _text(certificate.microbial_pass)
    for field in ("name", "vendor", "strain", "batch", "tsp_grams", "capsule_grams"):
        values[field] = _text(getattr(product, field))
    values["form"] = product.form.value
    return values


def _list_page(
    request: Request, journal: Journal, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    context = {
        "views": [product_view(journal, p) for p in list_products(journal)],
        "forms": FORMS,
        "values": {"form": "leaf-powder"},
        "error": None,
        **extra,
    }
    return render(request, "products.html", context, status_code=status_code)


def _product_page(
    request: Request,
    journal: Journal,
    product: Product,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    context = {
        "view": product_view(journal, product),
        "forms": FORMS,
        "values": _values(product),
        "error": None,
        "version": version_of(product),
        **extra,
    }
    return render(request, "product.html", context, status_code=status_code)


@router.get("/products", response_class=HTMLResponse)
def products_page(request: Request, journal: JournalDep) -> HTMLResponse:
    return _list_page(request, journal)


@router.post("/products", dependencies=[Depends(csrf.verify)])
def add_product_form(
    request: Request,
    journal: JournalDep,
    now: NowDep,
    typed: Annotated[ProductFormIn, Form()],
) -> Response:
    values = typed.model_dump(exclude={"version"})
    try:
        if not typed.name.strip():
            raise InputError("name", "is required, e.g. Red Bali")
        product = add_product(
            journal,
            ProductInput(**values),
            now=now,
            today=local_today(journal, now),
        )
    except InputError as error:
        return _list_page(request, journal, 422, values=values, error=error)
    return redirect(f"/products/{product.id}", f"Added {product.name}.")


@router.get("/products/{which}", response_class=HTMLResponse)
def product_page(request: Request, which: Which, journal: JournalDep) -> HTMLResponse:
    return _product_page(request, journal, show_product(journal, which))


@router.post("/products/{which}/edit", dependencies=[Depends(csrf.verify)])
def edit_product_form(
    request: Request,
    which: Which,
    journal: JournalDep,
    now: NowDep,
    typed: Annotated[ProductFormIn, Form()],
) -> Response:
    """Every field as typed: a blank one clears it (the name cannot be blank)."""
    values = typed.model_dump(exclude={"version"})
    product = show_product(journal, which)
    try:
        edited = edit_product(
            journal,
            str(product.id),
            ProductInput(**values),
            now=now,
            today=local_today(journal, now),
            expected=typed.version or None,
        )
    except ChangedMeanwhile as meanwhile:
        current = meanwhile.current
        assert isinstance(current, Product)
        message = (
            f"{current.name} was changed meanwhile, in another tab or on another "
            "device, so nothing was saved. Here it is as it is now; make your change "
            "again."
        )
        return _product_page(request, journal, current, 409, changed_meanwhile=message)
    except InputError as error:
        return _product_page(request, journal, product, 422, values=values, error=error)
    return redirect(f"/products/{edited.id}", f"Saved {edited.name}.")
