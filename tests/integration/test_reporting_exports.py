"""The reports' CSV and XLSX exports against the real broker and database, opened as a user's
spreadsheet program would open them: every row holds the JSON report's numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from shared.auth import Role
from shared.events import Event
from tests.support.reporting_harness import Reporting, received
from tests.unit.test_reporting_reports import HAND_DATA, survey

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
