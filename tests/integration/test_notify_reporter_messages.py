"""The notify service's messages to the complainant through the real broker and database and
local stand-ins of the providers: the receipt goes once (redelivered, or with two replicas
sending), WhatsApp templates outside the 24-hour window, and nothing after STOP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.events import Actor, ReporterOptedOut, ReporterOptedOutData
from tests.support.notify_harness import PHONE, published, received, responded
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


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
