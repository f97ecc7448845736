"""`sigap export-clinic`: one clinic's data as JSON lines and CSV files.

Files: complaints (with their history, and a history file of one row per step), surveys and the
register (buku rekapan, as reporting keeps it: reporter masked). The complainant's identity is
left out unless asked for; even then a ``rahasia`` identity stays out (SPEC §3: never in
exports), and every export is written to the audit log with whether identities were in it.
"""

from __future__ import annotations

import asyncio
import csv
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from services.reporting.domain.register import REGISTER_COLUMNS, register_row
from shared.audit import OPERATOR, AuditLog
from shared.directory import Directory
from shared.events import ELEMENT_CODES
from shared.logging import mask_text
from shared.settings import Settings
from shared.storage import Document, create_client, database

EXPORTED = "clinic.exported"
COMPLAINT_COLUMNS = (
    "complaint_id", "tracking_number", "received_at", "channel", "kind", "identity", "category",
    "unit", "urgent", "status", "text", "plan_actions", "plan_due_date", "reply", "replied_at",
    "satisfied", "history_steps",
)  # fmt: skip
IDENTITY_COLUMNS = ("reporter_name", "reporter_phone", "reporter_email")
HISTORY_COLUMNS = (
    "complaint_id", "tracking_number", "at", "action", "from_status", "to_status",
    "actor_role", "actor_id", "detail",
)  # fmt: skip
SURVEY_COLUMNS = (
    "survey_id", "submitted_at", "unit", "service_date", "form", *ELEMENT_CODES,
    "age", "sex", "education", "occupation",
)  # fmt: skip
Step = Callable[[str, int], None]  # (file written, rows in it)


@dataclass(frozen=True)
class ExportReport:
    clinic: str
    files: dict[str, int]  # file name → rows
    with_identities: bool


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _masked(text: Any) -> Any:
    return mask_text(text) if isinstance(text, str) else text


def _kept(text: Any) -> Any:
    return text


def _identity(doc: Document) -> dict[str, Any]:
    reporter = doc.get("reporter") or {}
    if doc.get("identity") != "biasa":
        reporter = {}  # anonim: never stored; rahasia: never exported
    return {f"reporter_{k}": reporter.get(k) for k in ("name", "phone", "email")}


def complaint_record(doc: Document, with_identities: bool) -> dict[str, Any]:
    """One complaint as exported: texts masked unless identities were asked for."""
    text: Callable[[Any], Any] = _kept if with_identities else _masked
    plan, reply = doc.get("plan") or {}, doc.get("reply") or {}
    history = [
        {**entry, "actor": entry.get("actor"), "detail": text(entry.get("detail"))}
        for entry in doc.get("history", [])
    ]
    record: dict[str, Any] = {
        "complaint_id": str(doc["_id"]),
        "tracking_number": doc.get("tracking_number"),
        "received_at": doc.get("received_at"),
        "channel": doc.get("channel"),
        "kind": doc.get("kind"),
        "identity": doc.get("identity"),
        "category": doc.get("category"),
        "unit": doc.get("unit"),
        "urgent": doc.get("urgent"),
        "status": doc.get("status"),
        "text": text(doc.get("text")),
        "plan_actions": "; ".join(plan.get("actions", ())),
        "plan_due_date": plan.get("due_date"),
        "reply": text(reply.get("text")),
        "replied_at": reply.get("at"),
        "satisfied": doc.get("satisfied"),
        "history_steps": len(history),
        "history": history,
    }
    if with_identities:
        record.update(_identity(doc))
    plain: dict[str, Any] = _plain(record)
    return plain


def history_rows(record: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    for entry in record["history"]:
        actor = entry.get("actor") or {}
        yield {
            "complaint_id": record["complaint_id"],
            "tracking_number": record["tracking_number"],
            "at": entry.get("at"),
            "action": entry.get("action"),
            "from_status": entry.get("from_status"),
            "to_status": entry.get("to_status"),
            "actor_role": actor.get("role"),
            "actor_id": actor.get("user_id"),
            "detail": entry.get("detail"),
        }


def survey_record(doc: Document) -> dict[str, Any]:
    data = doc.get("data") or {}
    answers, respondent = data.get("answers") or {}, data.get("respondent") or {}
    plain: dict[str, Any] = _plain(
        {
            "survey_id": data.get("survey_id"),
            "submitted_at": doc.get("occurred_at"),
            "unit": data.get("unit"),
            "service_date": data.get("service_date"),
            "form": data.get("form"),
            **{code: answers.get(code) for code in ELEMENT_CODES},
            **{k: respondent.get(k) for k in ("age", "sex", "education", "occupation")},
        }
    )
    return plain


def _write(out: Path, name: str, columns: Sequence[str], rows: list[dict[str, Any]]) -> int:
    with (out / f"{name}.jsonl").open("w", encoding="utf-8") as jsonl:
        for row in rows:
            jsonl.write(json.dumps(row, ensure_ascii=False) + "\n")
    # A byte-order mark, so that spreadsheet programs read Indonesian text right.
    with (out / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as table:
        writer = csv.DictWriter(table, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def prepare_directory(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValueError(f"out: {out} sudah ada dan tidak kosong; pilih direktori baru")


async def export_clinic(
    settings: Settings,
    code: str,
    out: Path,
    *,
    with_identities: bool = False,
    step: Step | None = None,
) -> ExportReport:
    await asyncio.to_thread(prepare_directory, out)
    client = create_client(settings)
    try:
        directory_db = database(client, settings, "directory")
        clinic = await Directory(directory_db).clinic(code)
        if clinic is None:
            raise LookupError(f"kode: puskesmas {code!r} tidak ada")
        triage = database(client, settings, "triage")
        reporting = database(client, settings, "reporting")
        complaints = [
            complaint_record(doc, with_identities)
            async for doc in triage["complaints"].find({"clinic": code}).sort("received_at", 1)
        ]
        surveys = [
            survey_record(doc)
            async for doc in reporting["event_log"]
            .find({"clinic": code, "subject": "survey"})
            .sort("occurred_at", 1)
        ]
        zone = ZoneInfo(clinic.timezone)
        facts = reporting["complaint_facts"].find({"clinic": code}, {"contrib": 0})
        register = [
            register_row(number, fact, zone)
            for number, fact in enumerate(
                [f async for f in facts.sort([("received_at", 1), ("_id", 1)])], start=1
            )
        ]
        await asyncio.to_thread(out.mkdir, parents=True, exist_ok=True)
        columns = COMPLAINT_COLUMNS + (IDENTITY_COLUMNS if with_identities else ())
        files: dict[str, int] = {}
        for name, cols, rows in (
            ("complaints", columns, complaints),
            (
                "complaint_history",
                HISTORY_COLUMNS,
                [r for c in complaints for r in history_rows(c)],
            ),
            ("surveys", SURVEY_COLUMNS, surveys),
            ("register", [key for key, _label in REGISTER_COLUMNS], register),
        ):
            files[name] = await asyncio.to_thread(_write, out, name, cols, rows)
            if step is not None:
                step(name, files[name])
        await AuditLog(directory_db).record(
            EXPORTED,
            actor=OPERATOR,
            target=code,
            clinic=code,
            district=clinic.district,
            detail={"identities": with_identities, **{f"rows_{k}": v for k, v in files.items()}},
        )
        return ExportReport(code, files, with_identities)
    finally:
        await client.close()
