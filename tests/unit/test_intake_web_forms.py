"""The portal's forms: posted fields to intake's bodies, refusals to Indonesian reasons per field,
and an English text for every word the portal shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.datastructures import FormData

from services.intake import web, web_views
from services.intake.domain.progress import STATUS_LABELS
from services.intake.web_forms import (
    EDUCATION,
    FIELD_LABELS,
    KINDS,
    SURVEY_ELEMENTS,
    FormRefusedError,
    complaint_from_form,
    survey_from_form,
)
from shared.web import forms
from shared.web.i18n import MESSAGES

TEMPLATES = Path(web.__file__).resolve().parent / "templates"


def form(**fields: str) -> FormData:
    return FormData(list(fields.items()))


def test_identity_fields_become_the_reporter_and_blanks_are_left_out() -> None:
    body = complaint_from_form(
        "MDRJ1", form(kind="saran", text=" Tambah kursi ", unit="", name="Siti", phone=" ")
    )
    assert (body.kind, body.text, body.unit, body.anonymous) == (
        "saran",
        "Tambah kursi",
        None,
        False,
    )
    assert body.reporter is not None and body.reporter.name == "Siti"
    assert body.reporter.phone is None


def test_anonymous_with_identity_is_refused_on_the_anonymous_field() -> None:
    with pytest.raises(FormRefusedError) as refused:
        complaint_from_form("MDRJ1", form(kind="saran", text="x", anonymous="1", phone="0812"))
    assert list(refused.value.errors) == ["anonymous"]


def test_confidential_means_nothing_for_an_anonymous_complaint() -> None:
    body = complaint_from_form(
        "MDRJ1", form(kind="saran", text="x", anonymous="1", confidential="1")
    )
    assert (body.anonymous, body.confidential, body.reporter) == (True, False, None)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"text": "x"}, {"kind": "Wajib diisi"}),
        ({"kind": "keluhan", "text": ""}, {"text": "Wajib diisi"}),
        ({"kind": "keluhan", "text": "x" * 5001}, {"text": "Paling banyak 5000 karakter"}),
        (
            {"kind": "keluhan", "text": "x", "phone": "12345"},
            {"phone": "Nomor HP tidak valid. Contoh: 081234567890"},
        ),
        (
            {"kind": "keluhan", "text": "x", "email": "siti@"},
            {"email": "Alamat email tidak valid. Contoh: nama@contoh.id"},
        ),
    ],
)
def test_complaint_refusals_name_the_form_field_in_indonesian(
    fields: dict[str, str], errors: dict[str, str]
) -> None:
    with pytest.raises(FormRefusedError) as refused:
        complaint_from_form("MDRJ1", form(**fields))
    assert refused.value.errors == errors


def test_survey_refusals_name_each_element_and_profile_field() -> None:
    answers = {f"U{i}": "4" for i in range(1, 9)}  # U9 left out
    profile = {"sex": "X", "age": "abc", "education": "sma", "occupation": "Petani"}
    with pytest.raises(FormRefusedError) as refused:
        survey_from_form(form(unit="farmasi", **{**answers, "U2": "5"}, **profile))
    assert refused.value.errors == {
        "U9": "Pilih salah satu jawaban",
        "U2": "Paling besar 4",
        "sex": "Pilih salah satu pilihan yang tersedia",
        "age": "Harus berupa angka",
    }


def test_survey_form_becomes_answers_and_respondent() -> None:
    answers = {f"U{i}": str(1 + i % 4) for i in range(1, 10)}
    profile = {"sex": "L", "age": "52", "education": "sd", "occupation": "Nelayan"}
    body = survey_from_form(
        form(unit="ugd", service_date="2026-11-02", suggestion=" ", **answers, **profile)
    )
    assert body.answers.U1 == 2 and body.answers.U4 == 1
    assert (body.respondent.age, body.respondent.sex) == (52, "L")
    assert (str(body.service_date), body.suggestion) == ("2026-11-02", None)


def test_elements_follow_the_regulation_order_with_four_labels_each() -> None:
    assert [element.code for element in SURVEY_ELEMENTS] == [f"U{i}" for i in range(1, 10)]
    assert SURVEY_ELEMENTS[3].scale == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")


def test_every_word_the_portal_shows_has_an_english_text() -> None:
    shown: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        shown |= set(re.findall(r"t\('([^']+)'\)", template.read_text(encoding="utf-8")))
    shown |= set(FIELD_LABELS.values()) | set(STATUS_LABELS.values())
    shown |= {text for _, label, hint in KINDS for text in (label, hint)}
    shown |= {label for _, label in EDUCATION}
    for element in SURVEY_ELEMENTS:
        shown |= {element.name, element.question, *element.scale}
    shown |= {forms.FORM_EXPIRED, forms.CHECK_FIELDS, web_views.BUSY}
    shown |= {web_views.TOO_MANY, web_views.NOT_MATCHING}
    assert sorted(shown - MESSAGES["en"].keys()) == []
