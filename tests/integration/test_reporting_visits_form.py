"""The monthly visits form (/dasbor/kunjungan) through the real reporting service: who may
enter visits for which clinic, refused input stores nothing, and a saved month feeds the rates."""

from __future__ import annotations

import re

import pytest

from shared.auth import SESSION_COOKIE, Role
from tests.integration.test_reporting_pages import sign_in
from tests.support.reporting_harness import Reporting

pytestmark = pytest.mark.integration

FORM = "/dasbor/kunjungan"


async def csrf(reporting: Reporting) -> str:
    page = await reporting.http.get(FORM)
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


async def entered(reporting: Reporting, clinic: str, month: str) -> str:
    page = await reporting.http.get(FORM)
    found = re.search(rf'data-clinic="{clinic}" data-month="{month}">([^<]*)<', page.text)
    assert found, (clinic, month)
    return found.group(1)


async def test_the_head_enters_visits_of_their_clinic_and_the_rate_uses_them(
    reporting: Reporting,
) -> None:
    sign_in(reporting, Role.HEAD)
    token = await csrf(reporting)
    form = await reporting.http.get(FORM)
    assert re.findall(r'<option value="([A-Z0-9]+)"', form.text) == ["MDRJ1"]

    saved = await reporting.http.post(
        FORM, data={"csrf_token": token, "clinic": "MDRJ1", "month": "2026-10", "visits": "1.500"}
    )

    assert saved.status_code == 303
    assert saved.headers["location"] == f"{FORM}?clinic=MDRJ1&month=2026-10&tersimpan=1"
    after = await reporting.http.get(saved.headers["location"])
    assert 'id="saved"' in after.text
    clinic = await reporting.http.get(
        "/dasbor/puskesmas/MDRJ1", params={"from": "2026-10", "to": "2026-10"}
    )
    assert re.search(r"sampel minimal\s+306", clinic.text)


async def test_refused_input_names_the_field_and_stores_nothing(reporting: Reporting) -> None:
    sign_in(reporting, Role.DISTRICT, clinic=None)
    token = await csrf(reporting)
    for fields, field, status in (
        ({"clinic": "MDRJ2", "month": "2026-10", "visits": "-5"}, "visits", 422),
        ({"clinic": "MDRJ2", "month": "Okt", "visits": "900"}, "month", 422),
        ({"clinic": "RANAI", "month": "2026-10", "visits": "900"}, "clinic", 422),
    ):
        page = await reporting.http.post(FORM, data={"csrf_token": token, **fields})
        assert page.status_code == status, fields
        assert f'id="{field}-error"' in page.text and 'id="form-alert"' in page.text
        assert f'value="{fields[field]}"' in page.text or field == "clinic"  # what was typed
    forged = await reporting.http.post(
        FORM, data={"csrf_token": "palsu", "clinic": "MDRJ2", "month": "2026-10", "visits": "900"}
    )
    assert forged.status_code == 403 and 'id="form-alert"' in forged.text
    assert await entered(reporting, "MDRJ2", "2026-10") == "—"
    assert "Puskesmas RANAI" not in (await reporting.http.get(FORM)).text


async def test_the_district_enters_any_of_its_clinics_and_clinic_teams_may_not(
    reporting: Reporting,
) -> None:
    sign_in(reporting, Role.DISTRICT, clinic=None)
    token = await csrf(reporting)
    saved = await reporting.http.post(
        FORM, data={"csrf_token": token, "clinic": "MDRJ2", "month": "2026-10", "visits": "800"}
    )
    assert saved.status_code == 303
    assert await entered(reporting, "MDRJ2", "2026-10") == "800"
    for role in (Role.COMPLAINT_TEAM, Role.QUALITY_TEAM, Role.OFFICER):
        sign_in(reporting, role)
        assert (await reporting.http.get(FORM)).status_code == 403, role
        refused = await reporting.http.post(
            FORM, data={"csrf_token": token, "clinic": "MDRJ1", "month": "2026-10", "visits": "1"}
        )
        assert refused.status_code == 403, role
    reporting.http.cookies.clear()
    reporting.http.cookies.set(SESSION_COOKIE, "expired-or-forged")
    assert (await reporting.http.post(FORM, data={"visits": "1"})).status_code == 303
