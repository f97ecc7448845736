"""The reporting service against the real broker and database: events in (redelivered, out of
order), aggregates out, equal to a recount and to a rebuild; reports, exports and who sees what."""

from __future__ import annotations

import io
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import httpx
import pytest
from asgi_lifespan import LifespanManager
from openpyxl import load_workbook

from services.reporting.domain.contributions import COLLECTIONS
from services.reporting.main import create_app
from services.reporting.rebuild import rebuild
from shared.auth import Principal, Role, TokenCodec
from shared.directory import Clinic, Directory, District, Unit
from shared.events import (
    Actor,
    ComplaintReceived,
    ComplaintReceivedData,
    Event,
    NotificationFailed,
    NotificationFailedData,
    NotificationSent,
    NotificationSentData,
    Reporter,
    encode,
)
from shared.settings import Settings
from shared.storage import create_client, database
from tests.support.waiting import eventually
from tests.unit.test_reporting_reports import HAND_DATA, survey
from tests.unit.test_reporting_scenarios import deliveries, history, normalised, recount

pytestmark = pytest.mark.integration
UNITS = (Unit(code="poli_umum", name="Poli Umum"), Unit(code="farmasi", name="Farmasi"))


@dataclass
class Reporting:
    http: httpx.AsyncClient
    settings: Settings
    amqp: aio_pika.abc.AbstractRobustConnection

    def token(
        self, role: Role, clinic: str | None = "MDRJ1", district: str = "banjarnegara"
    ) -> dict[str, str]:
        codec = TokenCodec(
            self.settings.auth_secret.get_secret_value(),
            issuer=self.settings.auth_issuer,
            audience=self.settings.auth_audience,
        )
        principal = Principal(user_id=f"u-{role}", role=role, district=district, clinic=clinic)
        return {"Authorization": f"Bearer {codec.issue(principal, timedelta(minutes=30))}"}

    async def publish(self, events: list[Event]) -> None:
        async with self.amqp.channel() as channel:
            exchange = await channel.get_exchange(self.settings.exchange_name)
            for event in events:
                message = aio_pika.Message(
                    encode(event), delivery_mode=aio_pika.DeliveryMode.PERSISTENT
                )
                await exchange.publish(message, routing_key=event.type)

    async def processed(self, count: int) -> None:
        client = create_client(self.settings)
        try:
            db = database(client, self.settings, "reporting")
            await eventually(
                lambda: db["processed_events"].count_documents({}),
                until=lambda n: n >= count,
                timeout=90,
                what=f"{count} events applied",
            )
        finally:
            await client.close()

    async def collection(self, name: str) -> list[dict[str, Any]]:
        client = create_client(self.settings)
        try:
            db = database(client, self.settings, "reporting")
            return [doc async for doc in db[name].find({})]
        finally:
            await client.close()


async def seed_directory(settings: Settings) -> None:
    client = create_client(settings)
    try:
        directory = Directory(database(client, settings, "directory"))
        for code in ("banjarnegara", "natuna"):
            await directory.save_district(District(code=code, name=f"Dinkes {code}"))
        for code, district in (
            ("MDRJ1", "banjarnegara"),
            ("MDRJ2", "banjarnegara"),
            ("RANAI", "natuna"),
        ):
            await directory.save_clinic(
                Clinic(code=code, name=f"Puskesmas {code}", district=district, units=UNITS)
            )
    finally:
        await client.close()


