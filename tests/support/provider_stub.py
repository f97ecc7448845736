"""Local stand-ins for the message providers: an HTTP server that records every request and
answers with scripted replies (WhatsApp Cloud API, Twilio-compatible SMS), and an SMTP server
(aiosmtpd) that records every message and can refuse recipients."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from aiosmtpd.controller import Controller
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tests.support.infra import free_port

# The stand-in SMTP server narrates every connection at INFO; only its troubles matter here.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


Reply = tuple[int, dict[str, Any]]


def provider_reply(request: RecordedRequest, number: int) -> Reply:
    """What the real providers answer to a message they accept."""
    if request.path.endswith("/Messages.json"):
        return 201, {"sid": f"SM{number:032d}", "status": "queued"}
    return 200, {
        "messaging_product": "whatsapp",
        "contacts": [{"input": "x", "wa_id": "x"}],
        "messages": [{"id": f"wamid.STUB{number}"}],
    }


@dataclass
class HttpProviderStub:
    base_url: str = ""
    requests: list[RecordedRequest] = field(default_factory=list)
    _script: deque[Reply] = field(default_factory=deque)
    default: Callable[[RecordedRequest, int], Reply] = provider_reply

    def answer_next(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order, then as usual."""
        self._script.extend(replies)

    def always(self, reply: Reply) -> None:
        self.default = lambda _request, _number: reply

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        recorded = RecordedRequest(
            request.method,
            request.url.path,
            {k.lower(): v for k, v in request.headers.items()},
            await request.body(),
        )
        self.requests.append(recorded)
        status, body = (
            self._script.popleft() if self._script else self.default(recorded, len(self.requests))
        )
        response: Response = JSONResponse(body, status_code=status)
        await response(scope, receive, send)


@contextlib.asynccontextmanager
async def http_provider() -> AsyncIterator[HttpProviderStub]:
    stub = HttpProviderStub()
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(stub, host="127.0.0.1", port=port, lifespan="off", log_config=None)
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    stub.base_url = f"http://127.0.0.1:{port}"
    try:
        yield stub
    finally:
        server.should_exit = True
        await task


@dataclass
class SmtpStub:
    host: str = "127.0.0.1"
    port: int = 0
    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    # Replies to RCPT TO for the next recipients, e.g. "450 4.2.1 Mailbox busy".
    refuse_next: deque[str] = field(default_factory=deque)

    async def handle_RCPT(  # noqa: N802 — aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse_next:
            return self.refuse_next.popleft()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(
            message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        )
        return "250 Message accepted for delivery"


@contextlib.contextmanager
def smtp_server() -> Iterator[SmtpStub]:
    stub = SmtpStub(port=free_port())
    controller = Controller(stub, hostname=stub.host, port=stub.port)
    controller.start()
    try:
        yield stub
    finally:
        controller.stop()
