"""Editing a dose, check-in or other intake from History: a form filled in with the
entry; only the fields that were changed are saved."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from kratom_journal.domain.checkins import CheckIn
from kratom_journal.domain.doses import Dose
from kratom_journal.domain.errors import (
    ChangedMeanwhile,
    ConfirmationNeeded,
    InputError,
    NotFoundError,
)
from kratom_journal.domain.medications import Intake, IntakeKind
from kratom_journal.services.changes import EditInput, edit_entry, show_entry
from kratom_journal.services.journal import Journal
from kratom_journal.services.products import list_products
from kratom_journal.services.versions import check_version, version_of
from kratom_journal.web import csrf
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.pages.checkin import SCORES, CheckInForm, form_context
from kratom_journal.web.pages.history_common import (
    EntryId,
    entry_label,
    entry_time,
    safe_next,
)
from kratom_journal.web.templating import grams, local, redirect, render

router = APIRouter(include_in_schema=False)

AT_FORMAT = "%Y-%m-%d %H:%M"
STOMACH = ("empty", "light-meal", "full")


class EditForm(CheckInForm):
    """Every editable field of the three kinds; each kind's form sends its own."""

    amount: str = ""
    product: str = ""
    stomach: str = ""
    approx: bool = False
    confirm: bool = False
    name: str = ""
    intake_kind: str = ""
    next: str = ""
    # The version_of the entry the form was filled from; "" from an older page.
    version: str = ""


Entry = Dose | CheckIn | Intake


def editable(journal: Journal, entry_id: Any) -> Entry:
    record = show_entry(journal, str(entry_id))
    if not isinstance(record, Dose | CheckIn | Intake):
        raise NotFoundError(
            "id", "there is no dose, check-in or other intake with this id"
        )
    return record


def product_names(journal: Journal) -> dict[str, str]:
    return {str(p.id): p.name for p in list_products(journal)}


def form_of(record: Entry, products: dict[str, str]) -> EditForm:
    """The form filled in with what is stored."""
    at = local(entry_time(record), record.zone, AT_FORMAT)
    if isinstance(record, CheckIn):
        return EditForm(**CheckInForm.of(record).model_dump())
    if isinstance(record, Dose):
        return EditForm(
            amount=str(record.quantity),
            product=products.get(str(record.product_id), ""),
            stomach=record.stomach.value if record.stomach else "",
            approx=record.approximate,
            at=at,
            note=record.note or "",
        )
    assert isinstance(record, Intake)
    return EditForm(
        name=record.name,
        amount=record.amount_text or "",
        intake_kind=record.kind.value,
        at=at,
        note=record.note or "",
    )


def changed(record: Entry, form: EditForm, products: dict[str, str]) -> dict[str, Any]:
    """The EditInput fields whose typed value differs from the stored one."""
    before = form_of(record, products)
    names = {
        Dose: ("amount", "product", "stomach", "approx", "at", "note"),
        Intake: ("name", "amount", "intake_kind", "at", "note"),
        CheckIn: ("pain", "at", "note", *SCORES),
    }[type(record)]
    values: dict[str, Any] = {}
    for name in names:
        new, old = getattr(form, name), getattr(before, name)
        if isinstance(new, str):
            new, old = new.strip(), old.strip()
        if new != old:
            values["kind" if name == "intake_kind" else name] = new
    if isinstance(record, Dose) and "amount" in values and not values["amount"]:
        raise InputError("amount", "is required, e.g. 2 g")
    if isinstance(record, CheckIn):
        if not form.pain.strip():
            raise InputError("pain", "choose how much pain you have now, 0 to 10")
        if form.peg() != before.peg():
            values["peg"] = form.peg()
        if sorted(form.known()) != sorted(before.known()):
            values["side_effects"] = form.known()
        if sorted(form.others()) != sorted(before.others()):
            values["other_effects"] = form.others()
    return values


def _page(
    request: Request,
    record: Entry,
    form: EditForm,
    products: dict[str, str],
    error: InputError | None = None,
    confirm: str | None = None,
    status_code: int = 200,
    changed_meanwhile: str | None = None,
) -> HTMLResponse:
    form = form.model_copy(update={"version": version_of(record)})
    context = {
        **form_context(form, error),
        "record": record,
        "kind": type(record).__name__.lower(),
        "label": entry_label(record),
        "back": safe_next(form.next, "/history"),
        "products": sorted(products.values(), key=str.lower),
        "stomachs": STOMACH,
        "intake_kinds": [k.value for k in IntakeKind],
        "confirm": confirm,
        "changed_meanwhile": changed_meanwhile,
        "edit": True,
    }
    return render(request, "edit.html", context, status_code=status_code)


@router.get("/history/{entry_id}/edit", response_class=HTMLResponse)
def edit_page(
    request: Request,
    entry_id: EntryId,
    journal: JournalDep,
    next_url: Annotated[str, Query(alias="next", max_length=300)] = "",
) -> HTMLResponse:
    record = editable(journal, entry_id)
    products = product_names(journal)
    form = form_of(record, products).model_copy(update={"next": next_url})
    return _page(request, record, form, products)


@router.post("/history/{entry_id}/edit", dependencies=[Depends(csrf.verify)])
def edit_form(
    request: Request,
    entry_id: EntryId,
    journal: JournalDep,
    now: NowDep,
    form: Annotated[EditForm, Form()],
) -> Response:
    record = editable(journal, entry_id)
    products = product_names(journal)
    back = safe_next(form.next, "/history")
    expected = form.version or None
    try:
        # What the form shows is no longer stored: what it "changed" may be
        # someone else's change that it would undo.
        check_version(record, expected)
        values = changed(record, form, products)
        if not values:
            return redirect(back, "Nothing changed.", undo=False)
        edited = edit_entry(
            journal,
            str(entry_id),
            EditInput(confirm=form.confirm, **values),
            now=now,
            expected=expected,
        )
    except ChangedMeanwhile as meanwhile:
        current = meanwhile.current
        assert isinstance(current, Dose | CheckIn | Intake)
        fresh = form_of(current, products).model_copy(update={"next": form.next})
        message = (
            "This entry was changed meanwhile, in another tab or on another device, "
            "so nothing was saved. Here it is as it is now; make your change again."
        )
        return _page(
            request,
            current,
            fresh,
            products,
            status_code=409,
            changed_meanwhile=message,
        )
    except NotFoundError as error:
        if error.field == "id":
            raise
        return _page(request, record, form, products, error, status_code=422)
    except InputError as error:
        return _page(request, record, form, products, error, status_code=422)
    except ConfirmationNeeded as needed:
        message = str(needed).replace(
            "repeat the command with --confirm", "tick the box below and save again"
        )
        return _page(request, record, form, products, confirm=message, status_code=409)
    message = f"Saved the {entry_label(edited)}"
    if isinstance(edited, Dose):
        message += f": {grams(edited.grams)}"
    return redirect(back, message + ".")
