"""The single origin for local runs without Docker: a small streaming reverse proxy that
implements ops.routes (nginx does the same under docker compose)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ops.routes import route

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)
MAX_BODY = 1024 * 1024


def create_gateway(upstreams: Mapping[str, str]) -> Starlette:
    """``upstreams`` maps a service name to its base URL (e.g. http://127.0.0.1:8101)."""
    # No cookie jar: the gateway speaks for every visitor, and must never remember one visitor's
    # cookies for the next.
    client = httpx.AsyncClient(
        timeout=httpx.Timeout(30.0, connect=5.0),
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
    )

    async def proxy(request: Request) -> Response:
        service, path = route(request.url.path)
        length = int(request.headers.get("content-length") or 0)
        if length > MAX_BODY:
            return JSONResponse({"detail": "Permintaan terlalu besar"}, status_code=413)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        headers.setdefault("x-request-id", str(uuid.uuid4()))
        headers["x-forwarded-for"] = request.client.host if request.client else ""
        headers["x-forwarded-proto"] = request.url.scheme
        headers["x-forwarded-host"] = request.headers.get("host", "")
        upstream = client.build_request(
            request.method,
            upstreams[service] + path,
            params=request.query_params.multi_items(),
            headers=headers,
            content=await request.body(),
        )
        try:
            response = await client.send(upstream, stream=True)
        except httpx.TransportError:
            return JSONResponse({"detail": f"Layanan {service} tidak tersedia"}, status_code=503)
        reply = StreamingResponse(
            response.aiter_raw(),
            status_code=response.status_code,
            headers=None,
            background=BackgroundTask(response.aclose),
        )
        # multi_items keeps repeated headers (two Set-Cookie lines stay two).
        reply.raw_headers = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, v in response.headers.multi_items()
            if k.lower() not in HOP_BY_HOP
        ]
        return reply

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await client.aclose()

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
    return Starlette(routes=[Route("/{path:path}", proxy, methods=methods)], lifespan=lifespan)


def from_environment() -> Starlette:
    """uvicorn factory: upstreams from SIGAP_UPSTREAM_<SERVICE> (default ports 8101–8104)."""
    import os

    from ops.routes import SERVICES

    return create_gateway(
        {
            service: os.environ.get(
                f"SIGAP_UPSTREAM_{service.upper()}", f"http://127.0.0.1:{8101 + index}"
            )
            for index, service in enumerate(SERVICES)
        }
    )
