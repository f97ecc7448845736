"""The reporting service running in the test process against the real broker and database:
a directory of two districts and three clinics, staff tokens, events in, collections out."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aio_pika
import httpx

from services.reporting.main import create_app
from shared.auth import Principal, Role, TokenCodec
from shared.directory import Clinic, Directory, District, Unit
from shared.events import Actor, ComplaintReceived, ComplaintReceivedData, Event, Reporter
from shared.settings import Settings
from shared.storage import create_client, database
from tests.support.lifespan import Running
from tests.support.publishing import publish
from tests.support.waiting import eventually

UNITS = (Unit(code="poli_umum", name="Poli Umum"), Unit(code="farmasi", name="Farmasi"))


@dataclass
class Reporting:
    http: httpx.AsyncClient
    settings: Settings
    amqp: aio_pika.abc.AbstractRobustConnection

    def token(
        self, role: Role, clinic: str | None = "MDRJ1", district: str = "banjarnegara"
    ) -> dict[str, str]:
        codec = TokenCodec(
            self.settings.auth_secret.get_secret_value(),
            issuer=self.settings.auth_issuer,
            audience=self.settings.auth_audience,
        )
        principal = Principal(user_id=f"u-{role}", role=role, district=district, clinic=clinic)
        return {"Authorization": f"Bearer {codec.issue(principal, timedelta(minutes=30))}"}

    async def publish(self, events: Sequence[Event]) -> None:
        await publish(self.amqp, self.settings, *events)

    async def processed(self, count: int) -> None:
        client = create_client(self.settings)
        try:
            db = database(client, self.settings, "reporting")
            await eventually(
                lambda: db["processed_events"].count_documents({}),
                until=lambda n: n >= count,
                timeout=90,
                what=f"{count} events applied",
            )
            await folded(db, timeout=90)
        finally:
            await client.close()

    async def collection(self, name: str) -> list[dict[str, Any]]:
        client = create_client(self.settings)
        try:
            db = database(client, self.settings, "reporting")
            return [doc async for doc in db[name].find({})]
        finally:
            await client.close()


async def folded(db: Any, timeout: float = 15.0) -> None:
    """Wait until every applied event's share has reached reporting's aggregates (``db``:
    reporting's database): facts are written at once, aggregates with the next fold."""
    await eventually(
        lambda: db["pending_contributions"].count_documents({}),
        until=lambda n: n == 0,
        timeout=timeout,
        what="applied events' shares folded into the aggregates",
    )


async def seed_directory(settings: Settings) -> None:
    client = create_client(settings)
    try:
        directory = Directory(database(client, settings, "directory"))
        for code in ("banjarnegara", "natuna"):
            await directory.save_district(District(code=code, name=f"Dinkes {code}"))
        for code, district in (
            ("MDRJ1", "banjarnegara"),
            ("MDRJ2", "banjarnegara"),
            ("RANAI", "natuna"),
        ):
            await directory.save_clinic(
                Clinic(code=code, name=f"Puskesmas {code}", district=district, units=UNITS)
            )
    finally:
        await client.close()


@asynccontextmanager
async def running_reporting(
    settings: Settings, amqp: aio_pika.abc.AbstractRobustConnection
) -> AsyncIterator[Reporting]:
    await seed_directory(settings)
    async with Running(create_app(settings)) as app:
        transport = httpx.ASGITransport(app=app.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sigap.test") as http:
            yield Reporting(http, settings, amqp)


def received(
    reporter: Reporter | None, identity: str, text: str, at: datetime
) -> ComplaintReceived:
    return ComplaintReceived.create(
        ComplaintReceivedData(
            complaint_id=uuid.uuid4(),
            tracking_number=f"MDRJ1-2610-{uuid.uuid4().hex[:6].upper()}",
            pin="987654",
            channel="whatsapp",
            kind="keluhan",
            text=text,
            identity=identity,
            reporter=reporter,
            received_at=at,
        ),
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor(kind="public"),
        correlation_id="c-9",
        occurred_at=at,
    )
