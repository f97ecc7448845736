"""Retention (`sigap purge-personal-data`): complaints closed or rejected longer ago than the
retention period lose their personal data in every service that holds a copy — triage, intake,
notify — through the real broker, while reporting's figures and masked register stay as they
were; a dry run changes nothing and a second run finds nothing."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner, Result

from ops import cli, cli_support
from services.intake.main import create_app as intake_app
from services.notify.main import create_app as notify_app
from services.reporting.main import create_app as reporting_app
from shared.events import decode
from shared.settings import Settings
from shared.storage import Database, database
from tests.integration.triage_harness import FrozenClock, Harness, running_triage
from tests.support.lifespan import Running
from tests.support.reporting_harness import folded
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration
LONG_AGO = datetime.now(UTC) - timedelta(days=3 * 365)
AGGREGATES = ("complaint_counts", "district_counts", "clinic_status", "district_status")
VOLATILE_FACT_FIELDS = ("rev", "events", "contrib")
PHONE, EMAIL, NAME = "081234567890", "siti.aminah@example.com", "Siti Aminah"
CONFIRM = ("triage", {"kind": "keluhan", "category": "waktu_tunggu", "unit": "pendaftaran",
                      "urgent": False})  # fmt: skip


def plan(at: datetime) -> tuple[str, dict[str, Any]]:
    due = (at + timedelta(days=10)).date().isoformat()
    return "plan", {"actions": ["Tambah petugas"], "owner": "Koordinator", "due_date": due,
                    "made_by": "tim_pengaduan"}  # fmt: skip


@dataclass
class System:
    triage: Harness
    intake: httpx.AsyncClient
    settings: Settings
    mongo: Any

    def db(self, owner: str) -> Database:
        return database(self.mongo, self.settings, owner)

    async def submit(self, text: str) -> tuple[uuid.UUID, str, str]:
        """Submit over intake's public API; wait until triage, notify and reporting have it."""
        answer = await self.intake.post(
            "/api/v1/complaints",
            json={
                "clinic": "MDRJ1",
                "kind": "keluhan",
                "text": f"{text}. Saya {NAME}, hubungi {PHONE}",
                "reporter": {"name": NAME, "phone": PHONE, "email": EMAIL},
            },
        )
        assert answer.status_code == 202, answer.text
        receipt = answer.json()
        number = receipt["tracking_number"]
        stored = await eventually(
            lambda: self.db("triage")["complaints"].find_one({"tracking_number": number}),
            what="complaint in triage",
        )
        for owner, collection in (("notify", "complaints"), ("reporting", "complaint_facts")):
            await eventually(
                lambda o=owner, c=collection: self.db(o)[c].find_one({"_id": _key(o, stored)}),
                what=f"complaint in {owner}",
            )
        return stored["_id"], number, receipt["pin"]

    async def act(self, complaint_id: uuid.UUID, *steps: tuple[str, dict[str, Any]]) -> None:
        for name, body in steps:
            answer = await self.triage.command(complaint_id, name, body)
            assert answer.status_code == 200, (name, answer.text)

    async def settled(self, complaint_id: uuid.UUID, status: str) -> None:
        """Intake's tracking view and reporting's fact show ``status``."""
        await eventually(
            lambda: self.db("intake")["submissions"].find_one(
                {"complaint_id": complaint_id, "status": status}
            ),
            what=f"intake sees {status}",
        )
        await eventually(
            lambda: self.db("reporting")["complaint_facts"].find_one(
                {"_id": str(complaint_id), "status": status}
            ),
            what=f"reporting sees {status}",
        )
        await folded(self.db("reporting"))


def _key(owner: str, doc: dict[str, Any]) -> Any:
    return str(doc["_id"]) if owner == "reporting" else doc["_id"]


@pytest.fixture
async def system(settings: Settings, amqp: object, mongo: Any) -> AsyncIterator[System]:
    async with contextlib.AsyncExitStack() as stack:
        harness = await stack.enter_async_context(running_triage(settings, FrozenClock(LONG_AGO)))
        for app in (notify_app(settings), reporting_app(settings)):
            await stack.enter_async_context(Running(app))
        intake = await stack.enter_async_context(Running(intake_app(settings)))
        transport = httpx.ASGITransport(app=intake.app)
        http = await stack.enter_async_context(
            httpx.AsyncClient(transport=transport, base_url="http://sigap.test")
        )
        yield System(harness, http, settings, mongo)


