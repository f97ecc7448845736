"""The reports' CSV and XLSX exports against the real broker and database, opened as a user's
spreadsheet program would open them: every row holds the JSON report's numbers."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from services.reporting.domain.register import STATUS_LABELS
from shared.auth import Role
from shared.events import Event
from tests.support.reporting_harness import Reporting, received
from tests.unit.test_reporting_reports import HAND_DATA, survey
from tests.unit.test_reporting_scenarios import history

pytestmark = pytest.mark.integration
Row = tuple[Any, ...]
SEPTEMBER = datetime(2026, 9, 20, 3, 0, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 10, 3, 0, tzinfo=UTC)
TREND_COLUMNS = (
    "month", "received", "closed", "open", "response_met", "response_missed", "response_rate",
    "visits", "per_1000_visits", "ikm", "respondents",
)  # fmt: skip
DISTRICT_PERIOD = {"district": "banjarnegara", "from": "2026-09-01", "to": "2026-10-31"}


def complaint(clinic: str, at: datetime) -> Event:
    return received(None, "anonim", f"Keluhan di {clinic}", at).model_copy(
        update={"clinic": clinic}
    )


def sheets(answer: httpx.Response) -> dict[str, list[Row]]:
    """Each sheet of an XLSX download by its title: the heading row, then the data rows."""
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(
        "application/vnd.openxmlformats"
    )
    book = load_workbook(io.BytesIO(answer.content), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def csv_tables(answer: httpx.Response) -> dict[str, list[Row]]:
    """Each table of a CSV download by its title (a blank line between tables, the title on
    the line before the headings); a download of one table has no title and is keyed ""."""
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    blocks: list[list[list[str]]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        else:
            blocks.append([])
    if len(blocks) == 1:
        return {"": [tuple(line) for line in blocks[0]]}
    return {block[0][0]: [tuple(line) for line in block[1:]] for block in blocks}


def as_csv(rows: Iterable[Sequence[Any]]) -> list[Row]:
    """Rows as a CSV file has them: every value text, "no data" empty."""
    return [tuple("" if value is None else str(value) for value in row) for row in rows]


async def download(
    reporting: Reporting, path: str, params: dict[str, str], who: dict[str, str]
) -> tuple[dict[str, Any], dict[str, list[Row]], dict[str, list[Row]]]:
    """The JSON report, its XLSX sheets and its CSV tables."""
    url = f"/api/v1/reports/{path}"
    report = await reporting.http.get(url, params=params, headers=who)
    assert report.status_code == 200
    xlsx = await reporting.http.get(url, params={**params, "format": "xlsx"}, headers=who)
    text = await reporting.http.get(url, params={**params, "format": "csv"}, headers=who)
    return report.json(), sheets(xlsx), csv_tables(text)


async def test_the_district_trends_export_holds_each_month_and_each_clinics_numbers(
    reporting: Reporting,
) -> None:
    events = [
        complaint("MDRJ1", SEPTEMBER),
        *(complaint("MDRJ1", OCTOBER) for _ in range(2)),
        complaint("MDRJ2", OCTOBER),
        *(survey(row) for row in HAND_DATA),
    ]
    await reporting.publish(events)
    await reporting.processed(len(events))
    district = reporting.token(Role.DISTRICT, clinic=None)

    report, xlsx, text = await download(reporting, "district/trends", DISTRICT_PERIOD, district)

    months = [tuple(m[key] for key in TREND_COLUMNS) for m in report["months"]]
    assert [m[:2] for m in months] == [("2026-09", 1), ("2026-10", 3)]
    assert [m[9:] for m in months] == [(None, 0), ("84.44", 5)]
    clinics = [
        (m["month"], code, entry["received"], entry["ikm"])
        for m in report["months"]
        for code, entry in m["by_clinic"].items()
    ]
    assert clinics == [
        ("2026-09", "MDRJ1", 1, None),
        ("2026-10", "MDRJ1", 2, "84.44"),
        ("2026-10", "MDRJ2", 1, None),
    ]
    assert list(xlsx) == ["Tren bulanan kabupaten", "Tren per puskesmas"]
    assert xlsx["Tren bulanan kabupaten"][0][:2] == ("Bulan", "Diterima")
    assert xlsx["Tren bulanan kabupaten"][1:] == months
    assert xlsx["Tren per puskesmas"][1:] == clinics
    assert text["Tren bulanan kabupaten"][1:] == as_csv(months)
    assert text["Tren per puskesmas"][1:] == as_csv(clinics)


def summary_rows(report: dict[str, Any]) -> dict[str, list[Row]]:
    """What each table of the summary export must hold, read off the JSON report."""
    first, close = report["time_to_first_response"], report["time_to_close"]
    period = report["period"]

    def outcomes(name: str) -> list[Row]:
        return [(k, o["met"], o["missed"], o["rate"]) for k, o in report[name].items()]

    tables: dict[str, list[Row]] = {
        "Ringkasan": [
            ("Periode", f"{period['from']} s.d. {period['to']}"),
            ("Jumlah aduan diterima", report["received"]),
            ("Aduan mendesak", report["urgent"]),
            ("Masih terbuka saat ini", report["open_now"]),
            ("Melewati batas waktu saat ini", report["overdue_now"]),
            ("Median waktu tanggapan pertama (jam)", first["median_hours"]),
            ("Persentil 90 waktu tanggapan pertama (jam)", first["p90_hours"]),
            ("Median waktu sampai selesai (jam)", close["median_hours"]),
            ("Persentil 90 waktu sampai selesai (jam)", close["p90_hours"]),
            ("Kunjungan", report["visits"]),
            ("Aduan per 1.000 kunjungan", report["per_1000_visits"]),
        ],
        "Per jenis": list(report["by_kind"].items()),
        "Per kanal": list(report["by_channel"].items()),
        "Per kategori": list(report["by_category"].items()),
        "Per unit": list(report["by_unit"].items()),
        "Per status": [(STATUS_LABELS[k], n) for k, n in report["by_status"].items()],
        "Batas waktu": outcomes("deadlines"),
        "Batas jawab per unit": outcomes("response_by_unit"),
        "Batas jawab per kanal": outcomes("response_by_channel"),
        # the trends' first seven columns: a month's complaints and answer deadline
        "Tren bulanan": [tuple(m[key] for key in TREND_COLUMNS[:7]) for m in report["by_month"]],
    }
    if report["clinic"] is None:
        tables["Per puskesmas"] = list(report["by_clinic"].items())
    return tables


def ikm_rows(report: dict[str, Any]) -> dict[str, list[Row]]:
    period = report["period"]
    return {
        "IKM": [
            ("Periode", f"{period['from']} s.d. {period['to']}"),
            ("Jumlah responden", report["respondents"]),
            ("Sampel minimal", report["required_sample"]),
            ("IKM", report["ikm"]),
            ("Mutu pelayanan", report["grade"]),
            ("Kinerja unit pelayanan", report["label"]),
            ("Prioritas perbaikan", ", ".join(report["priorities"])),
        ],
        "Nilai per unsur": [
            (e["code"], e["name"], e["answered"], e["nrr"], e["nrr_weighted"], e["grade"])
            for e in report["elements"]
        ],
    }


def assert_exported(
    expected: dict[str, list[Row]], xlsx: dict[str, list[Row]], text: dict[str, list[Row]]
) -> None:
    assert set(xlsx) == set(text) == set(expected)
    for title, rows in expected.items():
        assert xlsx[title][1:] == rows, title
        assert text[title][0] == xlsx[title][0], title  # the same headings
        assert text[title][1:] == as_csv(rows), title


async def test_the_summary_exports_hold_the_json_reports_numbers_per_clinic_and_district(
    reporting: Reporting,
) -> None:
    rng = random.Random(41)
    histories = [history(rng) for _ in range(40)]
    events = [event for h in histories for event in h.events]
    await reporting.publish(events)
    await reporting.processed(len(events))
    visits = {"clinic": "MDRJ1", "month": "2026-10", "visits": 2000}
    head = reporting.token(Role.HEAD)
    assert (
        await reporting.http.post("/api/v1/reports/visits", json=visits, headers=head)
    ).status_code == 200
    period = {"from": "2026-09-01", "to": "2026-11-30"}
    district = reporting.token(Role.DISTRICT, clinic=None)

    whole, xlsx, text = await download(
        reporting, "summary", {**period, "district": "banjarnegara"}, district
    )
    assert_exported(summary_rows(whole), xlsx, text)
    assert xlsx["Per puskesmas"][1:] == [
        (code, sum(h.clinic == code for h in histories)) for code in ("MDRJ1", "MDRJ2")
    ]
    assert ("Jumlah aduan diterima", len(histories)) in xlsx["Ringkasan"]
    assert whole["deadlines"] and whole["time_to_close"]["median_hours"] is not None

    clinic, xlsx, text = await download(reporting, "summary", {**period, "clinic": "MDRJ1"}, head)
    assert_exported(summary_rows(clinic), xlsx, text)
    assert ("Aduan per 1.000 kunjungan", clinic["per_1000_visits"]) in xlsx["Ringkasan"]
    assert clinic["per_1000_visits"] is not None


async def test_the_ikm_exports_hold_the_json_reports_numbers_per_clinic_and_district(
    reporting: Reporting,
) -> None:
    other = survey((4,) * 9).model_copy(update={"clinic": "MDRJ2"})
    await reporting.publish([*(survey(row) for row in HAND_DATA), other])
    await reporting.processed(len(HAND_DATA) + 1)
    period = {"from": "2026-10-01", "to": "2026-10-31"}
    head = reporting.token(Role.HEAD)

    clinic, xlsx, text = await download(
        reporting, "ikm", {**period, "clinic": "MDRJ1", "population": "100"}, head
    )
    assert_exported(ikm_rows(clinic), xlsx, text)
    overview: dict[str, Any] = {name: value for name, value in xlsx["IKM"][1:]}
    assert (overview["IKM"], overview["Mutu pelayanan"], overview["Sampel minimal"]) == (
        "84.44",
        "B",
        80,
    )
    assert [row[3] for row in xlsx["Nilai per unsur"][1:]][:3] == ["3.60", "3.40", "2.80"]

    district = reporting.token(Role.DISTRICT, clinic=None)
    whole, xlsx, text = await download(
        reporting, "ikm", {**period, "district": "banjarnegara"}, district
    )
    assert_exported(ikm_rows(whole), xlsx, text)
    assert ("IKM", "87.04") in xlsx["IKM"]  # all six respondents' answers
