"""The triage service running in the test process against the real broker and database, with
a clock the test controls, staff tokens, and a tap on every complaint event it publishes."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import httpx

from ops.seed import seed_demo
from services.triage.main import Triage, assemble
from shared.auth import Principal, Role, TokenCodec
from shared.events import Actor, ComplaintReceived, ComplaintReceivedData, Reporter
from shared.settings import Settings
from tests.support.lifespan import Running
from tests.support.waiting import eventually

PREFIX = "/api/v1/staff/complaints"


@dataclass
class FrozenClock:
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class EventTap:
    """Collects every ``complaint.*`` event published on the test's exchange."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self._connection: aio_pika.abc.AbstractRobustConnection | None = None

    async def start(self, settings: Settings) -> None:
        self._connection = await aio_pika.connect_robust(settings.rabbitmq_url.get_secret_value())
        channel = await self._connection.channel()
        exchange = await channel.get_exchange(settings.exchange_name)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, routing_key="complaint.*")

        async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                self.events.append(json.loads(message.body))

        await queue.consume(collect)

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()

    def of(self, event_type: str, complaint_id: uuid.UUID | str | None = None) -> list[dict]:
        return [
            e
            for e in self.events
            if e["type"] == event_type
            and (complaint_id is None or e["data"]["complaint_id"] == str(complaint_id))
        ]

    async def wait_for(
        self, event_type: str, complaint_id: uuid.UUID | str | None = None, count: int = 1
    ) -> list[dict]:
        return await eventually(
            lambda: _ready(self.of(event_type, complaint_id)),
            until=lambda found: len(found) >= count,
            what=f"{count} × {event_type}",
        )


async def _ready(value: list[dict]) -> list[dict]:
    return value


@dataclass
class Harness:
    triage: Triage
    http: httpx.AsyncClient
    tap: EventTap
    clock: FrozenClock
    settings: Settings

    def token(
        self,
        role: Role = Role.COMPLAINT_TEAM,
        clinic: str | None = "MDRJ1",
        district: str = "banjarnegara",
        unit: str | None = None,
    ) -> dict[str, str]:
        codec = TokenCodec(
            self.settings.auth_secret.get_secret_value(),
            issuer=self.settings.auth_issuer,
            audience=self.settings.auth_audience,
        )
        principal = Principal(
            user_id=f"u-{role.value}-{clinic}-{unit}",
            role=role,
            district=district,
            clinic=clinic,
            unit=unit,
            name=f"Staf {role.value}",
        )
        token = codec.issue(principal, timedelta(minutes=30), now=datetime.now(UTC))
        return {"Authorization": f"Bearer {token}"}

    async def receive(self, **overrides: Any) -> ComplaintReceived:
        """Publish ``complaint.received`` through the broker and wait until triage stored it."""
        event = received(clinic=overrides.pop("clinic", "MDRJ1"), at=self.clock(), **overrides)
        await self.triage.runtime.publisher.publish(event)
        await eventually(
            lambda: self.triage.store.get_document(event.data.complaint_id),
            what="complaint stored",
        )
        return event

    async def get(self, complaint_id: uuid.UUID, **token: Any) -> httpx.Response:
        return await self.http.get(f"{PREFIX}/{complaint_id}", headers=self.token(**token))

    async def command(
        self, complaint_id: uuid.UUID, name: str, body: dict[str, Any], **token: Any
    ) -> httpx.Response:
        """POST a command on the version currently stored unless the body names one."""
        if "version" not in body:
            doc = await self.triage.store.get_document(complaint_id)
            assert doc is not None
            body = {**body, "version": doc["version"]}
        return await self.http.post(
            f"{PREFIX}/{complaint_id}/{name}", json=body, headers=self.token(**token)
        )


def received(
    *,
    clinic: str = "MDRJ1",
    district: str | None = None,
    at: datetime | None = None,
    text: str = "Antrian di pendaftaran lama bgt, sdh 3 jam blm dipanggil",
    channel: str = "whatsapp",
    kind: str = "keluhan",
    identity: str = "biasa",
    reporter: Reporter | None = None,
) -> ComplaintReceived:
    complaint_id = uuid.uuid4()
    if reporter is None and identity != "anonim":
        reporter = Reporter(name="Siti Aminah", phone="+6281234567890")
    return ComplaintReceived.create(
        ComplaintReceivedData(
            complaint_id=complaint_id,
            tracking_number=f"{clinic}-{complaint_id.hex[:10].upper()}",
            pin="123456",
            channel=channel,  # type: ignore[arg-type]
            kind=kind,  # type: ignore[arg-type]
            text=text,
            identity=identity,  # type: ignore[arg-type]
            reporter=reporter,
            received_at=at or datetime.now(UTC),
        ),
        district=district or ("natuna" if clinic == "RANAI" else "banjarnegara"),
        clinic=clinic,
        actor=Actor(kind="public"),
        correlation_id=str(uuid.uuid4()),
    )


@contextlib.asynccontextmanager
async def running_triage(
    settings: Settings, clock: FrozenClock | None = None
) -> AsyncIterator[Harness]:
    await seed_demo(settings)
    clock = clock or FrozenClock()
    triage = assemble(settings, clock=clock)
    tap = EventTap()
    async with Running(triage.app) as app:
        await tap.start(settings)
        transport = httpx.ASGITransport(app=app.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sigap.test") as http:
            try:
                yield Harness(triage, http, tap, clock, settings)
            finally:
                await tap.close()