async def sigap(settings: Settings, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.setattr(cli_support, "get_settings", lambda: settings)
    return await asyncio.to_thread(CliRunner().invoke, cli.app, list(args))


async def snapshot(system: System) -> dict[str, Any]:
    """Everything reporting shows: aggregates, and the register's facts as stored."""
    reporting = system.db("reporting")
    taken: dict[str, Any] = {}
    # Notify's sender keeps failing the unconfigured channels meanwhile: its counters move on
    # their own, whatever the purge does.
    for name in AGGREGATES:
        docs = reporting[name].find({}, {"notifications": 0})
        taken[name] = sorted([json.dumps(doc, default=str, sort_keys=True) async for doc in docs])
    facts = reporting["complaint_facts"].find({}, dict.fromkeys(VOLATILE_FACT_FIELDS, 0))
    taken["facts"] = sorted([json.dumps(doc, default=str, sort_keys=True) async for doc in facts])
    return taken


async def personal_data(system: System, complaint_id: uuid.UUID) -> dict[str, Any]:
    """What each service still holds of the complainant for one complaint."""
    triage = await system.db("triage")["complaints"].find_one({"_id": complaint_id})
    intake = await system.db("intake")["submissions"].find_one({"complaint_id": complaint_id})
    notify = await system.db("notify")["complaints"].find_one({"_id": complaint_id})
    records = system.db("notify")["notifications"].find(
        {"complaint_id": complaint_id, "audience": "reporter"}
    )
    assert triage is not None and intake is not None and notify is not None
    return {
        "triage": {k: triage.get(k) for k in ("reporter", "reporter_key", "text")},
        "intake": {k: intake.get(k) for k in ("reporter_key", "pin_hash", "reply")},
        "notify": {k: notify.get(k) for k in ("address", "reporter_name")},
        "notify_records": [
            (r.get("address"), r.get("params", {}).get("pin")) async for r in records
        ],
    }


async def identity(system: System, complaint_id: uuid.UUID) -> dict[str, Any]:
    """The identity a complaint's records hold, leaving out what notify's sender changes on its
    own (a PIN is dropped from a record once sent)."""
    held = await personal_data(system, complaint_id)
    addresses = {address for address, _pin in held.pop("notify_records")}
    return {**held, "addresses": addresses}


async def purged_everywhere(system: System, complaint_id: uuid.UUID) -> bool:
    held = await personal_data(system, complaint_id)
    return (
        held["notify"] == {"address": None, "reporter_name": None}
        and all(v is None for v in held["intake"].values())
        and held["triage"]["reporter"] is None
    )


async def test_old_finished_complaints_lose_personal_data_everywhere_and_figures_stay(
    system: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed_id, closed_number, closed_pin = await system.submit("Antrian pendaftaran lama")
    reply = ("reply", {"text": f"Maaf Ibu {NAME}, loket ditambah."})
    await system.act(closed_id, CONFIRM, plan(LONG_AGO), reply, ("close", {"satisfied": True}))
    rejected_id, _, _ = await system.submit("Iklan pinjaman online")
    await system.act(rejected_id, ("reject", {"reason": "Bukan aduan"}))
    open_id, _, _ = await system.submit("Obat di farmasi habis")
    recent_id, _, _ = await system.submit("Toilet kotor")
    system.triage.clock.now = datetime.now(UTC)  # closed today: within the retention period
    recent_steps = (CONFIRM, plan(system.triage.clock.now), ("reply", {"text": "Sudah."}))
    await system.act(recent_id, *recent_steps, ("close", {}))
    for complaint_id, status in ((closed_id, "closed"), (rejected_id, "rejected"),
                                 (recent_id, "closed")):  # fmt: skip
        await system.settled(complaint_id, status)
    before = await snapshot(system)
    untouched = {cid: await identity(system, cid) for cid in (open_id, recent_id)}
    assert untouched[open_id]["triage"]["reporter"]["phone"] == "+6281234567890"
    assert untouched[open_id]["addresses"] == {EMAIL}

    held_before = {cid: await identity(system, cid) for cid in (closed_id, rejected_id)}
    assert (
        held_before[closed_id]["intake"]["pin_hash"] and held_before[closed_id]["notify"]["address"]
    )
    dry = await sigap(system.settings, monkeypatch, "purge-personal-data", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "2 aduan memenuhi syarat" in dry.output
    for complaint_id, held in held_before.items():
        assert await identity(system, complaint_id) == held
    assert system.triage.tap.of("complaint.personal_data_purged") == []

    ran = await sigap(system.settings, monkeypatch, "purge-personal-data")
    assert ran.exit_code == 0, ran.output
    assert "2 dari 2 aduan" in ran.output
    for complaint_id in (closed_id, rejected_id):
        await eventually(lambda c=complaint_id: purged_everywhere(system, c), what="purged")
    held = await personal_data(system, closed_id)
    for leaked in (NAME, PHONE, EMAIL, "+6281234567890"):
        assert leaked not in json.dumps(held, default=str)
    assert held["notify_records"] and all(pin is None for _, pin in held["notify_records"])
    assert all(address and "***" in address for address, _ in held["notify_records"])
    assert "Antrian pendaftaran lama" in held["triage"]["text"]
    tracked = await system.intake.get(
        f"/api/v1/complaints/track/{closed_number}", params={"pin": closed_pin}
    )
    assert tracked.status_code == 404  # the PIN's hash is gone with the rest

    await system.triage.tap.wait_for("complaint.personal_data_purged", count=2)
    await eventually(
        lambda: system.db("reporting")["event_log"].count_documents(
            {"type": "complaint.personal_data_purged"}
        ),
        until=lambda n: n == 2,
        what="reporting heard the purge",
    )
    await folded(system.db("reporting"))
    assert await snapshot(system) == before
    for complaint_id, kept in untouched.items():
        assert await identity(system, complaint_id) == kept

    again = await sigap(system.settings, monkeypatch, "purge-personal-data")
    assert again.exit_code == 0 and "0 dari 0 aduan" in again.output
    assert len(system.triage.tap.of("complaint.personal_data_purged")) == 2


async def test_a_redelivered_purge_event_changes_nothing_more(
    system: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _, _ = await system.submit("Antrian pendaftaran lama")
    second, _, _ = await system.submit("Parkir sempit")
    await system.act(first, ("reject", {"reason": "Bukan aduan"}))
    await system.settled(first, "rejected")
    assert (await sigap(system.settings, monkeypatch, "purge-personal-data")).exit_code == 0
    await eventually(lambda: purged_everywhere(system, first), what="first purged")
    [event] = await system.triage.tap.wait_for("complaint.personal_data_purged")
    held = await identity(system, first)
    processed = {
        owner: await system.db(owner)["processed_events"].count_documents({})
        for owner in ("intake", "notify")
    }
    # The same event again, then a purge of another complaint: once that one is applied, the
    # duplicate before it in each queue has been handled too.
    await system.triage.triage.runtime.publisher.publish(decode(json.dumps(event).encode()))
    await system.act(second, ("reject", {"reason": "Bukan aduan"}))
    await system.settled(second, "rejected")
    assert (await sigap(system.settings, monkeypatch, "purge-personal-data")).exit_code == 0
    await eventually(lambda: purged_everywhere(system, second), what="second purged")
    assert await identity(system, first) == held
    for owner, count in processed.items():
        applied = await system.db(owner)["processed_events"].count_documents({})
        # one more event applied: the second purge (and, for intake, the second rejection)
        assert applied == count + (2 if owner == "intake" else 1)


async def test_a_retention_period_below_one_day_is_refused(
    system: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = await sigap(
        system.settings, monkeypatch, "purge-personal-data", "--older-than-days", "0"
    )
    assert refused.exit_code == 1 and "older-than-days" in refused.output
