"""What the intake tests share: the intake service running against the real broker and
database, a queue that records every event published on the test's exchange, and helpers to
sign webhooks and mint staff tokens. Other test_intake_* modules import these fixtures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import pytest
from pymongo import AsyncMongoClient

from ops.seed import seed_demo
from services.intake.main import create_app
from shared.auth import Principal, Role, TokenCodec
from shared.directory import Clinic, Directory, Unit
from shared.settings import Settings
from shared.storage import create_client, database
from tests.support.lifespan import Running
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

WHATSAPP_DATA = Path(__file__).resolve().parents[1] / "data" / "whatsapp"
APP_SECRET = "test-app-secret-0123456789"
VERIFY_TOKEN = "test-verify-token"
TWILIO_TOKEN = "test-twilio-auth-token-0123"
PUBLIC_BASE_URL = "https://sigap.example.id"
# The phone-number id of tests/data/whatsapp/*.json (…444 stays unknown on purpose).
WHATSAPP_CLINIC = Clinic(
    code="PKMWA",
    name="Puskesmas Uji WhatsApp",
    district="banjarnegara",
    units=(Unit(code="pendaftaran", name="Pendaftaran"), Unit(code="farmasi", name="Farmasi")),
    whatsapp_phone_number_id="109988776655443",
)
SMS_NUMBER = "+6228641147801"  # MDRJ1's in the demo seed


@dataclass
class EventSink:
    """Every event published on the test's exchange, in order."""

    queue: aio_pika.abc.AbstractQueue
    seen: list[dict[str, Any]] = field(default_factory=list)

    async def events(self, event_type: str | None = None) -> list[dict[str, Any]]:
        while (message := await self.queue.get(fail=False, no_ack=True)) is not None:
            self.seen.append(json.loads(message.body))
        return [e for e in self.seen if event_type is None or e["type"] == event_type]

    async def wait_for(self, count: int, event_type: str | None = None) -> list[dict[str, Any]]:
        return await eventually(
            lambda: self.events(event_type),
            until=lambda found: len(found) >= count,
            what=f"{count} {event_type or 'event'}(s)",
        )


@dataclass
class Intake:
    client: httpx.AsyncClient
    sink: EventSink
    settings: Settings
    mongo: AsyncMongoClient[dict[str, Any]]

    def collection(self, name: str) -> Any:
        return self.mongo[f"{self.settings.mongodb_db_prefix}_intake"][name]

    def staff_token(self, role: Role = Role.OFFICER, clinic: str | None = "MDRJ1") -> str:
        codec = TokenCodec(
            self.settings.auth_secret.get_secret_value(),
            issuer=self.settings.auth_issuer,
            audience=self.settings.auth_audience,
        )
        principal = Principal(
            user_id=f"user-{role.value}", role=role, district="banjarnegara", clinic=clinic
        )
        return codec.issue(principal, timedelta(minutes=30))

    def staff(self, role: Role = Role.OFFICER, clinic: str | None = "MDRJ1") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.staff_token(role, clinic)}"}


def intake_settings(settings: Settings, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "whatsapp_app_secret": APP_SECRET,
        "whatsapp_verify_token": VERIFY_TOKEN,
        "twilio_auth_token": TWILIO_TOKEN,
        "public_base_url": PUBLIC_BASE_URL,
        "trust_forwarded_for": True,
        **overrides,
    }
    return Settings(**{**settings.model_dump(), **values})


async def seed(settings: Settings) -> None:
    await seed_demo(settings)
    client = create_client(settings)
    try:
        await Directory(database(client, settings, "directory")).save_clinic(WHATSAPP_CLINIC)
    finally:
        await client.close()


async def bind_sink(settings: Settings, connection: aio_pika.abc.AbstractConnection) -> EventSink:
    channel = await connection.channel()
    exchange = await channel.get_exchange(settings.exchange_name)
    queue = await channel.declare_queue(f"sink-{uuid.uuid4().hex}", exclusive=True)
    await queue.bind(exchange, routing_key="#")
    return EventSink(queue)


@pytest.fixture(name="intake")
async def intake_fixture(
    settings: Settings, amqp: aio_pika.abc.AbstractRobustConnection, mongo: Any
) -> AsyncIterator[Intake]:
    configured = intake_settings(settings)
    await seed(configured)
    app = create_app(configured)
    async with Running(app) as running:
        sink = await bind_sink(configured, amqp)
        transport = httpx.ASGITransport(app=running.app, client=("198.51.100.7", 40000))
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_BASE_URL) as client:
            yield Intake(client, sink, configured, mongo)


def whatsapp_payload(name: str) -> bytes:
    return (WHATSAPP_DATA / f"{name}.json").read_bytes()


def meta_signature(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def twilio_signature(url: str, form: Mapping[str, str], token: str = TWILIO_TOKEN) -> str:
    signed = url + "".join(name + value for name, value in sorted(form.items()))
    mac = hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def inbound_sms(body: str = "Obat di farmasi sering kosong", **extra: str) -> dict[str, str]:
    return {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": "AC" + "0" * 32,
        "From": "+6281234567890",
        "To": SMS_NUMBER,
        "Body": body,
        "NumMedia": "0",
        **extra,
    }


async def post_sms(intake: Intake, form: dict[str, str], signature: str | None = None) -> Any:
    url = f"{PUBLIC_BASE_URL}/webhooks/sms"
    return await intake.client.post(
        "/webhooks/sms",
        data=form,
        headers={"X-Twilio-Signature": signature or twilio_signature(url, form)},
    )


async def post_whatsapp(intake: Intake, body: bytes, signature: str | None = None) -> Any:
    return await intake.client.post(
        "/webhooks/whatsapp",
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-Hub-Signature-256": signature or meta_signature(body),
        },
    )
