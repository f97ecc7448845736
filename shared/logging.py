"""The one logger setup: structlog JSON lines, correlation id bound per request/message,
and personal data masked before anything is written."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog

# Keys whose values are personal data (UU 27/2022): never written as they are.
_PERSONAL_KEYS = frozenset(
    {
        "name",
        "phone",
        "email",
        "reporter",
        "from",
        "to",
        "wa_id",
        "recipient",
        "pin",
        "text",
        "body",
    }
)
_PHONE = re.compile(r"(?<![\w+])(?:\+?62|0)8[0-9][0-9 \-]{6,13}[0-9]")
_INTL_PHONE = re.compile(r"\+[1-9][0-9]{7,14}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# A PIN in a URL's query string (the tracking link), as uvicorn's access log writes it.
_QUERY_PIN = re.compile(r"([?&]pin=)[^&#\s\"']+", re.IGNORECASE)


def mask_phone(phone: str) -> str:
    digits = re.sub(r"[^0-9+]", "", phone)
    if len(digits) <= 6:
        return "***"
    return f"{digits[:5]}****{digits[-3:]}"


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_text(text: str) -> str:
    """Mask phone numbers, e-mail addresses and URL PINs found inside free text."""
    text = _QUERY_PIN.sub(r"\1***", text)
    text = _EMAIL.sub(lambda m: mask_email(m.group(0)), text)
    text = _INTL_PHONE.sub(lambda m: mask_phone(m.group(0)), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


def _mask_value(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key in _PERSONAL_KEYS:
        if isinstance(value, str) and key in ("phone", "wa_id", "from", "to", "recipient"):
            return mask_phone(value) if _INTL_PHONE.fullmatch(value) else mask_text(value)
        if isinstance(value, str) and key == "email":
            return mask_email(value)
        return f"<{len(value)} chars masked>" if isinstance(value, str) else "<masked>"
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {k: _mask_value(str(k), v) for k, v in value.items()}
    return value


def mask_personal_data(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key, value in list(event_dict.items()):
        event_dict[key] = _mask_value(key, value)
    return event_dict


def configure_logging(service: str, level: str = "INFO", fmt: str = "json") -> None:
    """Configure structlog (and the standard library's root logger) for one service."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared_processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        mask_personal_data,
    ]
    structlog.configure(
        processors=[
            *shared_processors,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        # No file given: each line goes to sys.stdout as it is then (a test runner swaps it).
        logger_factory=structlog.PrintLoggerFactory(),
        cache_logger_on_first_use=False,
    )
    # Libraries (uvicorn, aio-pika, pymongo) log through the standard library: same format.
    handler = CurrentStdoutHandler()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared_processors,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(max(logging.getLevelName(level.upper()), logging.INFO))
    for noisy in ("aiormq", "aio_pika", "pymongo"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # uvicorn installs its own plain-text handlers before the app factory runs: route them here.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
    structlog.contextvars.bind_contextvars(service=service)


class CurrentStdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to sys.stdout as it is at each record, not as it was when logging was set up."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stdout
        super().emit(record)


def bind_correlation(correlation_id: str, **extra: Any) -> None:
    structlog.contextvars.bind_contextvars(correlation_id=correlation_id, **extra)


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name)
