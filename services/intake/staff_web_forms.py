"""The staff entry forms (/konsol/catat/…): from the posted fields to the entry API's bodies,
and from a refusal to one Indonesian reason per form field.

The suggestion box and the paper surveys are tables of rows: a row's fields are named
``slip-<row>-<field>`` and ``form-<row>-<field>``, empty rows are left out, and a refusal of the
n-th item of the request body is named by the row it came from.
"""

from __future__ import annotations

import re
from typing import Any, Final

from pydantic import ValidationError
from starlette.datastructures import FormData

from services.intake.schemas import (
    BoxOpeningIn,
    PaperSurveysIn,
    StaffComplaintIn,
    SurveyFormIn,
)
from services.intake.web_forms import (
    COMPLAINT_FIELDS,
    FIELD_LABELS,
    SURVEY_ELEMENTS,
    FormRefusedError,
    field_errors,
    reason,
    reporter_identity,
    survey_from_values,
    typed_values,
)

CHANNELS: Final[tuple[tuple[str, str], ...]] = (
    ("langsung", "Langsung (ruang pengaduan)"),
    ("telepon", "Telepon"),
    ("buku_keluhan", "Buku keluhan"),
    ("media_sosial", "Media sosial / email"),
    ("lokmin", "Lokmin lintas sektor"),
)
# The SOP's social media (email, facebook, instagram, google review).
PLATFORMS: Final[tuple[tuple[str, str], ...]] = (
    ("email", "Email"),
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("google_review", "Google Review"),
    ("lainnya", "Lainnya"),
)
STAFF_COMPLAINT_FIELDS: Final = (
    "channel", "platform", "source_ref", "reported_on", *COMPLAINT_FIELDS,
)  # fmt: skip
BOX_FIELDS: Final = ("opened_on", "batch_id", "rows")
SLIP_FIELDS: Final = ("kind", "text", "unit")
PAPER_FIELDS: Final = ("batch_id", "rows")

STAFF_LABELS: Final[dict[str, str]] = {
    **FIELD_LABELS,
    "channel": "Kanal",
    "platform": "Platform",
    "source_ref": "Tautan atau akun",
    "reported_on": "Tanggal diterima",
    "opened_on": "Tanggal kotak saran dibuka",
    "batch_id": "Formulir",
    "rows": "Formulir",
}
PLATFORM_NEEDED = "Pilih platform untuk kanal media sosial"
PLATFORM_NOT_HERE = "Kosongkan: platform hanya untuk kanal media sosial"
NO_SLIP = "Isi paling sedikit satu slip"
NO_FORM = "Isi paling sedikit satu formulir"

SLIP_ROWS: Final = 5  # rows shown at first and added at each "tambah baris"
PAPER_ROWS: Final = 3
MAX_ROWS: Final = 500  # as many as the entry API takes in one request
_ITEM = re.compile(r"^(slips|forms)\.(\d+)\.(?:[a-z_]+\.)*([A-Za-z0-9_]+)$")


def staff_complaint_from_form(form: FormData) -> StaffComplaintIn:
    values = typed_values(form, STAFF_COMPLAINT_FIELDS)
    anonymous, identity = reporter_identity(values)
    body: dict[str, Any] = {
        "channel": values["channel"],
        "text": values["text"],
        "unit": values["unit"] or None,
        "anonymous": anonymous,
        "confidential": bool(values["confidential"]) and not anonymous,
        "reporter": identity or None,
        "platform": values["platform"] or None,
        "source_ref": values["source_ref"].strip() or None,
        "reported_on": values["reported_on"] or None,
    }
    if values["kind"]:
        body["kind"] = values["kind"]
    try:
        return StaffComplaintIn.model_validate(body)
    except ValidationError as exc:
        errors = field_errors(exc)
        if "platform" in errors:
            social = values["channel"] == "media_sosial"
            errors["platform"] = PLATFORM_NEEDED if social else PLATFORM_NOT_HERE
        raise FormRefusedError(errors) from None


