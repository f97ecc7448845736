"""The complaint page's forms: from the posted fields to the staff API's own request bodies
(``api_schemas``, validated by the same models), and from a refusal to one Indonesian reason per
form field."""

from __future__ import annotations

from typing import Any, Final

from pydantic import ValidationError
from starlette.datastructures import FormData

from services.triage.api_schemas import Command
from services.triage.commands import COMMANDS

# The fields of each command's form, as the page names them.
FORM_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "triage": ("kind", "category", "unit", "urgent"),
    "assign": ("assignee",),
    "plan": ("actions", "owner", "due_date", "made_by"),
    "progress": (),
    "escalate": ("reason",),
    "wait": ("question",),
    "reply": ("text", "publish_on_board"),
    "close": ("reason", "satisfied"),
    "reopen": ("reason",),
    "reject": ("reason",),
}
FIELD_LABELS: Final[dict[str, str]] = {
    "kind": "Jenis",
    "category": "Kategori",
    "unit": "Unit",
    "urgent": "Segera",
    "assignee": "Petugas",
    "actions": "Tindakan",
    "owner": "Penanggung jawab",
    "due_date": "Batas waktu",
    "made_by": "Dibuat oleh",
    "reason": "Alasan",
    "question": "Pertanyaan untuk pelapor",
    "text": "Jawaban",
    "publish_on_board": "Tampilkan di papan tanggapan",
    "satisfied": "Pelapor puas",
    "version": "Versi",
    "status": "Status",
}
REQUIRED = "Wajib diisi"


class CommandFormError(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def typed(form: FormData, command: str) -> dict[str, str]:
    """What was typed in the command's form, to show again when it is refused."""
    values = {}
    for name in FORM_FIELDS[command]:
        value = form.get(name)
        values[name] = value[:4000] if isinstance(value, str) else ""
    return values


def body_from_form(command: str, form: FormData) -> Command:
    values = typed(form, command)
    body: dict[str, Any] = {"version": str(form.get("version") or "")}
    for name, value in values.items():
        if name in ("urgent", "publish_on_board"):
            body[name] = bool(value)
        elif name == "actions":
            body[name] = [line.strip() for line in value.splitlines() if line.strip()]
        elif name == "satisfied":
            body[name] = {"1": True, "0": False}.get(value)
        elif value.strip():
            body[name] = value.strip()
    try:
        return COMMANDS[command].body.model_validate(body)
    except ValidationError as exc:
        raise CommandFormError(field_errors(exc)) from None


def field_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = error.get("loc", ())
        name = str(loc[0]) if loc else "form"
        errors.setdefault(name, _reason(error["type"], error.get("ctx") or {}))
    return errors


def _reason(error_type: str, ctx: dict[str, Any]) -> str:
    if error_type in ("missing", "too_short") or (
        error_type == "string_too_short" and ctx.get("min_length") == 1
    ):
        return REQUIRED
    by_type = {
        "string_too_short": f"Paling sedikit {ctx.get('min_length')} karakter",
        "string_too_long": f"Paling banyak {ctx.get('max_length')} karakter",
        "too_long": f"Paling banyak {ctx.get('max_length')} baris",
        "enum": "Pilih salah satu pilihan yang tersedia",
        "literal_error": "Pilih salah satu pilihan yang tersedia",
        "int_parsing": "Muat ulang halaman lalu ulangi",
        "greater_than_equal": "Muat ulang halaman lalu ulangi",
        "date_parsing": "Tanggal tidak valid",
        "date_from_datetime_parsing": "Tanggal tidak valid",
    }
    return by_type.get(error_type, "Isian tidak valid")
