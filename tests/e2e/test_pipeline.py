"""The minimal pipeline, end to end: intake → triage → notify and reporting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pymongo import AsyncMongoClient

from shared.auth import Principal, Role, TokenCodec
from shared.settings import Settings
from tests.e2e.conftest import System
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


async def test_complaint_from_the_public_form_is_stored_triaged_queued_and_counted(
    system: System, settings: Settings, mongo: AsyncMongoClient[dict[str, object]]
) -> None:
    reply = await system.intake.post(
        "/api/v1/complaints",
        json={
            "clinic": "MDRJ1",
            "kind": "keluhan",
            "text": "Antrian di pendaftaran lama bgt, sdh 3 jam blm dipanggil",
            "reporter": {"name": "Siti", "phone": "081234567890"},
        },
        headers={"X-Request-ID": "req-e2e-1"},
    )
    assert reply.status_code == 202, reply.text
    receipt = reply.json()
    assert receipt["tracking_number"].startswith("MDRJ1-")
    assert len(receipt["pin"]) == 6
    assert reply.headers["x-request-id"] == "req-e2e-1"

    prefix = settings.mongodb_db_prefix
    complaints = mongo[f"{prefix}_triage"]["complaints"]
    stored = await eventually(
        lambda: complaints.find_one({"tracking_number": receipt["tracking_number"]}),
        what="complaint stored by triage",
    )
    assert stored["status"] == "triaged"
    assert stored["clinic"] == "MDRJ1"
    assert stored["reporter"]["phone"] == "+6281234567890"
    assert stored["suggestion"]["category"] == "waktu_tunggu"
    assert [h["action"] for h in stored["history"]] == ["receive", "triage"]

    notifications = mongo[f"{prefix}_notify"]["notifications"]
    queued = await eventually(
        lambda: notifications.find({"complaint_id": stored["_id"]}).to_list(),
        until=lambda docs: len(docs) >= 1,
        what="receipt to the complainant queued",
    )
    assert ("reporter", "tanda_terima") in {(n["audience"], n["template"]) for n in queued}

    head = Principal(user_id="u-head", role=Role.HEAD, district="banjarnegara", clinic="MDRJ1")
    token = TokenCodec(
        settings.auth_secret.get_secret_value(),
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
    ).issue(head, timedelta(minutes=10))

    async def counted() -> dict[str, object]:
        reply = await system.reporting.get(
            "/api/v1/reports/summary",
            params={"clinic": "MDRJ1", "from": "2000-01-01", "to": "2100-12-31"},
            headers={"Authorization": f"Bearer {token}"},
        )
        return dict(reply.json())

    summary = await eventually(
        counted,
        until=lambda s: s.get("received") == 1 and s.get("by_status", {}).get("triaged") == 1,  # type: ignore[union-attr]
        what="counted by reporting",
    )
    assert summary["by_channel"] == {"web": 1}

    processed = mongo[f"{prefix}_triage"]["processed_events"]
    assert await processed.count_documents({}) == 1


async def test_unknown_clinic_is_refused_naming_the_field_and_publishes_nothing(
    system: System, settings: Settings, mongo: AsyncMongoClient[dict[str, object]]
) -> None:
    reply = await system.intake.post(
        "/api/v1/complaints", json={"clinic": "NOPE9", "kind": "saran", "text": "Tambah kursi"}
    )
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["field"] == "clinic"

    reply = await system.intake.post(
        "/api/v1/complaints",
        json={"clinic": "MDRJ1", "kind": "saran", "text": "x", "password": "forbidden"},
    )
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["field"] == "password"
    submissions = mongo[f"{settings.mongodb_db_prefix}_intake"]["submissions"]
    assert await submissions.count_documents({}) == 0


async def test_every_service_reports_health_and_readiness(system: System) -> None:
    for client in (system.intake, system.triage, system.notify, system.reporting):
        assert (await client.get("/health")).json()["status"] == "ok"
        ready = await client.get("/ready")
        assert ready.status_code == 200, ready.text
        assert ready.json() == {"status": "ok", "broker": True, "database": True}


async def test_public_clinic_list_has_codes_names_and_units(system: System) -> None:
    clinics = (await system.intake.get("/api/v1/clinics")).json()
    codes = {clinic["code"] for clinic in clinics}
    assert {"MDRJ1", "RANAI"} <= codes
    mandiraja = next(c for c in clinics if c["code"] == "MDRJ1")
    assert {"code": "farmasi", "name": "Farmasi"} in mandiraja["units"]


async def test_logs_carry_the_correlation_id_and_no_personal_data(
    system: System, settings: Settings, mongo: AsyncMongoClient[dict[str, object]], capsys
) -> None:
    reply = await system.intake.post(
        "/api/v1/complaints",
        json={
            "clinic": "MDRJ2",
            "kind": "keluhan",
            "text": "Saya Bambang Wijaya, hp 081311112222, petugas farmasi membentak",
            "reporter": {"name": "Bambang Wijaya", "phone": "081311112222", "email": "bw@x.id"},
        },
        headers={"X-Request-ID": "req-pii-check"},
    )
    assert reply.status_code == 202
    complaints = mongo[f"{settings.mongodb_db_prefix}_triage"]["complaints"]
    await eventually(
        lambda: complaints.find_one({"tracking_number": reply.json()["tracking_number"]}),
        what="stored",
    )
    logged = capsys.readouterr().out
    lines = [line for line in logged.splitlines() if "req-pii-check" in line]
    assert any('"event.handled"' in line for line in lines), logged[-2000:]
    for secret in ("Bambang", "081311112222", "+6281311112222", "bw@x.id", reply.json()["pin"]):
        assert secret not in logged