def rows_in(form: FormData | None, initial: int) -> int:
    """How many rows the page shows: what it showed before, plus more when asked."""
    shown = str(form.get("rows") or "") if form is not None else ""
    rows = int(shown) if shown.isdigit() else initial
    if form is not None and form.get("action") == "tambah":
        rows += initial
    return max(initial, min(rows, MAX_ROWS))


def row_values(
    form: FormData, prefix: str, fields: tuple[str, ...], rows: int
) -> list[dict[str, str]]:
    """What was typed in each row, by the row's field names (``<prefix>-<row>-<field>``)."""
    return [
        {name: str(form.get(f"{prefix}-{row}-{name}") or "") for name in fields}
        for row in range(rows)
    ]


def flat_values(rows: list[dict[str, str]], prefix: str) -> dict[str, str]:
    """The rows as the page's field names, to fill the form again."""
    return {
        f"{prefix}-{row}-{name}": value
        for row, values in enumerate(rows)
        for name, value in values.items()
    }


def box_opening_from_form(
    form: FormData, rows: list[dict[str, str]]
) -> tuple[BoxOpeningIn, list[int]]:
    """The opening and, for each slip in it, the row it was typed in."""
    filled = [row for row, values in enumerate(rows) if any(v.strip() for v in values.values())]
    if not filled:
        raise FormRefusedError({"slip-0-text": NO_SLIP})
    body = {
        "opened_on": str(form.get("opened_on") or "") or None,
        "batch_id": str(form.get("batch_id") or "") or None,
        "slips": [
            {name: value for name, value in rows[row].items() if value or name == "text"}
            for row in filled
        ],
    }
    try:
        return BoxOpeningIn.model_validate(body), filled
    except ValidationError as exc:
        raise FormRefusedError(
            {row_field(field, filled): why for field, why in nested_errors(exc).items()}
        ) from None


def paper_surveys_from_form(
    form: FormData, rows: list[dict[str, str]]
) -> tuple[PaperSurveysIn, list[int]]:
    """The typed paper forms and, for each form in the request, the row it was typed in."""
    # The date alone does not make a form: the page may show it filled in already.
    filled = [
        row
        for row, values in enumerate(rows)
        if any(v.strip() for name, v in values.items() if name != "service_date")
    ]
    if not filled:
        raise FormRefusedError({"form-0-unit": NO_FORM})
    forms: list[SurveyFormIn] = []
    errors: dict[str, str] = {}
    for row in filled:
        try:
            forms.append(survey_from_values(rows[row]))
        except FormRefusedError as refused:
            errors.update({f"form-{row}-{name}": why for name, why in refused.errors.items()})
    if errors:
        raise FormRefusedError(errors)
    try:
        batch = PaperSurveysIn(batch_id=str(form.get("batch_id") or "") or None, forms=forms)
    except ValidationError as exc:
        raise FormRefusedError(field_errors(exc)) from None
    return batch, filled


def nested_errors(exc: ValidationError) -> dict[str, str]:
    """As field_errors, but a list item's field keeps its position (``slips.2.text``)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        why = reason(loc[-1] if loc else "form", error["type"], error.get("ctx") or {})
        errors.setdefault(".".join(loc) or "form", why)
    return errors


def row_field(field: str, rows_of: list[int]) -> str:
    """The page's name for a field of the request body: ``slips.1.unit`` → ``slip-3-unit``
    when the second slip was typed in the fourth row."""
    found = _ITEM.match(field)
    if found is None:
        return field
    items, position, name = found.group(1), int(found.group(2)), found.group(3)
    row = rows_of[position] if position < len(rows_of) else position
    return f"{items[:-1]}-{row}-{name}"


def row_labels(prefix: str, rows: int, fields: tuple[str, ...]) -> dict[str, str]:
    """How an error names a row's field: ``Baris 3 · Isi``, ``Formulir 2 · U4 Biaya/Tarif``."""
    word = "Baris" if prefix == "slip" else "Formulir"
    names = {**STAFF_LABELS, **{e.code: f"{e.code} {e.name}" for e in SURVEY_ELEMENTS}}
    return {
        f"{prefix}-{row}-{name}": f"{word} {row + 1} · {names.get(name, name)}"
        for row in range(rows)
        for name in fields
    }