@pytest.fixture
async def reporting(settings: Settings, amqp: Any, mongo: Any) -> AsyncIterator[Reporting]:
    await seed_directory(settings)
    async with LifespanManager(
        create_app(settings), startup_timeout=30, shutdown_timeout=30
    ) as app:
        transport = httpx.ASGITransport(app=app.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sigap.test") as http:
            yield Reporting(http, settings, amqp)


def stored_aggregates(
    docs_by_collection: dict[str, list[dict[str, Any]]],
) -> dict[tuple[str, str], dict[str, int]]:
    result: dict[tuple[str, str], dict[str, int]] = {}

    def flatten(node: dict[str, Any], prefix: str = "") -> dict[str, int]:
        flat: dict[str, int] = {}
        for key, value in node.items():
            if isinstance(value, dict):
                flat.update(flatten(value, f"{prefix}{key}."))
            elif isinstance(value, int) and value:
                flat[f"{prefix}{key}"] = value
        return flat

    for collection, docs in docs_by_collection.items():
        for doc in docs:
            # meta fields (district, clinic, month) are strings: flatten keeps only counters
            fields = flatten({k: v for k, v in doc.items() if k != "_id"})
            if fields:
                result[(collection, str(doc["_id"]))] = fields
    return result


async def aggregates(reporting: Reporting) -> dict[tuple[str, str], dict[str, int]]:
    return stored_aggregates({name: await reporting.collection(name) for name in COLLECTIONS})


SUMMARY = {"clinic": "MDRJ1", "from": "2026-09-01", "to": "2026-12-31"}


async def test_aggregates_equal_a_recount_after_redeliveries_and_out_of_order_arrival(
    reporting: Reporting, settings: Settings
) -> None:
    rng = random.Random(2026)
    histories = [history(rng) for _ in range(60)]
    unique = sum(len(h.events) for h in histories)
    await reporting.publish(deliveries(histories, rng))
    await reporting.processed(unique)

    assert await aggregates(reporting) == normalised(recount(histories))
    head = reporting.token(Role.HEAD)
    summary = (
        await reporting.http.get("/api/v1/reports/summary", params=SUMMARY, headers=head)
    ).json()
    mine = [h for h in histories if h.clinic == "MDRJ1"]
    assert summary["received"] == len(mine)
    assert summary["open_now"] == sum(h.open for h in mine)
    assert summary["by_status"] == {
        s: n
        for s, n in sorted(
            {h.status: sum(x.status == h.status for x in mine) for h in mine}.items()
        )
    }
    assert sum(summary["by_kind"].values()) == len(mine)

    counts = await rebuild(settings)
    assert counts["complaints"] == len(histories) and counts["events"] == unique
    assert await aggregates(reporting) == normalised(recount(histories))
    again = (
        await reporting.http.get("/api/v1/reports/summary", params=SUMMARY, headers=head)
    ).json()
    assert again == summary


async def test_ikm_endpoint_matches_the_hand_computation_per_clinic_and_district(
    reporting: Reporting,
) -> None:
    other = survey((4,) * 9)
    other = other.model_copy(update={"clinic": "MDRJ2"})
    await reporting.publish([survey(row) for row in HAND_DATA] + [other])
    await reporting.processed(6)
    params = {"from": "2026-10-01", "to": "2026-10-31"}
    head = reporting.token(Role.HEAD)
    clinic = (
        await reporting.http.get(
            "/api/v1/reports/ikm", params={**params, "clinic": "MDRJ1"}, headers=head
        )
    ).json()
    assert [e["nrr"] for e in clinic["elements"]] == [
        "3.60",
        "3.40",
        "2.80",
        "3.80",
        "3.20",
        "3.40",
        "4.00",
        "3.40",
        "2.80",
    ]
    assert (clinic["ikm"], clinic["grade"], clinic["label"], clinic["respondents"]) == (
        "84.44",
        "B",
        "Baik",
        5,
    )
    district = reporting.token(Role.DISTRICT, clinic=None)
    whole = (
        await reporting.http.get(
            "/api/v1/reports/ikm", params={**params, "district": "banjarnegara"}, headers=district
        )
    ).json()
    # All six respondents' answers: Σ NRR = (152 + 9·4)/6·… = 25 × (30.4·5 + 36)/(9·6) = 87.04
    assert (whole["ikm"], whole["grade"], whole["respondents"]) == ("87.04", "B", 6)
    public = (
        await reporting.http.get("/api/v1/reports/public/ikm/MDRJ1", params={"year": 2026})
    ).json()
    assert (public["ikm"], public["label"]) == ("84.44", "Baik")
    page = await reporting.http.get(
        "/api/v1/reports/public/ikm/MDRJ1/halaman", params={"year": 2026}
    )
    assert page.status_code == 200 and "IKM 84.44" in page.text and "Sangat Baik" not in page.text


async def test_each_user_sees_only_their_clinic_or_district(reporting: Reporting) -> None:
    params = {"from": "2026-10-01", "to": "2026-10-31"}
    get = reporting.http.get
    assert (
        await get("/api/v1/reports/summary", params={**params, "clinic": "MDRJ1"})
    ).status_code == 401
    head = reporting.token(Role.HEAD)
    assert (
        await get("/api/v1/reports/summary", params={**params, "clinic": "MDRJ2"}, headers=head)
    ).status_code == 404
    refused = await get(
        "/api/v1/reports/summary", params={**params, "district": "banjarnegara"}, headers=head
    )
    assert refused.status_code == 403 and refused.json()["errors"][0]["field"] == "district"
    district = reporting.token(Role.DISTRICT, clinic=None)
    assert (
        await get("/api/v1/reports/summary", params={**params, "clinic": "MDRJ2"}, headers=district)
    ).status_code == 200
    assert (
        await get("/api/v1/reports/summary", params={**params, "clinic": "RANAI"}, headers=district)
    ).status_code == 404
    assert (
        await get(
            "/api/v1/reports/summary", params={**params, "district": "natuna"}, headers=district
        )
    ).status_code == 404
    unit = reporting.token(Role.UNIT)
    assert (
        await get("/api/v1/reports/summary", params={**params, "clinic": "MDRJ1"}, headers=unit)
    ).status_code == 403
    both = await get(
        "/api/v1/reports/summary",
        params={**params, "clinic": "MDRJ1", "district": "banjarnegara"},
        headers=head,
    )
    assert both.status_code == 422
    board = {"district": "banjarnegara", **params}
    assert (
        await get("/api/v1/reports/district/clinics", params=board, headers=head)
    ).status_code == 403
    admin = reporting.token(Role.ADMIN, clinic=None)
    no_export = await get(
        "/api/v1/reports/summary",
        params={**params, "clinic": "MDRJ1", "format": "csv"},
        headers=admin,
    )
    assert no_export.status_code == 403


def received(
    reporter: Reporter | None, identity: str, text: str, at: datetime
) -> ComplaintReceived:
    return ComplaintReceived.create(
        ComplaintReceivedData(
            complaint_id=uuid.uuid4(),
            tracking_number=f"MDRJ1-2610-{uuid.uuid4().hex[:6].upper()}",
            pin="987654",
            channel="whatsapp",
            kind="keluhan",
            text=text,
            identity=identity,  # type: ignore[arg-type]
            reporter=reporter,
            received_at=at,
        ),
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor(kind="public"),
        correlation_id="c-9",
        occurred_at=at,
    )


async def test_register_exports_hold_every_complaint_and_no_identity(reporting: Reporting) -> None:
    at = datetime(2026, 10, 3, 2, 0, tzinfo=UTC)
    events = [
        received(Reporter(name="Siti Aminah", phone="+6281311112222"), "biasa", "Antrian lama", at),
        received(
            Reporter(name="Joko Widodo", email="joko@contoh.id"),
            "rahasia",
            "Petugas kasar",
            at + timedelta(hours=1),
        ),
        received(None, "anonim", "Telepon saya 081399998888", at + timedelta(hours=2)),
    ]
    await reporting.publish(events)
    await reporting.processed(3)
    identities = (
        "Siti",
        "Aminah",
        "Joko",
        "joko@contoh.id",
        "081399998888",
        "+6281311112222",
        "987654",
    )
    params = {"clinic": "MDRJ1", "month": "2026-10"}
    for role, clinic in ((Role.DISTRICT, None), (Role.HEAD, "MDRJ1")):
        headers = reporting.token(role, clinic=clinic)
        rows = (
            await reporting.http.get("/api/v1/reports/register", params=params, headers=headers)
        ).json()["rows"]
        assert [row["reporter"] for row in rows] == [
            "S*** A***, +6281****222",
            "Dirahasiakan",
            "Anonim",
        ]
        xlsx = await reporting.http.get(
            "/api/v1/reports/register", params={**params, "format": "xlsx"}, headers=headers
        )
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        lines = list(sheet.iter_rows(values_only=True))
        assert [line[2] for line in lines[1:]] == [e.data.tracking_number for e in events]
        csv_text = (
            await reporting.http.get(
                "/api/v1/reports/register", params={**params, "format": "csv"}, headers=headers
            )
        ).text
        page = (
            await reporting.http.get(
                "/api/v1/reports/register/print", params=params, headers=headers
            )
        ).text
        for body in (repr(rows), repr(lines), csv_text, page):
            assert not any(identity in body for identity in identities)
    log = repr(await reporting.collection("event_log")) + repr(
        await reporting.collection("complaint_facts")
    )
    assert not any(identity in log for identity in identities)


async def test_district_dashboard_ranks_clinics_and_counts_per_thousand_visits(
    reporting: Reporting,
) -> None:
    at = datetime(2026, 10, 10, 3, 0, tzinfo=UTC)
    complaints = [received(None, "anonim", f"Keluhan {i}", at) for i in range(3)]
    surveys = [survey((4,) * 9)]
    other = survey((2,) * 9).model_copy(update={"clinic": "MDRJ2"})
    await reporting.publish([*complaints, *surveys, other])
    await reporting.processed(5)
    head = reporting.token(Role.HEAD)
    entry = {"clinic": "MDRJ1", "month": "2026-10", "visits": 1500}
    assert (
        await reporting.http.post("/api/v1/reports/visits", json=entry, headers=head)
    ).status_code == 200
    other_clinic = {**entry, "clinic": "MDRJ2"}
    assert (
        await reporting.http.post("/api/v1/reports/visits", json=other_clinic, headers=head)
    ).status_code == 404
    officer = reporting.token(Role.OFFICER)
    assert (
        await reporting.http.post("/api/v1/reports/visits", json=entry, headers=officer)
    ).status_code == 403
    district = reporting.token(Role.DISTRICT, clinic=None)
    params = {"district": "banjarnegara", "from": "2026-10-01", "to": "2026-10-31"}
    board = (
        await reporting.http.get(
            "/api/v1/reports/district/clinics", params=params, headers=district
        )
    ).json()
    rows = {row["clinic"]: row for row in board["clinics"]}
    assert (rows["MDRJ1"]["received"], rows["MDRJ1"]["per_1000_visits"]) == (3, "2.00")
    assert (rows["MDRJ1"]["ikm"], rows["MDRJ2"]["ikm"]) == ("100.00", "50.00")
    assert board["ranking_by_ikm"] == ["MDRJ1", "MDRJ2"]
    ikm = (
        await reporting.http.get(
            "/api/v1/reports/ikm",
            params={"clinic": "MDRJ1", "from": "2026-10-01", "to": "2026-10-31"},
            headers=head,
        )
    ).json()
    assert (ikm["population"], ikm["required_sample"]) == (1500, 306)
    trends = (
        await reporting.http.get("/api/v1/reports/district/trends", params=params, headers=district)
    ).json()
    assert trends["months"][0]["by_clinic"]["MDRJ1"] == {"received": 3, "ikm": "100.00"}
    xlsx = await reporting.http.get(
        "/api/v1/reports/district/clinics", params={**params, "format": "xlsx"}, headers=district
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [line[0] for line in sheet.iter_rows(min_row=2, values_only=True)] == ["MDRJ1", "MDRJ2"]
    recap = await reporting.http.get(
        "/api/v1/reports/recap/print", params={"clinic": "MDRJ1", "month": "2026-10"}, headers=head
    )
    assert recap.status_code == 200 and "size: A4" in recap.text and "Oktober 2026" in recap.text


def notification(model: type[Event], data_model: type[Any], **extra: Any) -> Event:
    data = data_model(
        notification_id=uuid.uuid4(),
        cause_event_id=uuid.uuid4(),
        complaint_id=uuid.uuid4(),
        channel="whatsapp",
        recipient_kind="reporter",
        recipient="+62812****678",
        template="tanda_terima",
        **extra,
    )
    at = datetime(2026, 10, 4, 3, 0, tzinfo=UTC)
    return model.create(
        data,
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor.system("notify"),
        correlation_id="c-5",
        occurred_at=at,
    )


async def test_notifications_and_surveys_are_counted_and_rebuilt_alike(
    reporting: Reporting, settings: Settings
) -> None:
    events = [
        notification(NotificationSent, NotificationSentData, provider_message_id="wamid.1"),
        notification(
            NotificationFailed, NotificationFailedData, error="x", permanent=True, attempt=1
        ),
        survey((3,) * 9),
        survey((4,) * 9, unit="farmasi"),
    ]
    await reporting.publish(events + events[:2])
    await reporting.processed(4)
    head = reporting.token(Role.HEAD)
    params = {"clinic": "MDRJ1", "from": "2026-10-01", "to": "2026-10-31"}

    async def reports() -> tuple[Any, Any, Any]:
        get = reporting.http.get
        summary = (await get("/api/v1/reports/summary", params=params, headers=head)).json()
        ikm = (await get("/api/v1/reports/ikm", params=params, headers=head)).json()
        unit = {**params, "unit": "farmasi"}
        farmasi = (await get("/api/v1/reports/ikm", params=unit, headers=head)).json()
        return summary, ikm, farmasi

    summary, ikm, farmasi = await reports()
    assert summary["notifications"] == {"failed": 1, "sent": 1}
    assert (ikm["ikm"], ikm["respondents"], farmasi["ikm"]) == ("87.50", 2, "100.00")
    counts = await rebuild(settings)
    assert (counts["surveys"], counts["notifications"]) == (2, 2)
    assert await reports() == (summary, ikm, farmasi)
