"""Intake's HTTP edge rules, shared by its routers: body size, content type, per-client rate
limits, and the one way a refused publish is answered (503)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from fastapi import HTTPException, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from services.intake.domain.rate_limit import RateLimiter
from services.intake.service import InProgressError, InvalidFieldError
from shared.http import client_address, field_error
from shared.logging import get_logger
from shared.messaging import PublishError
from shared.settings import Settings

log = get_logger(__name__)
T = TypeVar("T")

JSON_TYPES = ("application/json",)


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def too_large(max_bytes: int) -> JSONResponse:
    return field_error(413, "body", f"Isi permintaan melebihi {max_bytes // 1024} KB")


def wrong_content_type(expected: str) -> JSONResponse:
    return field_error(415, "content-type", f"Jenis isi harus {expected}")


def broker_unavailable() -> JSONResponse:
    return JSONResponse(
        {"detail": "Layanan sedang sibuk, belum diterima. Silakan coba lagi."},
        status_code=503,
        headers={"Retry-After": "5"},
    )


def limited_route(max_bytes: int) -> type[APIRoute]:
    """A route class that refuses bodies over ``max_bytes`` (413, even when streamed without a
    Content-Length) and JSON-bodied routes called with another content type (415), before
    anything is parsed."""

    class LimitedRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()
            expects_json = self.body_field is not None

            async def limited(request: Request) -> Response:
                if request.method not in ("POST", "PUT", "PATCH"):
                    return await handler(request)
                declared = request.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    return too_large(max_bytes)
                body = bytearray()
                async for chunk in request.stream():
                    body += chunk
                    if len(body) > max_bytes:
                        return too_large(max_bytes)
                request._body = bytes(body)  # what FastAPI reads next
                if expects_json and body and media_type(request) not in JSON_TYPES:
                    return wrong_content_type("application/json")
                return await handler(request)

            return limited

    return LimitedRoute


class RateLimits:
    """One token bucket per client for each kind of public request (see domain.rate_limit)."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self._trust_forwarded_for = settings.trust_forwarded_for
        self._clock = clock
        self.limiters: dict[str, RateLimiter] = {
            "submit": RateLimiter.per_minute(settings.rate_limit_submit_per_minute),
            "read": RateLimiter.per_minute(settings.rate_limit_read_per_minute),
            "webhook": RateLimiter.per_minute(settings.rate_limit_webhook_per_minute),
            # Wrong tracking PINs a client may try in 15 minutes, all numbers together.
            "wrong_pin": RateLimiter(
                settings.tracking_failures_allowed * 3,
                settings.tracking_failures_allowed * 3 / 900.0,
            ),
        }

    def client(self, request: Request) -> str:
        return client_address(request, self._trust_forwarded_for)

    def dependency(self, bucket: str) -> Callable[[Request], Awaitable[None]]:
        limiter = self.limiters[bucket]

        async def check(request: Request) -> None:
            decision = limiter.check(self.client(request), self._clock())
            if not decision.allowed:
                raise too_many(decision.retry_after)

        return check

    def may_guess(self, request: Request) -> bool:
        return self.limiters["wrong_pin"].peek(self.client(request), self._clock()).allowed

    def count_wrong_guess(self, request: Request) -> None:
        self.limiters["wrong_pin"].check(self.client(request), self._clock())


def too_many(retry_after: int) -> HTTPException:
    return HTTPException(
        429,
        "Terlalu banyak permintaan. Silakan coba lagi nanti.",
        headers={"Retry-After": str(retry_after)},
    )


async def accepted(call: Awaitable[T]) -> T | JSONResponse:
    """The outcome of an intake use case, or its refusal: 422 naming the field, 503 when the
    broker did not confirm (nothing was accepted, the sender retries)."""
    try:
        return await call
    except InvalidFieldError as exc:
        return field_error(422, exc.field, exc.reason)
    except PublishError:
        log.exception("intake.not_confirmed")
        return broker_unavailable()
    except InProgressError:
        log.warning("intake.same_message_in_progress")
        return broker_unavailable()
