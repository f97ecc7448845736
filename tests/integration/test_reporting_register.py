"""The complaint register of the reporting service against the real broker and database: its
JSON, XLSX, CSV and printed forms hold every complaint and no reporter's identity."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from shared.auth import Role
from shared.events import Reporter
from tests.support.reporting_harness import Reporting, received

pytestmark = pytest.mark.integration


async def test_register_exports_hold_every_complaint_and_no_identity(reporting: Reporting) -> None:
    at = datetime(2026, 10, 3, 2, 0, tzinfo=UTC)
    events = [
        received(
            Reporter(name="Siti Aminah", phone="+6281311112222"),
            "biasa",
            "Saya Siti Aminah, antrian lama",
            at,
        ),
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
