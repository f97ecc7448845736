"""Status updates to the complainant and alerts to the head through the real broker and
database and local stand-ins of the providers: the follow-up plan is announced to the
complainant; an escalation and a missed deadline reach the head at once, despite the digest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shared.events import (
    Actor,
    ComplaintDeadlineMissed,
    ComplaintEscalated,
    ComplaintPlanRecorded,
    DeadlineMissedData,
    EscalatedData,
    PlanRecordedData,
)
from tests.support.notify_harness import PHONE, Notify, received
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration
TEAM = Actor(kind="staff", id="team-1", role="complaint_team")
HEAD_WHATSAPP = "6281100000001"


def ref(cause: Any) -> dict[str, Any]:
    return {
        "complaint_id": cause.data.complaint_id,
        "tracking_number": cause.data.tracking_number,
    }


async def head_alert(notify: Notify, template: str) -> dict[str, Any]:
    [record] = await eventually(
        lambda: notify.notifications.find({"user_id": "head-1", "template": template}).to_list(),
        until=lambda docs: bool(docs) and docs[0]["status"] == "sent",
        what=f"head alerted with {template}",
    )
    return dict(record)


def whatsapp_texts(notify: Notify, to: str) -> list[str]:
    """Every WhatsApp message to ``to``: a free-form body or the template's parameters."""
    texts = []
    for request in notify.whatsapp.requests:
        body = request.json()
        if body["to"] != to:
            continue
        if body["type"] == "text":
            texts.append(body["text"]["body"])
        else:
            params = body["template"]["components"][0]["parameters"]
            texts.append(" ".join(p["text"] for p in params))
    return texts


async def test_the_follow_up_plan_is_announced_to_the_complainant_over_their_channel(
    start_notify: Any,
) -> None:
    async with start_notify() as notify:
        event = received()
        await notify.publish(event)
        plan = PlanRecordedData(
            **ref(event),
            actions=("Tambah petugas loket pagi",),
            owner="Koordinator pendaftaran",
            due_date=date.today() + timedelta(days=7),
            made_by="tim_pengaduan",
        )
        await notify.publish(ComplaintPlanRecorded.following(event, plan, actor=TEAM))
        records = await notify.settled(event.data.complaint_id, count=2)

        [update] = [r for r in records if r["template"] == "status_direncanakan"]
        assert (update["status"], update["channel"], update["address"]) == (
            "sent",
            "whatsapp",
            PHONE,
        )
        [text] = [t for t in whatsapp_texts(notify, PHONE[1:]) if "rencana tindak lanjut" in t]
        assert event.data.tracking_number in text
        assert "Tambah petugas" not in text  # the plan itself stays inside the clinic


async def test_escalation_reaches_the_head_at_once_with_its_reason(start_notify: Any) -> None:
    async with start_notify() as notify:
        event = received("web")
        await notify.publish(event)
        reason = "Tim tidak menemukan jalan keluar soal jadwal dokter"
        data = EscalatedData(**ref(event), reason=reason)
        await notify.publish(ComplaintEscalated.following(event, data, actor=TEAM))

        alert = await head_alert(notify, "staf_eskalasi")
        assert alert["channel"] == "whatsapp"  # the head asked for a digest: urgent goes at once
        [text] = whatsapp_texts(notify, HEAD_WHATSAPP)
        assert event.data.tracking_number in text and reason in text
        update = await eventually(
            lambda: notify.notifications.find_one(
                {"complaint_id": event.data.complaint_id, "template": "status_dieskalasi"}
            ),
            what="complainant told of the escalation",
        )
        assert update["audience"] == "reporter"


async def test_a_missed_deadline_reaches_the_head_at_once_in_the_clinics_time(
    start_notify: Any,
) -> None:
    async with start_notify() as notify:
        event = received("web")
        await notify.publish(event)
        due = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # 16:00 WIB
        data = DeadlineMissedData(**ref(event), deadline="response", due_at=due)
        missed = ComplaintDeadlineMissed.following(event, data, actor=Actor.system("triage"))
        await notify.publish(missed)

        await head_alert(notify, "staf_tenggat_terlewat")
        [text] = whatsapp_texts(notify, HEAD_WHATSAPP)
        assert event.data.tracking_number in text
        assert "tanggapan" in text and "05-01-2026 16:00 WIB" in text
