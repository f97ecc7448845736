"""The public portal's HTML forms: from the posted fields to intake's request bodies, and from
a refusal to one Indonesian message per form field (the page shows it beside the field and keeps
what was typed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from services.intake.schemas import ComplaintIn, SurveyFormIn

M = TypeVar("M", bound=BaseModel)

COMPLAINT_FIELDS: Final = (
    "kind", "unit", "text", "anonymous", "confidential", "name", "phone", "email",
)  # fmt: skip
SURVEY_FIELDS: Final = (
    "unit", "service_date", *(f"U{i}" for i in range(1, 10)),
    "sex", "age", "education", "occupation", "suggestion",
)  # fmt: skip

# The label each field has on the page: an error names the field the way the reader sees it.
FIELD_LABELS: Final[dict[str, str]] = {
    "clinic": "Puskesmas",
    "kind": "Jenis",
    "unit": "Unit layanan",
    "text": "Isi",
    "anonymous": "Anonim",
    "confidential": "Rahasiakan identitas",
    "name": "Nama",
    "phone": "Nomor HP",
    "email": "Email",
    "service_date": "Tanggal pelayanan",
    "sex": "Jenis kelamin",
    "age": "Umur",
    "education": "Pendidikan terakhir",
    "occupation": "Pekerjaan",
    "suggestion": "Saran",
    "tracking_number": "Nomor pelacakan",
    "pin": "PIN",
    "form": "Formulir",
}

KINDS: Final[tuple[tuple[str, str, str], ...]] = (
    ("keluhan", "Keluhan", "Ada layanan yang mengecewakan"),
    ("saran", "Saran", "Usul untuk perbaikan layanan"),
    ("pujian", "Pujian", "Layanan yang memuaskan"),
    ("pertanyaan", "Pertanyaan", "Hal yang ingin Anda tanyakan"),
)


@dataclass(frozen=True, slots=True)
class SurveyElement:
    code: str
    name: str
    question: str
    scale: tuple[str, str, str, str]  # the labels of answers 1, 2, 3 and 4


# PermenPAN-RB 14/2017: the nine elements, their questions and answer labels, in this order.
SURVEY_ELEMENTS: Final[tuple[SurveyElement, ...]] = (
    SurveyElement(
        "U1", "Persyaratan",
        "Kesesuaian persyaratan pelayanan dengan jenis pelayanannya",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    SurveyElement(
        "U2", "Sistem, Mekanisme dan Prosedur",
        "Kemudahan prosedur pelayanan di unit ini",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    SurveyElement(
        "U3", "Waktu Penyelesaian",
        "Kecepatan waktu dalam memberikan pelayanan",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    SurveyElement(
        "U4", "Biaya/Tarif",
        "Kewajaran biaya/tarif dalam pelayanan",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    SurveyElement(
        "U5", "Produk Spesifikasi Jenis Pelayanan",
        "Kesesuaian hasil pelayanan dengan yang tercantum dalam standar pelayanan",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    SurveyElement(
        "U6", "Kompetensi Pelaksana",
        "Kompetensi/kemampuan petugas dalam pelayanan",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    SurveyElement(
        "U7", "Perilaku Pelaksana",
        "Kesopanan dan keramahan petugas dalam pelayanan",
        ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
         "Sangat sopan dan ramah"),
    ),
    SurveyElement(
        "U8", "Penanganan Pengaduan, Saran dan Masukan",
        "Penanganan pengaduan pengguna layanan",
        ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
         "Dikelola dengan baik"),
    ),
    SurveyElement(
        "U9", "Sarana dan Prasarana",
        "Kualitas sarana dan prasarana",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
    ),
)  # fmt: skip

EDUCATION: Final[tuple[tuple[str, str], ...]] = (
    ("tidak_sekolah", "Tidak sekolah"),
    ("sd", "SD"),
    ("smp", "SMP"),
    ("sma", "SMA/SMK"),
    ("d1_d3", "D1–D3"),
    ("d4_s1", "D4/S1"),
    ("s2_keatas", "S2 ke atas"),
)
OCCUPATIONS: Final = (
    "PNS/TNI/Polri", "Pegawai swasta", "Wiraswasta", "Petani", "Nelayan", "Buruh",
    "Pelajar/Mahasiswa", "Ibu rumah tangga", "Tidak bekerja", "Lainnya",
)  # fmt: skip

IDENTITY_WITH_ANONYMOUS = "Kosongkan nama, nomor HP dan email bila ingin anonim"
REQUIRED = "Wajib diisi"


class FormRefusedError(Exception):
    """The form's fields, each refused one with the reason (Indonesian)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def typed_values(form: FormData, fields: tuple[str, ...]) -> dict[str, str]:
    """What the reader typed, to show again when the form comes back refused."""
    return {name: str(form.get(name) or "") for name in fields}


