"""The register (buku rekapan) as the SOP keeps it, with the reporter always masked.

SPEC §3: identities are masked in every list and export; a ``rahasia`` reporter is never shown,
not even masked; an ``anonim`` one was never stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any, Final

from shared import labels as shared_labels

STATUS_LABELS: Final[dict[str, str]] = {
    "received": "Diterima",
    "triaged": "Diverifikasi",
    "planned": "Direncanakan (RTL)",
    "in_progress": "Ditindaklanjuti",
    "escalated": "Dieskalasi ke Kepala Puskesmas",
    "waiting_reporter": "Menunggu pelapor",
    "responded": "Dijawab",
    "closed": "Selesai",
    "reopened": "Dibuka kembali",
    "rejected": "Ditolak",
}
# The register names the web channel as the SOP's book does.
CHANNEL_LABELS: Final[dict[str, str]] = {**shared_labels.CHANNEL_LABELS, "web": "Formulir web"}
KIND_LABELS: Final = shared_labels.KIND_LABELS
ANONYMOUS: Final = "Anonim"
CONFIDENTIAL: Final = "Dirahasiakan"
REGISTER_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("no", "No"),
    ("date", "Tanggal"),
    ("tracking_number", "Nomor tiket"),
    ("channel", "Kanal"),
    ("kind", "Jenis"),
    ("reporter", "Pelapor"),
    ("content", "Isi"),
    ("category", "Kategori"),
    ("unit", "Unit"),
    ("plan", "Rencana tindak lanjut"),
    ("plan_date", "Target RTL"),
    ("reply", "Tanggapan"),
    ("reply_date", "Tanggal tanggapan"),
    ("status", "Status"),
)
_PHONE: Final = re.compile(r"\+?[0-9][0-9 \-]{7,16}[0-9]")
_EMAIL: Final = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


def mask_name(name: str) -> str:
    """ "Budi Santoso" → "B*** S***": enough for the team to recognise, not to identify."""
    return " ".join(f"{word[0]}***" for word in name.split() if word)


def mask_phone(phone: str) -> str:
    digits = re.sub(r"[^0-9+]", "", phone)
    return f"{digits[:5]}****{digits[-3:]}" if len(digits) > 8 else "***"


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_contacts(text: str) -> str:
    """Phone numbers and e-mail addresses inside free text, masked."""
    text = _EMAIL.sub(lambda match: mask_email(match.group(0)), text)
    return _PHONE.sub(lambda match: mask_phone(match.group(0)), text)


def mask_own_name(text: str, reporter: Mapping[str, Any] | None) -> str:
    """The reporter's own name where the text repeats it ("saya Siti Aminah" → "saya S***
    A***"); words under three letters stay, they identify nobody and are often common words."""
    name = str((reporter or {}).get("name") or "")
    for word in sorted({w for w in name.split() if len(w) >= 3}, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
        text = pattern.sub(lambda match: mask_name(match.group(0)), text)
    return text


def mask_reporter(identity: str | None, reporter: Mapping[str, Any] | None) -> str:
    """The one form of a reporter reporting ever keeps."""
    if identity == "anonim" or not reporter:
        return ANONYMOUS
    if identity == "rahasia":
        return CONFIDENTIAL
    parts = [
        mask_name(str(reporter["name"])) if reporter.get("name") else None,
        mask_phone(str(reporter["phone"])) if reporter.get("phone") else None,
        mask_email(str(reporter["email"])) if reporter.get("email") else None,
    ]
    return ", ".join(part for part in parts if part) or ANONYMOUS


def _local_date(value: object, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%d-%m-%Y") if isinstance(value, datetime) else ""


def register_row(number: int, fact: Mapping[str, Any], zone: tzinfo) -> dict[str, Any]:
    """One line of the register from a stored complaint fact."""
    plan = fact.get("plan") or {}
    plan_date = str(plan.get("due_date") or "")
    if plan_date:
        year, month, day = plan_date.split("-")
        plan_date = f"{day}-{month}-{year}"
    return {
        "no": number,
        "date": _local_date(fact.get("received_at"), zone),
        "tracking_number": fact.get("tracking_number") or "",
        "channel": CHANNEL_LABELS.get(str(fact.get("channel")), str(fact.get("channel") or "")),
        "kind": KIND_LABELS.get(str(fact.get("kind")), str(fact.get("kind") or "")),
        "reporter": fact.get("reporter") or ANONYMOUS,
        "content": fact.get("text") or "",
        "category": fact.get("category") or "",
        "unit": fact.get("unit") or "",
        "plan": "; ".join(plan.get("actions", ())),
        "plan_date": plan_date,
        "reply": fact.get("reply") or "",
        "reply_date": _local_date(fact.get("responded_at"), zone),
        "status": STATUS_LABELS.get(str(fact.get("status")), str(fact.get("status") or "")),
    }
