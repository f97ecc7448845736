"""The reporting service's reports against the real broker and database: each user sees only
their clinic or district, and only the roles that may export do."""

from __future__ import annotations

import pytest

from shared.auth import Role
from tests.support.reporting_harness import Reporting

pytestmark = pytest.mark.integration


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
