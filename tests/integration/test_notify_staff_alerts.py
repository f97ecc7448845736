"""The notify service's alerts to staff through the real broker and database and local
stand-ins of the providers: the clinic's complaint team by e-mail (or in the daily digest) and
the head at once for an urgent complaint."""

from __future__ import annotations

from typing import Any

import pytest

from shared.events import Actor, ComplaintTriaged, ComplaintTriagedData, Reporter
from tests.support.notify_harness import received
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


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
