"""A complaint's whole life through the real broker and database: received over the broker,
confirmed by a person, followed up, answered, closed and reopened by staff over the API, with
every change in the register and every event published exactly once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest

from shared.auth import Role
from shared.events import ComplaintReporterReplied, ReporterRepliedData
from shared.settings import Settings
from tests.integration.triage_harness import Harness, running_triage
from tests.integration.triage_harness import received as received_event
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


async def test_keluhan_lives_from_receipt_to_closing_and_reopening(triage: Harness) -> None:
    event = await triage.receive()
    cid = event.data.complaint_id
    [automatic] = await triage.tap.wait_for("complaint.triaged", cid)
    assert automatic["data"]["automatic"] is True
    assert automatic["data"]["category"] == "waktu_tunggu"

    seen = (await triage.get(cid)).json()
    assert (seen["status"], seen["version"], seen["triage_confirmed"]) == ("triaged", 2, False)

    due = (triage.clock() + timedelta(days=20)).date().isoformat()
    steps = [
        ("triage", {"kind": "keluhan", "category": "sikap_petugas", "unit": "pendaftaran",
                    "urgent": False}, "triaged"),
        ("assign", {"assignee": "Budi (pendaftaran)"}, "triaged"),
        ("plan", {"actions": ["Tambah petugas loket pagi"], "owner": "Koordinator pendaftaran",
                  "due_date": due, "made_by": "tim_pengaduan"}, "planned"),
        ("progress", {}, "in_progress"),
        ("reply", {"text": "Mulai Senin loket pagi dilayani dua petugas."}, "responded"),
        ("close", {"satisfied": True}, "closed"),
        ("reopen", {"reason": "Pelapor: antrian masih lama"}, "reopened"),
    ]  # fmt: skip
    for name, body, status in steps:
        answer = await triage.command(cid, name, body)
        assert answer.status_code == 200, (name, answer.text)
        assert answer.json()["status"] == status

    final = (await triage.get(cid)).json()
    assert final["version"] == 2 + len(steps)
    assert [h["action"] for h in final["history"]] == [
        "receive", "triage", "triage", "assign", "record_plan", "start_progress",
        "record_reply", "close", "reopen",
    ]  # fmt: skip
    staff_entry = final["history"][2]
    assert staff_entry["actor"]["role"] == "complaint_team"
    assert staff_entry["at"] and staff_entry["detail"] == "keluhan; sikap_petugas; pendaftaran"
    review = final["triage_review"]
    assert review["suggested"]["category"] == "waktu_tunggu"
    assert review["confirmed"]["category"] == "sikap_petugas"

    expected = [
        "complaint.assigned", "complaint.plan_recorded", "complaint.progress_started",
        "complaint.responded", "complaint.closed", "complaint.reopened",
    ]  # fmt: skip
    for event_type in expected:
        await triage.tap.wait_for(event_type, cid)
    confirmed = await triage.tap.wait_for("complaint.triaged", cid, count=2)
    assert [e["data"]["automatic"] for e in confirmed] == [True, False]
    assert [e["actor"]["kind"] for e in confirmed] == ["system", "staff"]
    assert all(e["correlation_id"] for e in triage.tap.events)
    for event_type in expected:
        assert len(triage.tap.of(event_type, cid)) == 1, event_type


async def test_escalation_to_the_head_and_a_plan_made_with_the_head(triage: Harness) -> None:
    cid = (await triage.receive()).data.complaint_id
    reason = {"reason": "Tim tidak menemukan pemecahan masalah"}
    assert (await triage.command(cid, "escalate", reason)).json()["status"] == "escalated"
    due = (triage.clock() + timedelta(days=10)).date().isoformat()
    plan = {"actions": ["Rapat dengan unit"], "owner": "Kepala", "due_date": due}
    refused = await triage.command(cid, "plan", {**plan, "made_by": "tim_pengaduan"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "plan.made_by"
    made = await triage.command(cid, "plan", {**plan, "made_by": "kepala"}, role=Role.HEAD)
    assert made.status_code == 200 and made.json()["status"] == "planned"
    [escalated] = await triage.tap.wait_for("complaint.escalated", cid)
    assert escalated["data"]["reason"] == reason["reason"]


async def test_waiting_for_the_reporter_resumes_when_their_reply_arrives(
    triage: Harness,
) -> None:
    received = await triage.receive()
    cid = received.data.complaint_id
    question = {"question": "Pada hari apa Ibu datang?"}
    assert (await triage.command(cid, "wait", question)).json()["status"] == "waiting_reporter"
    reply = ComplaintReporterReplied.following(
        received,
        ReporterRepliedData(
            complaint_id=cid, tracking_number=received.data.tracking_number, text="Senin pagi"
        ),
        actor=received.actor,
    )
    for _ in range(2):  # delivered twice: applied once
        await triage.triage.runtime.publisher.publish(reply)
    doc = await eventually(
        lambda: triage.triage.store.get_document(cid),
        until=lambda d: d is not None and d["status"] == "triaged",
        what="reporter reply applied",
    )
    assert [h["action"] for h in doc["history"]].count("reporter_replied") == 1


async def test_reporter_message_arriving_before_its_complaint_is_applied_once_it_exists(
    settings: Settings, amqp: object, mongo: object
) -> None:
    # Same number of retry queues as the fixture's settings (it removes them afterwards), but
    # delays long enough for the complaint to arrive before the message is dead-lettered.
    patient = settings.model_copy(update={"retry_delays_seconds": (0.5, 3.0)})
    async with running_triage(patient) as triage:
        early = received_event()
        message = ComplaintReporterReplied.following(
            early,
            ReporterRepliedData(
                complaint_id=early.data.complaint_id,
                tracking_number=early.data.tracking_number,
                text="Tambahan: saya datang hari Senin",
            ),
            actor=early.actor,
        )
        await triage.triage.runtime.publisher.publish(message)
        await triage.triage.runtime.publisher.publish(early)
        doc = await eventually(
            lambda: triage.triage.store.get_document(early.data.complaint_id),
            until=lambda d: d is not None and d["history"][-1]["action"] == "reporter_message",
            what="early message recorded after the complaint arrived",
        )
        assert doc["history"][-1]["detail"] == "Tambahan: saya datang hari Senin"
        assert doc["status"] == "triaged"


async def test_same_receipt_delivered_twice_is_stored_and_announced_once(
    triage: Harness,
) -> None:
    event = await triage.receive()
    await triage.triage.runtime.publisher.publish(event)
    twin = event.model_copy(update={"event_id": uuid.uuid4()})  # same complaint, new event id
    await triage.triage.runtime.publisher.publish(twin)
    processed = triage.triage.runtime.db["processed_events"]
    await eventually(
        lambda: processed.count_documents({"_id": str(twin.event_id)}), what="twin applied"
    )
    complaints = triage.triage.runtime.db["complaints"]
    assert await complaints.count_documents({"_id": event.data.complaint_id}) == 1
    assert len(triage.tap.of("complaint.triaged", event.data.complaint_id)) == 1


async def test_two_staff_acting_on_the_same_version_lose_no_change(triage: Harness) -> None:
    cid = (await triage.receive()).data.complaint_id
    version = (await triage.get(cid)).json()["version"]
    answers = await asyncio.gather(
        *[
            triage.command(cid, "assign", {"assignee": f"Petugas {n}", "version": version})
            for n in range(4)
        ]
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 409, 409, 409]
    winner = next(a for a in answers if a.status_code == 200).json()
    for loser in (a for a in answers if a.status_code == 409):
        current = loser.json()["complaint"]
        assert current["version"] == version + 1
        assert current["assignee"] == winner["assignee"]
        assert loser.json()["errors"][0]["field"] == "version"
    stored = (await triage.get(cid)).json()
    assert [h["action"] for h in stored["history"]].count("assign") == 1
    await triage.tap.wait_for("complaint.assigned", cid)
    assert len(triage.tap.of("complaint.assigned", cid)) == 1


async def test_command_on_an_old_version_is_refused_with_the_current_state(
    triage: Harness,
) -> None:
    cid = (await triage.receive()).data.complaint_id
    stale = await triage.command(cid, "assign", {"assignee": "Budi", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["complaint"]["version"] == 2
    assert "diubah oleh pengguna lain" in stale.json()["detail"]
