"""The notify service running in the test process against the real broker and database,
sending to local stand-ins of WhatsApp, SMS and e-mail, with staff users of two clinics."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import httpx
from pydantic import SecretStr
from pymongo import AsyncMongoClient

from ops.seed import seed_demo
from services.notify.main import create_app
from shared.auth import Principal, Role, TokenCodec
from shared.events import (
    Actor,
    ComplaintReceived,
    ComplaintReceivedData,
    ComplaintResponded,
    Event,
    Reporter,
    RespondedData,
)
from shared.settings import Settings
from tests.support.lifespan import Running
from tests.support.provider_stub import HttpProviderStub, SmtpStub, http_provider, smtp_server
from tests.support.publishing import publish
from tests.support.waiting import eventually

Mongo = AsyncMongoClient[dict[str, Any]]
PHONE = "+6281234567890"
FINAL = {"sent", "failed", "suppressed"}


@dataclass
class Notify:
    settings: Settings
    whatsapp: HttpProviderStub
    sms: HttpProviderStub
    smtp: SmtpStub
    http: httpx.AsyncClient
    mongo: Mongo
    amqp: aio_pika.abc.AbstractRobustConnection

    @property
    def notifications(self) -> Any:
        return self.mongo[f"{self.settings.mongodb_db_prefix}_notify"]["notifications"]

    @property
    def outbox(self) -> Any:
        return self.mongo[f"{self.settings.mongodb_db_prefix}_notify"]["outbox"]

    async def publish(self, event: Event) -> None:
        await publish(self.amqp, self.settings, event)

    async def settled(
        self, complaint_id: uuid.UUID, count: int = 1, audience: str = "reporter"
    ) -> list[dict[str, Any]]:
        """The complaint's records once ``count`` of the audience's left the queue for good."""

        async def records() -> list[dict[str, Any]]:
            docs: list[dict[str, Any]] = await self.notifications.find(
                {"complaint_id": complaint_id}
            ).to_list()
            return docs

        def done(docs: list[dict[str, Any]]) -> bool:
            final = [d for d in docs if d["status"] in FINAL and d["audience"] == audience]
            return len(final) >= count

        return await eventually(records, until=done, what="notifications settled")

    def token(self, role: Role, clinic: str | None = "MDRJ1") -> dict[str, str]:
        codec = TokenCodec(
            self.settings.auth_secret.get_secret_value(),
            issuer=self.settings.auth_issuer,
            audience=self.settings.auth_audience,
        )
        principal = Principal("u-test", role, "banjarnegara", clinic)
        return {"Authorization": f"Bearer {codec.issue(principal, timedelta(minutes=30))}"}


USERS = [
    # (id, role, clinic, unit, email, phone, channels, digest, active)
    ("team-1", "complaint_team", "MDRJ1", None, "tim@mdrj1.test", None, ["email"], False, True),
    ("team-2", "complaint_team", "MDRJ1", None, "rekap@mdrj1.test", None, ["email"], True, True),
    ("team-old", "complaint_team", "MDRJ1", None, "lama@mdrj1.test", None, ["email"], False, False),
    ("team-x", "complaint_team", "MDRJ2", None, "tim@mdrj2.test", None, ["email"], False, True),
    (
        "head-1",
        "head",
        "MDRJ1",
        None,
        "kapus@mdrj1.test",
        "+6281100000001",
        ["whatsapp"],
        True,
        True,
    ),
]


async def seed_users(mongo: Mongo, settings: Settings) -> None:
    users = mongo[f"{settings.mongodb_db_prefix}_directory"]["users"]
    await users.insert_many(
        [
            {
                "_id": uid,
                "username": uid,
                "name": uid,
                "role": role,
                "district": "banjarnegara",
                "clinic": clinic,
                "unit": unit,
                "email": email,
                "phone": phone,
                "notify_channels": channels,
                "digest": digest,
                "active": active,
            }
            for uid, role, clinic, unit, email, phone, channels, digest, active in USERS
        ]
    )


@contextlib.asynccontextmanager
async def running_notify(
    settings: Settings,
    amqp: aio_pika.abc.AbstractRobustConnection,
    mongo: Mongo,
    replicas: int = 1,
) -> AsyncIterator[Notify]:
    async with (
        http_provider() as whatsapp,
        http_provider() as sms,
        contextlib.AsyncExitStack() as stack,
    ):
        smtp = stack.enter_context(smtp_server())
        configured = settings.model_copy(
            update={
                "whatsapp_api_base_url": f"{whatsapp.base_url}/v21.0",
                "whatsapp_access_token": SecretStr("wa-token"),
                "sms_api_base_url": sms.base_url,
                "sms_account_sid": "AC1",
                "twilio_auth_token": SecretStr("sms-token"),
                "smtp_host": smtp.host,
                "smtp_port": smtp.port,
                "smtp_tls": "none",
                "notify_sender_interval_seconds": 0.05,
                "notify_retry_base_seconds": 0.05,
                "notify_max_send_attempts": 3,
            }
        )
        await seed_demo(configured)
        await seed_users(mongo, configured)
        apps = [
            await stack.enter_async_context(Running(create_app(configured)))
            for _ in range(replicas)
        ]
        http = await stack.enter_async_context(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=apps[0].app), base_url="http://sigap.test"
            )
        )
        yield Notify(configured, whatsapp, sms, smtp, http, mongo, amqp)


def received(
    channel: str = "whatsapp",
    *,
    reporter: Reporter | None = None,
    received_at: datetime | None = None,
    clinic: str = "MDRJ1",
) -> ComplaintReceived:
    number = uuid.uuid4().hex[:4].upper()
    return ComplaintReceived.create(
        ComplaintReceivedData(
            complaint_id=uuid.uuid4(),
            tracking_number=f"{clinic}-2611-{number}",
            pin="654321",
            channel=channel,
            kind="keluhan",
            text="Antrian pendaftaran lama sekali",
            reporter=reporter or Reporter(name="Siti Aminah", phone=PHONE),
            received_at=received_at or datetime.now(UTC),
        ),
        district="banjarnegara",
        clinic=clinic,
        actor=Actor(kind="public"),
        correlation_id=str(uuid.uuid4()),
    )


def responded(cause: ComplaintReceived, reply: str = "Loket ditambah.") -> ComplaintResponded:
    data = RespondedData(
        complaint_id=cause.data.complaint_id,
        tracking_number=cause.data.tracking_number,
        reply=reply,
    )
    return ComplaintResponded.following(cause, data, actor=Actor(kind="staff", id="team-1"))


async def published(notify: Notify, event_type: str) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = await notify.outbox.find(
        {"type": event_type, "published": True}
    ).to_list()
    return docs
