"""The staff entry forms: rows of the suggestion box and paper surveys, how a refusal names
its row, and an English text for every word the staff entry pages show."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.datastructures import FormData

from services.intake import staff_web, staff_web_forms
from services.intake.staff_web_forms import (
    CHANNELS,
    MAX_ROWS,
    PLATFORMS,
    SLIP_FIELDS,
    STAFF_LABELS,
    box_opening_from_form,
    row_field,
    row_values,
    rows_in,
    staff_complaint_from_form,
)
from services.intake.staff_web_messages import MESSAGES as STAFF_MESSAGES
from services.intake.web_forms import KINDS, FormRefusedError
from shared.web.i18n import MESSAGES


def form(**fields: str) -> FormData:
    return FormData(list(fields.items()))


@pytest.mark.parametrize(
    ("fields", "rows"),
    [
        ({}, 5),
        ({"rows": "7"}, 7),
        ({"rows": "7", "action": "tambah"}, 12),
        ({"rows": "2"}, 5),  # never fewer than the page starts with
        ({"rows": "99999", "action": "tambah"}, MAX_ROWS),
        ({"rows": "-3"}, 5),
    ],
)
def test_rows_shown_grow_by_five_when_asked_within_bounds(
    fields: dict[str, str], rows: int
) -> None:
    assert rows_in(form(**fields), 5) == rows


def test_empty_rows_are_left_out_and_each_slip_remembers_its_row() -> None:
    typed = form(
        opened_on="2026-11-02",
        **{"slip-1-kind": "saran", "slip-1-text": "Kursi", "slip-3-kind": "keluhan"},
        **{"slip-3-text": "Kipas"},
    )
    body, rows_of = box_opening_from_form(typed, row_values(typed, "slip", SLIP_FIELDS, 5))
    assert [slip.text for slip in body.slips] == ["Kursi", "Kipas"]
    assert rows_of == [1, 3]


def test_a_refused_slip_is_named_by_the_row_it_was_typed_in() -> None:
    typed = form(opened_on="2026-11-02", **{"slip-1-kind": "saran", "slip-3-text": "Kipas"})
    with pytest.raises(FormRefusedError) as refused:
        box_opening_from_form(typed, row_values(typed, "slip", SLIP_FIELDS, 5))
    assert refused.value.errors == {"slip-1-text": "Wajib diisi", "slip-3-kind": "Wajib diisi"}
    assert row_field("slips.1.unit", [1, 3]) == "slip-3-unit"
    assert row_field("forms.0.service_date", [2]) == "form-2-service_date"
    assert row_field("opened_on", [2]) == "opened_on"


def test_platform_refusals_say_what_to_do_for_the_chosen_channel() -> None:
    base = {"kind": "keluhan", "text": "x"}
    with pytest.raises(FormRefusedError) as missing:
        staff_complaint_from_form(form(channel="media_sosial", **base))
    with pytest.raises(FormRefusedError) as extra:
        staff_complaint_from_form(form(channel="telepon", platform="email", **base))
    assert missing.value.errors == {"platform": staff_web_forms.PLATFORM_NEEDED}
    assert extra.value.errors == {"platform": staff_web_forms.PLATFORM_NOT_HERE}


def test_every_word_the_staff_entry_pages_show_has_an_english_text() -> None:
    shown: set[str] = set()
    for template in Path(staff_web.TEMPLATES).glob("*.html"):
        shown |= set(re.findall(r"t\('([^']+)'\)", template.read_text(encoding="utf-8")))
    shown |= set(STAFF_LABELS.values()) | {label for _, label in (*CHANNELS, *PLATFORMS)}
    shown |= {label for _, label, _ in KINDS}
    shown |= {"Kotak Masuk", "Catat", "Laporan", "Pengguna"}  # shared.web.staff.staff_nav
    shown |= {
        staff_web_forms.PLATFORM_NEEDED,
        staff_web_forms.PLATFORM_NOT_HERE,
        staff_web_forms.NO_SLIP,
        staff_web_forms.NO_FORM,
    }
    english = MESSAGES["en"].keys() | STAFF_MESSAGES["en"].keys()
    assert sorted(shown - english) == []
