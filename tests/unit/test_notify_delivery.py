"""Retry decisions: which failures are worth another try, and how long to wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.notify.domain.delivery import (
    backoff,
    http_status_is_temporary,
    next_step,
    smtp_code_is_temporary,
    whatsapp_window_open,
)


@pytest.mark.parametrize(
    ("status", "temporary"),
    [
        (429, True),
        (500, True),
        (502, True),
        (503, True),
        (408, True),
        (400, False),
        (401, False),
        (403, False),
        (404, False),
        (422, False),
    ],
)
def test_only_rate_limits_timeouts_and_server_errors_are_temporary(
    status: int, temporary: bool
) -> None:
    assert http_status_is_temporary(status) is temporary


def test_smtp_4xx_replies_are_temporary_and_5xx_permanent() -> None:
    assert smtp_code_is_temporary(421) and smtp_code_is_temporary(450)
    assert not smtp_code_is_temporary(550) and not smtp_code_is_temporary(535)


def test_back_off_doubles_and_is_capped() -> None:
    assert [backoff(n, 30).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(30, 30) == timedelta(hours=6)


def test_temporary_failures_are_retried_until_the_last_attempt_permanent_ones_never() -> None:
    assert next_step(1, 5, temporary=True) == "retry"
    assert next_step(4, 5, temporary=True) == "retry"
    assert next_step(5, 5, temporary=True) == "give_up"
    assert next_step(1, 5, temporary=False) == "give_up"


def test_whatsapp_free_form_window_is_24_hours_from_the_last_inbound_message() -> None:
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    assert whatsapp_window_open(now - timedelta(hours=23, minutes=59), now)
    assert not whatsapp_window_open(now - timedelta(hours=24), now)
    assert not whatsapp_window_open(None, now)
