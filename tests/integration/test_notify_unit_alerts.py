"""The unit a complaint is routed to hears of it at triage, through the real broker and
database: once per routing (not again for a redelivered event, a re-triage to the same unit
or an assignment), and the new unit when a re-triage moves the complaint."""

from __future__ import annotations

from typing import Any

import pytest

from shared.events import (
    Actor,
    ComplaintAssigned,
    ComplaintAssignedData,
    ComplaintReceived,
    ComplaintTriaged,
    ComplaintTriagedData,
    Event,
)
from tests.support.notify_harness import Notify, received
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

UNIT_STAFF = {"farmasi": "farmasi@mdrj1.test", "pendaftaran": "loket@mdrj1.test"}
TEAM = Actor(kind="staff", id="team-1", role="complaint_team")


async def add_unit_staff(notify: Notify) -> None:
    users = notify.mongo[f"{notify.settings.mongodb_db_prefix}_directory"]["users"]
    await users.insert_many(
        [
            {
                "_id": f"unit-{unit}",
                "username": f"unit-{unit}",
                "name": f"Petugas {unit}",
                "role": "unit",
                "district": "banjarnegara",
                "clinic": "MDRJ1",
                "unit": unit,
                "email": email,
                "phone": None,
                "notify_channels": ["email"],
                "digest": False,
                "active": True,
            }
            for unit, email in UNIT_STAFF.items()
        ]
    )


def triaged(cause: ComplaintReceived, unit: str, category: str = "antrian") -> ComplaintTriaged:
    data = ComplaintTriagedData(
        complaint_id=cause.data.complaint_id,
        tracking_number=cause.data.tracking_number,
        kind="keluhan",
        category=category,
        unit=unit,
        urgent=False,
        automatic=False,
    )
    return ComplaintTriaged.following(cause, data, actor=TEAM)


async def delivered(notify: Notify, event: Event, times: int = 1) -> None:
    """``event`` published ``times`` (a redelivery), then applied by notify."""
    for _ in range(times):
        await notify.publish(event)
    await applied(notify, event)


async def applied(notify: Notify, event: Event) -> None:
    """Wait until notify has applied ``event`` (its messages are planned in the same write)."""
    processed = notify.mongo[f"{notify.settings.mongodb_db_prefix}_notify"]["processed_events"]
    await eventually(
        lambda: processed.find_one({"_id": str(event.event_id)}), what=f"{event.type} applied"
    )


async def unit_alerts(notify: Notify) -> list[dict[str, Any]]:
    """Every unit alert, once each has been sent (all are planned by now)."""
    docs: list[dict[str, Any]] = await eventually(
        lambda: notify.notifications.find({"audience": "unit"}).to_list(),
        until=lambda docs: all(d["status"] == "sent" for d in docs),
        what="unit alerts sent",
    )
    return docs


async def test_unit_is_alerted_once_when_triage_routes_a_complaint_to_it(
    start_notify: Any,
) -> None:
    async with start_notify() as notify:
        await add_unit_staff(notify)
        event = received("web")
        await delivered(notify, event)
        routed = triaged(event, "farmasi")
        for _ in range(2):  # the broker redelivers
            await delivered(notify, routed)
        confirmed = triaged(event, "farmasi", category="obat")  # re-triage, same unit
        await delivered(notify, confirmed)
        assigned = ComplaintAssigned.following(
            event,
            ComplaintAssignedData(
                complaint_id=event.data.complaint_id,
                tracking_number=event.data.tracking_number,
                assignee="Apoteker Rina",
                unit="farmasi",
            ),
            actor=TEAM,
        )
        await delivered(notify, assigned)

        [alert] = await unit_alerts(notify)
        assert alert["user_id"] == "unit-farmasi"
        assert alert["template"] == "staf_aduan_unit"
        assert alert["cause_event_id"] == routed.event_id
        mails = [m for m in notify.smtp.messages if m["To"] == UNIT_STAFF["farmasi"]]
        assert len(mails) == 1
        assert event.data.tracking_number in mails[0]["Subject"]
        assert "unit farmasi" in mails[0].get_content()
        assert not [m for m in notify.smtp.messages if m["To"] == UNIT_STAFF["pendaftaran"]]


async def test_re_triage_to_another_unit_alerts_the_new_unit(start_notify: Any) -> None:
    async with start_notify() as notify:
        await add_unit_staff(notify)
        event = received("web")
        await delivered(notify, event)
        first = triaged(event, "farmasi")
        await delivered(notify, first)
        moved = triaged(event, "pendaftaran")
        await delivered(notify, moved)

        alerts = await unit_alerts(notify)
        assert sorted((a["user_id"], a["cause_event_id"]) for a in alerts) == [
            ("unit-farmasi", first.event_id),
            ("unit-pendaftaran", moved.event_id),
        ]
        [mail] = [m for m in notify.smtp.messages if m["To"] == UNIT_STAFF["pendaftaran"]]
        assert "unit pendaftaran" in mail.get_content()
