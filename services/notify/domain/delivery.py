"""How sending goes on after a try: which failures are worth another try, how long to wait,
when to give up, and whether WhatsApp still allows a free-form text."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

# WhatsApp allows free-form messages only within 24 hours of the customer's last message.
WHATSAPP_SERVICE_WINDOW = timedelta(hours=24)
MAX_BACKOFF = timedelta(hours=6)
# Graph API error codes that mean "slow down / try later" even when the HTTP status is 400.
WHATSAPP_TEMPORARY_CODES = frozenset({1, 2, 4, 17, 80007, 130429, 131016, 131048, 131056})

NextStep = Literal["retry", "give_up"]


class DeliveryError(Exception):
    """A provider refused or could not take a message. ``temporary`` failures are retried."""

    def __init__(self, reason: str, *, temporary: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary


def http_status_is_temporary(status: int) -> bool:
    """429 and server errors pass; any other 4xx will fail the same way again."""
    return status in (408, 425, 429) or status >= 500


def smtp_code_is_temporary(code: int) -> bool:
    """SMTP 4xx replies are transient by definition (RFC 5321 §4.2.1); 5xx are permanent."""
    return 400 <= code < 500


def next_step(attempt: int, max_attempts: int, temporary: bool) -> NextStep:
    return "retry" if temporary and attempt < max_attempts else "give_up"


def backoff(attempt: int, base_seconds: float) -> timedelta:
    """Wait before try ``attempt + 1``: base, 2×base, 4×base… capped at six hours."""
    delay = timedelta(seconds=base_seconds * 2 ** max(attempt - 1, 0))
    return min(delay, MAX_BACKOFF)


def whatsapp_window_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    return last_inbound_at is not None and now - last_inbound_at < WHATSAPP_SERVICE_WINDOW
