"""Pure parts of the operator's retention and secret tools: what erasing a complaint changes in
triage's document, when a complaint finished, and how a rotated secret file is written."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ops.secret_rotation import rotated_content
from services.triage.privacy import PURGED_AT, finished_at, scrubbed

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def entry(to_status: str, days_ago: int, detail: str | None = None) -> dict[str, object]:
    return {"at": NOW - timedelta(days=days_ago), "to_status": to_status, "detail": detail}


def complaint(**overrides: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "status": "closed",
        "text": "Saya Siti Aminah, antrian lama. Hubungi 081234567890 atau siti@example.com",
        "reporter": {"name": "Siti Aminah", "phone": "+6281234567890", "email": None},
        "reporter_key": "k1",
        "source": {"platform": None, "external_id": "wamid.1"},
        "reply": {"text": "Maaf Ibu Siti Aminah, loket ditambah.", "at": NOW},
        "keywords": ["siti", "aminah", "antri"],
        "history": [entry("received", 900), entry("closed", 800, "pesan dari 081234567890")],
    }
    return {**doc, **overrides}


def test_erasing_removes_the_reporter_and_masks_every_text_it_keeps() -> None:
    changes, removed = scrubbed(complaint(), NOW)
    assert removed == ["reporter", "reporter_key", "source.external_id"]
    assert changes[PURGED_AT] == NOW
    kept = json.dumps(changes, default=str)
    for identity in ("Siti Aminah", "081234567890", "siti@example.com"):
        assert identity not in kept
    assert "antrian lama" in changes["text"] and "[nama]" in changes["text"]
    assert "siti" not in changes["keywords"] and "antri" in changes["keywords"]
    assert [h["to_status"] for h in changes["history"]] == ["received", "closed"]


def test_an_anonymous_complaint_without_source_is_erased_too() -> None:
    changes, removed = scrubbed(complaint(reporter=None, source=None, reply=None), NOW)
    assert removed == ["reporter", "reporter_key"] and "reply" not in changes


def test_a_complaint_finished_when_it_last_moved_into_its_final_status() -> None:
    reopened = complaint(
        history=[entry("received", 900), entry("closed", 800), entry("reopened", 700),
                 entry("responded", 650), entry("closed", 600)]
    )  # fmt: skip
    assert finished_at(reopened) == NOW - timedelta(days=600)
    assert finished_at(complaint(status="rejected", history=[entry("received", 5)])) is None


def test_a_clinic_token_joins_the_others_and_the_same_value_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "sigap_whatsapp_access_tokens"
    file.write_text('{"RANAI": "ranai-token"}')
    merged = json.loads(rotated_content(file, "MDRJ1", "whatsapp-token", "mdrj1-token"))
    assert merged == {"MDRJ1": "mdrj1-token", "RANAI": "ranai-token"}
    with pytest.raises(ValueError, match="value"):
        rotated_content(file, "RANAI", "whatsapp-token", "ranai-token")
    assert rotated_content(tmp_path / "absent", "MDRJ1", "sms-token", "s" * 32) == "s" * 32
