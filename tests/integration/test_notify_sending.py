"""The notify service through the real broker and database, sending to local stand-ins of the
providers: receipts, retries, dead-lettering, no double sends, opt-out, staff alerts."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import httpx
import pytest
from asgi_lifespan import LifespanManager
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
    ComplaintTriaged,
    ComplaintTriagedData,
    Event,
    Reporter,
    ReporterOptedOut,
    ReporterOptedOutData,
    RespondedData,
    encode,
)
from shared.settings import Settings
from tests.support.provider_stub import HttpProviderStub, SmtpStub, http_provider, smtp_server
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration
Mongo = AsyncMongoClient[dict[str, Any]]
PHONE = "+6281234567890"


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
        async with self.amqp.channel() as channel:
            exchange = await channel.get_exchange(self.settings.exchange_name)
            await exchange.publish(
                aio_pika.Message(encode(event), delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                routing_key=event.routing_key,
            )

    async def settled(
        self, complaint_id: uuid.UUID, count: int = 1, audience: str = "reporter"
    ) -> list[dict[str, Any]]:
        """The complaint's records once ``count`` of the audience's left the queue for good."""

        async def records() -> list[dict[str, Any]]:
            return await self.notifications.find({"complaint_id": complaint_id}).to_list()

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


FINAL = {"sent", "failed", "suppressed"}

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


@pytest.fixture
def start_notify(
    settings: Settings, amqp: aio_pika.abc.AbstractRobustConnection, mongo: Mongo
) -> Callable[..., contextlib.AbstractAsyncContextManager[Notify]]:
    @contextlib.asynccontextmanager
    async def start(replicas: int = 1) -> AsyncIterator[Notify]:
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
                await stack.enter_async_context(
                    LifespanManager(create_app(configured), startup_timeout=30)
                )
                for _ in range(replicas)
            ]
            http = await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=apps[0].app), base_url="http://sigap.test"
                )
            )
            yield Notify(configured, whatsapp, sms, smtp, http, mongo, amqp)

    return start


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
            channel=channel,  # type: ignore[arg-type]
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
    return await notify.outbox.find({"type": event_type, "published": True}).to_list()


async def test_receipt_goes_once_over_whatsapp_with_tracking_number_and_pin_despite_redelivery(
    start_notify: Any,
) -> None:
    async with start_notify() as notify:
        event = received()
        for _ in range(3):  # the broker redelivers
            await notify.publish(event)
        marker = received()
        await notify.publish(marker)
        await notify.settled(marker.data.complaint_id)
        [record] = [
            r for r in await notify.settled(event.data.complaint_id) if r["audience"] == "reporter"
        ]

        receipts = [r.json() for r in notify.whatsapp.requests if r.json()["to"] == PHONE[1:]]
        assert len(receipts) == 2  # one for each complaint, none twice
        body = next(r for r in receipts if event.data.tracking_number in str(r))
        assert body["type"] == "text"  # the complaint itself opened the 24-hour window
        assert "PIN: 654321" in body["text"]["body"]
        assert "UPTD Puskesmas Mandiraja 1" in body["text"]["body"]
        assert record["status"] == "sent"
        assert record["provider_message_id"].startswith("wamid.STUB")
        assert "pin" not in record["params"]  # kept only until the receipt left
        sent = await eventually(
            lambda: published(notify, "notification.sent"),
            until=lambda docs: any(str(record["_id"]) in d["body"] for d in docs),
            what="notification.sent published",
        )
        assert PHONE not in str(sent)


async def test_new_complaint_alerts_the_active_complaint_team_of_its_clinic_by_email(
    start_notify: Any,
) -> None:
    async with start_notify() as notify:
        event = received()
        await notify.publish(event)
        records = await notify.settled(event.data.complaint_id, audience="complaint_team")

        assert {(r["user_id"], r["status"]) for r in records if r["audience"] != "reporter"} == {
            ("team-1", "sent"),
            ("team-2", "held"),  # asked for a daily digest
        }
        [mail] = notify.smtp.messages
        assert mail["To"] == "tim@mdrj1.test"
        assert event.data.tracking_number in mail["Subject"]
        assert "654321" not in mail.get_content()  # staff never see the PIN


async def test_urgent_complaint_reaches_the_head_at_once_despite_the_digest(
    start_notify: Any,
) -> None:
    async with start_notify() as notify:
        event = received("web", reporter=Reporter(email="warga@contoh.id"))
        await notify.publish(event)
        data = ComplaintTriagedData(
            complaint_id=event.data.complaint_id,
            tracking_number=event.data.tracking_number,
            kind="keluhan",
            category="pelayanan_medis",
            unit="ugd",
            urgent=True,
            automatic=True,
        )
        await notify.publish(ComplaintTriaged.following(event, data, actor=Actor.system("t")))
        records = await eventually(
            lambda: notify.notifications.find({"user_id": "head-1"}).to_list(),
            until=lambda docs: docs and docs[0]["status"] == "sent",
            what="head alerted",
        )

        assert records[0]["template"] == "staf_aduan_segera"
        [alert] = [r.json() for r in notify.whatsapp.requests]
        assert alert["to"] == "6281100000001"
        assert alert["type"] == "template"  # staff have no open 24-hour window
        assert (
            "perlu tanggapan segera" in alert["template"]["components"][0]["parameters"][0]["text"]
        )


async def test_whatsapp_outside_the_24_hour_window_uses_the_approved_template(
    start_notify: Any,
) -> None:
    async with start_notify() as notify:
        event = received(received_at=datetime.now(UTC) - timedelta(days=2))
        await notify.publish(event)
        await notify.settled(event.data.complaint_id)

        [receipt] = [r.json() for r in notify.whatsapp.requests]
        assert receipt["type"] == "template"
        assert receipt["template"]["name"] == "sigap_pemberitahuan"
        assert receipt["template"]["language"] == {"code": "id"}


async def test_temporary_failure_is_retried_and_then_sent(start_notify: Any) -> None:
    async with start_notify() as notify:
        notify.sms.answer_next((503, {"code": 20503, "message": "Service unavailable"}))
        event = received("sms")
        await notify.publish(event)
        [record] = [
            r for r in await notify.settled(event.data.complaint_id) if r["channel"] == "sms"
        ]

        assert record["status"] == "sent"
        assert record["attempts"] == 2
        assert len(notify.sms.requests) == 2
        failed = await published(notify, "notification.failed")
        assert len(failed) == 1
        assert '"permanent":false' in failed[0]["body"]


async def test_permanent_failure_fails_at_once_and_an_operator_can_retry_it(
    start_notify: Any,
) -> None:
    async with start_notify() as notify:
        notify.sms.answer_next((400, {"code": 21211, "message": "Invalid 'To' Phone Number"}))
        event = received("sms")
        await notify.publish(event)
        [record] = [
            r for r in await notify.settled(event.data.complaint_id) if r["channel"] == "sms"
        ]
        assert record["status"] == "failed"
        assert len(notify.sms.requests) == 1
        assert "21211" in record["last_error"]

        listed = await notify.http.get("/api/v1/notify/failed", headers=notify.token(Role.HEAD))
        assert [item["id"] for item in listed.json()] == [str(record["_id"])]
        other = await notify.http.get(
            "/api/v1/notify/failed", headers=notify.token(Role.HEAD, "MDRJ2")
        )
        assert other.json() == []
        hidden = await notify.http.post(
            f"/api/v1/notify/failed/{record['_id']}/retry",
            headers=notify.token(Role.HEAD, "MDRJ2"),
        )
        assert hidden.status_code == 404

        retry = await notify.http.post(
            f"/api/v1/notify/failed/{record['_id']}/retry", headers=notify.token(Role.HEAD)
        )
        assert retry.status_code == 202
        await eventually(
            lambda: notify.notifications.find_one({"_id": record["_id"], "status": "sent"}),
            what="sent after the operator's retry",
        )
        assert len(notify.sms.requests) == 2


async def test_message_that_keeps_failing_is_dead_lettered_after_the_last_attempt(
    start_notify: Any,
) -> None:
    async with start_notify() as notify:
        notify.sms.always((500, {"code": 20500, "message": "Internal error"}))
        event = received("sms")
        await notify.publish(event)
        [record] = [
            r for r in await notify.settled(event.data.complaint_id) if r["channel"] == "sms"
        ]

        assert record["status"] == "failed"
        assert record["attempts"] == 3
        assert len(notify.sms.requests) == 3
        failed = await eventually(
            lambda: published(notify, "notification.failed"),
            until=lambda docs: len(docs) == 3,
            what="three failures published",
        )
        assert sum('"permanent":true' in d["body"] for d in failed) == 1


async def test_two_replicas_send_every_message_exactly_once(start_notify: Any) -> None:
    async with start_notify(replicas=2) as notify:
        events = [received("sms") for _ in range(8)]
        for event in events:
            await notify.publish(event)
        for event in events:
            await notify.settled(event.data.complaint_id)

        bodies = [r.form()["Body"] for r in notify.sms.requests]
        assert len(bodies) == 8
        for event in events:
            assert sum(event.data.tracking_number in body for body in bodies) == 1


async def test_complainant_who_replied_stop_gets_nothing_afterwards(start_notify: Any) -> None:
    async with start_notify() as notify:
        event = received("sms")
        await notify.publish(event)
        await notify.settled(event.data.complaint_id)
        assert len(notify.sms.requests) == 1

        opted_out = ReporterOptedOut.create(
            ReporterOptedOutData(channel="sms", address=PHONE, clinic="MDRJ1"),
            district="banjarnegara",
            clinic="MDRJ1",
            actor=Actor(kind="public"),
            correlation_id="stop-1",
        )
        await notify.publish(opted_out)
        await notify.publish(responded(event))
        records = await notify.settled(event.data.complaint_id, count=2)

        reply = next(r for r in records if r["template"] == "jawaban")
        assert reply["status"] == "suppressed"
        assert len(notify.sms.requests) == 1
