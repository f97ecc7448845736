"""The reporting service's IKM (community satisfaction index) reports against the real broker and
database: per clinic and district by hand computation, and the district dashboard that ranks
clinics and counts complaints per thousand visits."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from services.reporting import pages
from services.reporting.dashboard_messages import MESSAGES as DASHBOARD_MESSAGES
from services.reporting.domain.ikm import ELEMENTS, Grade
from services.reporting.domain.tables import ikm_tables
from shared.auth import Role
from shared.web.i18n import MESSAGES
from tests.support.reporting_harness import Reporting, received
from tests.unit.test_reporting_reports import HAND_DATA, survey

pytestmark = pytest.mark.integration


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


async def test_published_results_page_is_a_portal_page_with_an_english_switch(
    reporting: Reporting,
) -> None:
    await reporting.publish([survey(row) for row in HAND_DATA])
    await reporting.processed(5)
    path = "/api/v1/reports/public/ikm/MDRJ1/halaman"

    indonesian = await reporting.http.get(path, params={"year": 2026})
    assert "<h1>Hasil Survei Kepuasan Masyarakat</h1>" in indonesian.text
    assert "Persyaratan" in indonesian.text and "(Baik)" in indonesian.text
    english = await reporting.http.get(path, params={"year": 2026, "lang": "en"})
    assert english.status_code == 200 and '<html lang="en">' in english.text
    assert "<h1>Public Satisfaction Survey Results</h1>" in english.text
    assert "IKM 84.44" in english.text and "(Good)" in english.text
    assert "Requirements" in english.text and "Persyaratan" not in english.text
    assert "No follow-up planned yet." in english.text
    assert 'name="lang"' in english.text  # the layout's language switch
    assert 'href="/"' in english.text and 'href="/survei/MDRJ1"' in english.text
    assert "081234567890" not in english.text + indonesian.text  # a survey's suggestion text


def test_every_word_of_the_results_page_has_an_english_text() -> None:
    template = Path(pages.__file__).resolve().parent / "templates" / "hasil_survei.html"
    shown = set(re.findall(r"t\('([^']+)'\)", template.read_text(encoding="utf-8")))
    [elements] = ikm_tables(
        {
            "from": "2026-01",
            "to": "2026-12",
            "elements": [],
            **dict.fromkeys(("respondents", "required_sample", "ikm", "grade", "label"), None),
            "priorities": [],
        }
    )[1:]
    shown |= {elements.title, *elements.headers, *(element.name for element in ELEMENTS)}
    shown |= {grade.label for grade in Grade}
    known = MESSAGES["en"].keys() | DASHBOARD_MESSAGES["en"].keys()
    assert sorted(shown - known - {"IKM", "NRR", "Kode"}) == []


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
