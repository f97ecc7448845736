"""What staff see of a stored complaint, by role.

The reporter's identity (UU 27/2022 PDP, SPEC §3): lists show it masked to everybody; one
complaint shows it whole only to roles with ``IDENTITY_READ`` (the complaint team and the
head). A ``rahasia`` complaint shows no identity at all to other roles, not even masked;
an ``anonim`` complaint has none stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.triage.domain.complaint import ANSWER_CLOCK_RUNS, TRIAGE_CLOCK_RUNS
from shared.auth import Principal


def mask_text(value: str, keep_start: int = 1, keep_end: int = 0) -> str:
    """``Siti Aminah`` -> ``S*** A***``; a phone keeps its country code and last digits."""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    end = value[len(value) - keep_end :] if keep_end else ""
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + end


def mask_reporter(reporter: dict[str, Any]) -> dict[str, Any]:
    masked: dict[str, Any] = {}
    if reporter.get("name"):
        masked["name"] = " ".join(mask_text(part) for part in str(reporter["name"]).split())
    if reporter.get("phone"):
        masked["phone"] = mask_text(str(reporter["phone"]), keep_start=5, keep_end=3)
    if reporter.get("email"):
        local, _, domain = str(reporter["email"]).partition("@")
        masked["email"] = f"{mask_text(local)}@{domain}"
    return masked


def reporter_view(doc: dict[str, Any], principal: Principal, *, whole: bool) -> Any:
    reporter = doc.get("reporter")
    if not reporter:
        return None
    if doc.get("identity") == "rahasia" and not principal.sees_identity:
        return None
    if whole and principal.sees_identity:
        return {k: v for k, v in reporter.items() if v is not None}
    return mask_reporter(reporter)


def _overdue(doc: dict[str, Any], now: datetime) -> bool:
    deadlines = doc.get("deadlines", {})
    triage_due, response_due = deadlines.get("triage_due"), deadlines.get("response_due")
    unreviewed = doc["status"] in TRIAGE_CLOCK_RUNS and doc.get("triage_review") is None
    if unreviewed and triage_due is not None and triage_due < now:
        return True
    return bool(doc["status"] in ANSWER_CLOCK_RUNS and response_due and response_due < now)


def summary(doc: dict[str, Any], principal: Principal, now: datetime) -> dict[str, Any]:
    """One line of the register."""
    return {
        "id": str(doc["_id"]),
        "tracking_number": doc["tracking_number"],
        "district": doc["district"],
        "clinic": doc["clinic"],
        "channel": doc["channel"],
        "kind": doc["kind"],
        "identity": doc["identity"],
        "status": doc["status"],
        "version": doc["version"],
        "urgent": doc["urgent"],
        "category": doc.get("category"),
        "unit": doc.get("unit"),
        "assignee": doc.get("assignee"),
        "text": doc["text"],
        "received_at": doc["received_at"],
        "deadlines": doc.get("deadlines", {}),
        "overdue": _overdue(doc, now),
        "missed_deadlines": doc.get("missed_deadlines", []),
        "triage_confirmed": doc.get("triage_review") is not None,
        "possible_duplicate_of": _text_or_none(doc.get("possible_duplicate_of")),
        "reporter": reporter_view(doc, principal, whole=False),
    }


def detail(doc: dict[str, Any], principal: Principal, now: datetime) -> dict[str, Any]:
    """One complaint with its follow-up and its whole register (buku rekapan)."""
    return {
        **summary(doc, principal, now),
        "reporter": reporter_view(doc, principal, whole=True),
        "source": doc.get("source"),
        "suggestion": doc.get("suggestion"),
        "triage_review": doc.get("triage_review"),
        "plan": doc.get("plan"),
        "reply": doc.get("reply"),
        "satisfied": doc.get("satisfied"),
        "feedback": doc.get("feedback"),  # the complainant's YA/TIDAK to the closing message
        "paused_at": doc.get("paused_at"),
        "history": doc.get("history", []),
    }


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)
