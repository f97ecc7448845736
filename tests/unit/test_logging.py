"""Logs never carry a complainant's phone number, e-mail, name or PIN."""

from __future__ import annotations

import json

import pytest
import structlog

from shared.logging import configure_logging, mask_phone, mask_text


def test_phone_numbers_and_emails_inside_text_are_masked() -> None:
    masked = mask_text("hubungi 081234567890 atau +6281234567890 / siti.a@example.com")
    assert "081234567890" not in masked
    assert "+6281234567890" not in masked
    assert "siti.a@example.com" not in masked
    assert "@example.com" in masked


def test_masked_phone_keeps_only_a_hint() -> None:
    assert mask_phone("+6281234567890") == "+6281****890"


def test_log_lines_are_json_with_correlation_and_without_personal_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("test", "INFO")
    structlog.contextvars.bind_contextvars(correlation_id="req-42")
    log = structlog.get_logger()
    log.info(
        "complaint.accepted",
        reporter={"name": "Siti Aminah", "phone": "+6281234567890"},
        pin="123456",
        text="Saya Siti, hp 081299998888",
        note="kontak 081277776666",
    )
    structlog.contextvars.clear_contextvars()
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["correlation_id"] == "req-42"
    assert line["service"] == "test"
    raw = json.dumps(line)
    for secret in ("Siti", "+6281234567890", "123456", "081299998888", "081277776666"):
        assert secret not in raw
