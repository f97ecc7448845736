"""The deadline scheduler with a frozen clock, against the real broker and database.

A complaint received on Tuesday 12 May 2026 at 10:00 WIB must be verified within three working
days. Thursday 14 May is a national holiday (Kenaikan Isa Almasih), so the deadline is the end
of Monday 18 May, not Friday 15 May.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.triage.domain.deadlines import PolicyOverride
from shared.settings import Settings
from tests.integration.triage_harness import FrozenClock, Harness, running_triage

pytestmark = pytest.mark.integration
WIB = ZoneInfo("Asia/Jakarta")


def wib(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture
async def replicas(
    settings: Settings, amqp: object, mongo: object
) -> AsyncIterator[tuple[Harness, Harness]]:
    """Two triage replicas on one broker and database, sharing one frozen clock."""
    clock = FrozenClock(wib(5, 12, 10))
    async with contextlib.AsyncExitStack() as stack:
        first = await stack.enter_async_context(running_triage(settings, clock))
        second = await stack.enter_async_context(running_triage(settings, clock))
        yield first, second


async def scan_everywhere(replicas: tuple[Harness, Harness]) -> None:
    await asyncio.gather(*(r.triage.scheduler.run_once() for r in replicas))


async def test_missed_verify_deadline_counts_past_the_national_holiday_and_is_raised_once(
    replicas: tuple[Harness, Harness],
) -> None:
    triage, _ = replicas
    cid = (await triage.receive()).data.complaint_id
    doc = await triage.triage.store.get_document(cid)
    assert doc is not None
    assert doc["deadlines"]["triage_due"].astimezone(WIB) == wib(5, 18, 23, 59).replace(second=59)

    for moment in (wib(5, 15, 23, 59), wib(5, 16, 12), wib(5, 18, 23, 0)):
        triage.clock.now = moment
        await scan_everywhere(replicas)
    assert (await triage.triage.store.get_document(cid))["missed_deadlines"] == []  # type: ignore[index]

    triage.clock.now = wib(5, 19, 0, 1)
    await scan_everywhere(replicas)
    await scan_everywhere(replicas)
    [missed] = await triage.tap.wait_for("complaint.deadline_missed", cid)
    assert missed["data"]["deadline"] == "triage"
    assert datetime.fromisoformat(missed["data"]["due_at"]).astimezone(WIB).date() == date(
        2026, 5, 18
    )
    stored = await triage.triage.store.get_document(cid)
    assert stored is not None and stored["missed_deadlines"] == ["triage"]
    assert [h["action"] for h in stored["history"]].count("deadline_missed") == 1

    triage.clock.now = wib(5, 21, 9)  # the answer was due at the end of Wednesday 20 May
    await scan_everywhere(replicas)
    await scan_everywhere(replicas)
    both = await triage.tap.wait_for("complaint.deadline_missed", cid, count=2)
    assert sorted(e["data"]["deadline"] for e in both) == ["response", "triage"]
    assert len(triage.tap.of("complaint.deadline_missed", cid)) == 2


async def test_a_person_confirming_the_triage_in_time_meets_the_verify_deadline(
    replicas: tuple[Harness, Harness],
) -> None:
    triage, _ = replicas
    cid = (await triage.receive()).data.complaint_id
    triage.clock.now = wib(5, 18, 15)
    body = {"kind": "keluhan", "category": "waktu_tunggu", "unit": "pendaftaran", "urgent": False}
    assert (await triage.command(cid, "triage", body)).status_code == 200
    triage.clock.now = wib(5, 19, 9)
    await scan_everywhere(replicas)
    stored = await triage.triage.store.get_document(cid)
    assert stored is not None and stored["missed_deadlines"] == []
    # The answer is due five working days after the person's triage: Monday 25 May.
    due = stored["deadlines"]["response_due"].astimezone(WIB)
    assert due.date() == date(2026, 5, 25)


async def test_answered_complaint_closes_itself_when_the_reporter_stays_silent(
    replicas: tuple[Harness, Harness],
) -> None:
    triage, _ = replicas
    cid = (await triage.receive(kind="saran", text="Mohon tambah kursi tunggu")).data.complaint_id
    reply = {"text": "Kursi tunggu sudah ditambah."}
    assert (await triage.command(cid, "reply", reply)).status_code == 200
    triage.clock.advance(timedelta(days=7))
    await scan_everywhere(replicas)
    assert (await triage.triage.store.get_document(cid))["status"] == "responded"  # type: ignore[index]

    triage.clock.advance(timedelta(days=14))
    await scan_everywhere(replicas)
    await scan_everywhere(replicas)
    [closed] = await triage.tap.wait_for("complaint.closed", cid)
    assert closed["data"]["reason"] == "no_reply"
    assert closed["actor"]["kind"] == "system"
    assert (await triage.triage.store.get_document(cid))["status"] == "closed"  # type: ignore[index]


async def test_deadlines_follow_the_clinic_own_policy_and_days_off(
    replicas: tuple[Harness, Harness],
) -> None:
    triage, _ = replicas
    await triage.triage.calendars.set(
        "clinic", "MDRJ1", PolicyOverride(triage_days=1), [date(2026, 5, 13)]
    )
    own = (await triage.receive(clinic="MDRJ1")).data.complaint_id
    default = (await triage.receive(clinic="MDRJ2")).data.complaint_id
    own_due = (await triage.triage.store.get_document(own))["deadlines"]["triage_due"]  # type: ignore[index]
    default_due = (await triage.triage.store.get_document(default))["deadlines"]["triage_due"]  # type: ignore[index]
    assert own_due.astimezone(WIB).date() == date(2026, 5, 15)  # 13 off, 14 holiday
    assert default_due.astimezone(WIB).date() == date(2026, 5, 18)
