"""HTTP edge shared by every service: correlation id per request and uniform error bodies."""

from __future__ import annotations

import re
import uuid
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pymongo.errors import ConnectionFailure
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,120}$")


class CorrelationMiddleware:
    """Binds the caller's X-Request-ID (or a new one) as the correlation id of everything the
    request logs and publishes, and echoes it in the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        correlation_id = incoming if _SAFE_ID.match(incoming) else str(uuid.uuid4())
        scope.setdefault("state", {})["correlation_id"] = correlation_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), correlation_id.encode()))
                message["headers"] = headers
            await send(message)

        with structlog.contextvars.bound_contextvars(
            correlation_id=correlation_id, path=scope.get("path")
        ):
            await self.app(scope, receive, send_with_id)


def client_address(request: Request, trust_forwarded_for: bool) -> str:
    """The client, as the proxy in front saw it: nginx and ops.gateway overwrite
    X-Forwarded-For's last hop, which a client therefore cannot forge. Without a trusted proxy
    in front (``trust_forwarded_for`` off) the header is the client's own word and is ignored."""
    forwarded = request.headers.get("x-forwarded-for", "") if trust_forwarded_for else ""
    last_hop = forwarded.split(",")[-1].strip()
    if last_hop:
        return last_hop
    return request.client.host if request.client else "unknown"


def correlation_id(request: Request) -> str:
    return str(getattr(request.state, "correlation_id", None) or uuid.uuid4())


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or "body"


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            # A body that is not JSON at all: its loc ends in a character position, not a field.
            "field": "body"
            if err.get("type") == "json_invalid"
            else _field_path(tuple(err.get("loc", ()))),
            "reason": err.get("msg", "tidak valid"),
        }
        for err in exc.errors()
    ]
    return JSONResponse(
        status_code=422,
        content={"detail": "Data tidak valid", "errors": errors},
    )


# The shape of every 4xx body the services write (validation errors and ``field_error``),
# documented under the name FastAPI gives its own 422 body, which the handler above replaces.
ERROR_BODY_SCHEMA: dict[str, Any] = {
    "title": "HTTPValidationError",
    "type": "object",
    "required": ["detail", "errors"],
    "properties": {
        "detail": {"type": "string", "title": "Detail"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "reason"],
                "properties": {"field": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}


DATABASE_UNAVAILABLE = "Layanan sedang tidak dapat menyimpan data. Silakan coba lagi sebentar lagi."
RETRY_AFTER_SECONDS = "5"


async def _database_unavailable(request: Request, exc: Exception) -> Response:
    """The database cannot be reached (restarting, failing over): nothing was done, so the
    caller is told to try again (503), not that the server broke (500)."""
    structlog.get_logger().warning(
        "database.unavailable", path=request.url.path, error=type(exc).__name__
    )
    headers = {"Retry-After": RETRY_AFTER_SECONDS}
    if "text/html" in request.headers.get("accept", ""):
        page = (
            '<!doctype html><html lang="id"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Coba lagi</title></head><body><h1>Coba lagi</h1><p>{DATABASE_UNAVAILABLE}"
            "</p><p>Kembali ke halaman sebelumnya dengan tombol kembali peramban: "
            "isian Anda masih ada.</p></body></html>"
        )
        return HTMLResponse(page, status_code=503, headers=headers)
    body = {"detail": DATABASE_UNAVAILABLE, "errors": []}
    return JSONResponse(body, status_code=503, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ConnectionFailure, _database_unavailable)
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()
        schemas = document.get("components", {}).get("schemas", {})
        if "HTTPValidationError" in schemas:
            schemas["HTTPValidationError"] = ERROR_BODY_SCHEMA
            schemas.pop("ValidationError", None)
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def field_error(status_code: int, field: str, reason: str) -> JSONResponse:
    """An error that names the field and the reason, in the same shape as validation errors."""
    return JSONResponse(
        status_code=status_code,
        content={"detail": reason, "errors": [{"field": field, "reason": reason}]},
    )