def reporter_identity(values: dict[str, str]) -> tuple[bool, dict[str, str]]:
    """Whether the reporter chose anonymity, and the identity fields they filled in."""
    anonymous = bool(values["anonymous"])
    identity = {k: values[k].strip() for k in ("name", "phone", "email") if values[k].strip()}
    if anonymous and identity:
        raise FormRefusedError({"anonymous": IDENTITY_WITH_ANONYMOUS})
    return anonymous, identity


def complaint_from_form(clinic: str, form: FormData) -> ComplaintIn:
    values = typed_values(form, COMPLAINT_FIELDS)
    anonymous, identity = reporter_identity(values)
    body: dict[str, Any] = {
        "clinic": clinic,
        "text": values["text"],
        "unit": values["unit"] or None,
        "anonymous": anonymous,
        "confidential": bool(values["confidential"]) and not anonymous,
        "reporter": identity or None,
    }
    if values["kind"]:
        body["kind"] = values["kind"]
    return _validated(ComplaintIn, body)


def survey_from_form(form: FormData) -> SurveyFormIn:
    return survey_from_values(typed_values(form, SURVEY_FIELDS))


def survey_from_values(values: dict[str, str]) -> SurveyFormIn:
    """One survey form from its typed fields (named as in SURVEY_FIELDS)."""
    answers = {e.code: values[e.code] for e in SURVEY_ELEMENTS if values[e.code]}
    respondent = {k: values[k] for k in ("sex", "age", "education", "occupation") if values[k]}
    body: dict[str, Any] = {
        "unit": values["unit"],
        "answers": answers,
        "respondent": respondent,
        "suggestion": values["suggestion"].strip() or None,
    }
    if values["service_date"]:
        body["service_date"] = values["service_date"]
    return _validated(SurveyFormIn, body)


def _validated(model: type[M], body: dict[str, Any]) -> M:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise FormRefusedError(field_errors(exc)) from None


def field_errors(exc: ValidationError) -> dict[str, str]:
    """One Indonesian reason per form field (the first one pydantic found)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = error.get("loc", ())
        field = str(loc[-1]) if loc else "form"
        errors.setdefault(field, reason(field, error["type"], error.get("ctx") or {}))
    return errors


def reason(field: str, error_type: str, ctx: dict[str, Any]) -> str:
    if field.startswith("U") and error_type in ("missing", "int_parsing", "literal_error"):
        return "Pilih salah satu jawaban"
    if error_type == "missing" or (error_type == "string_too_short" and ctx.get("min_length") == 1):
        return REQUIRED
    if field == "phone":
        return "Nomor HP tidak valid. Contoh: 081234567890"
    if field == "email":
        return "Alamat email tidak valid. Contoh: nama@contoh.id"
    by_type = {
        "string_too_short": f"Paling sedikit {ctx.get('min_length')} karakter",
        "string_too_long": f"Paling banyak {ctx.get('max_length')} karakter",
        "literal_error": "Pilih salah satu pilihan yang tersedia",
        "int_parsing": "Harus berupa angka",
        "greater_than_equal": f"Paling kecil {ctx.get('ge')}",
        "less_than_equal": f"Paling besar {ctx.get('le')}",
        "date_parsing": "Tanggal tidak valid",
        "date_from_datetime_parsing": "Tanggal tidak valid",
    }
    return by_type.get(error_type, "Isian tidak valid")
