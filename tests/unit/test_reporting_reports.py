"""Reports from aggregates: the IKM on hand-computed data, masking, register rows and exports."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from services.reporting.domain.contributions import add_into, survey_contributions
from services.reporting.domain.ikm import ELEMENT_CODES, IkmTally
from services.reporting.domain.register import mask_own_name, mask_reporter, register_row
from services.reporting.domain.summaries import ikm_report, tally_of
from services.reporting.domain.tables import register_table
from services.reporting.exports import to_csv, to_xlsx
from services.reporting.service import redacted, to_logged
from shared.events import (
    Actor,
    Answers,
    ComplaintReceived,
    ComplaintReceivedData,
    Reporter,
    Respondent,
    SurveySubmitted,
    SurveySubmittedData,
)

# Five respondents (rows) answering U1..U9, the example worked by hand below.
HAND_DATA = (
    (4, 4, 3, 4, 3, 3, 4, 4, 3),
    (3, 3, 3, 4, 3, 4, 4, 3, 3),
    (4, 3, 2, 4, 3, 3, 4, 3, 2),
    (3, 3, 3, 4, 4, 3, 4, 3, 3),
    (4, 4, 3, 3, 3, 4, 4, 4, 3),
)


def survey(answers: tuple[int, ...], unit: str = "poli_umum") -> SurveySubmitted:
    return SurveySubmitted.create(
        SurveySubmittedData(
            survey_id=uuid.uuid4(),
            unit=unit,
            service_date=date(2026, 10, 5),
            answers=Answers(**dict(zip(ELEMENT_CODES, answers, strict=True))),
            respondent=Respondent(age=40, sex="P", education="sma", occupation="Petani"),
            suggestion="Tolong hubungi 081234567890",
        ),
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor(kind="public"),
        correlation_id="c-1",
    )


def tally_of_surveys(rows: tuple[tuple[int, ...], ...]) -> IkmTally:
    total: dict = {}
    for row in rows:
        add_into(total, survey_contributions(to_logged(survey(row))))
    (fields,) = [fields for target, fields in total.items() if target.collection == "ikm_tallies"]
    return tally_of([{"tally": {k.removeprefix("tally."): v for k, v in fields.items()}}])


def test_ikm_report_matches_the_hand_computation() -> None:
    # By hand: NRR = column sum / 5; Σ NRR = 30.4; IKM = 25 × 30.4 / 9 = 84.444… → 84.44 (B).
    report = ikm_report(tally_of_surveys(HAND_DATA), population=100)
    nrr = {e["code"]: e["nrr"] for e in report["elements"]}
    assert nrr == {
        "U1": "3.60",
        "U2": "3.40",
        "U3": "2.80",
        "U4": "3.80",
        "U5": "3.20",
        "U6": "3.40",
        "U7": "4.00",
        "U8": "3.40",
        "U9": "2.80",
    }
    grades = {e["code"]: e["grade"] for e in report["elements"]}
    assert grades == {
        "U1": "A",
        "U2": "B",
        "U3": "C",
        "U4": "A",
        "U5": "B",
        "U6": "B",
        "U7": "A",
        "U8": "B",
        "U9": "C",
    }
    assert (report["ikm"], report["grade"], report["label"]) == ("84.44", "B", "Baik")
    assert report["priorities"][:3] == ["U3", "U9", "U5"]
    assert report["respondents"] == 5
    assert (report["required_sample"], report["sample_sufficient"]) == (80, False)


def _tally_with_total(total: int, respondents: int = 100) -> IkmTally:
    """Every respondent answers all nine; the answers add up to ``total``."""
    base, extra = divmod(total, 9)
    data = {"respondents": respondents}
    for index, code in enumerate(ELEMENT_CODES):
        data[f"{code}_sum"] = base + (1 if index < extra else 0)
        data[f"{code}_count"] = respondents
    return IkmTally.from_dict(data)


@pytest.mark.parametrize(
    ("answer_total", "ikm", "grade", "label"),
    [
        (3600, "100.00", "A", "Sangat Baik"),
        (3179, "88.31", "A", "Sangat Baik"),  # 88.3055… rounds half up to the A floor
        (3178, "88.28", "B", "Baik"),
        (2758, "76.61", "B", "Baik"),
        (2757, "76.58", "C", "Kurang Baik"),
        (2340, "65.00", "C", "Kurang Baik"),
        (2339, "64.97", "D", "Tidak Baik"),
        (900, "25.00", "D", "Tidak Baik"),
    ],
)
def test_ikm_report_grades_at_the_boundaries(
    answer_total: int, ikm: str, grade: str, label: str
) -> None:
    report = ikm_report(_tally_with_total(answer_total), population=None)
    assert (report["ikm"], report["grade"], report["label"]) == (ikm, grade, label)


def test_ikm_report_without_respondents_has_no_index() -> None:
    report = ikm_report(IkmTally(), population=1000)
    assert report["ikm"] is None and report["required_sample"] == 278
    assert report["sample_sufficient"] is False


def test_reporters_are_masked_and_confidential_ones_hidden() -> None:
    reporter = {"name": "Budi Santoso", "phone": "+6281234567890", "email": "budi@contoh.id"}
    assert mask_reporter("biasa", reporter) == "B*** S***, +6281****890, b***@contoh.id"
    assert mask_reporter("rahasia", reporter) == "Dirahasiakan"
    assert mask_reporter("anonim", None) == "Anonim"


def test_logged_complaint_keeps_no_pin_no_name_and_no_contact_in_its_text() -> None:
    event = ComplaintReceived.create(
        ComplaintReceivedData(
            complaint_id=uuid.uuid4(),
            tracking_number="MDRJ1-2610-ABCDEF",
            pin="654321",
            channel="whatsapp",
            kind="keluhan",
            text=(
                "Saya budi SANTOSO dari Desa Kali. Obat kosong. "
                "Hubungi 081234567890 atau budi@contoh.id"
            ),
            reporter=Reporter(name="Budi Santoso", phone="+6281234567890"),
            received_at=datetime(2026, 10, 1, tzinfo=UTC),
        ),
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor(kind="public"),
        correlation_id="c-1",
    )
    data = redacted(event)
    flat = repr(data)
    assert "654321" not in flat and "Budi" not in flat
    assert "081234567890" not in flat and "budi@contoh.id" not in flat
    assert data["reporter"] == "B*** S***, +6281****890"
    assert data["text"].startswith("Saya b*** S*** dari Desa Kali. Obat kosong.")


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Saya Siti Aminah, antre lama", "Siti Aminah", "Saya S*** A***, antre lama"),
        ("Sitinya tidak ada", "Siti", "Sitinya tidak ada"),  # only whole words
        ("Bu Ani di loket", "Ani Bu", "Bu A*** di loket"),  # short words stay
        ("Tidak ada nama", None, "Tidak ada nama"),
    ],
)
def test_the_reporters_own_name_is_masked_where_the_text_repeats_it(
    text: str, name: str | None, expected: str
) -> None:
    assert mask_own_name(text, {"name": name} if name else None) == expected


def test_register_rows_export_to_csv_and_xlsx_with_the_same_lines() -> None:
    fact = {
        "received_at": datetime(2026, 10, 31, 20, 0, tzinfo=UTC),  # 1 November in WIB
        "tracking_number": "MDRJ1-2611-ABCDEF",
        "channel": "kotak_saran",
        "kind": "saran",
        "reporter": "Anonim",
        "text": "Tambah kursi ruang tunggu",
        "unit": "pendaftaran",
        "plan": {"actions": ["Beli kursi"], "due_date": "2026-11-30"},
        "reply": "Kursi sudah ditambah",
        "responded_at": datetime(2026, 11, 20, 3, 0, tzinfo=UTC),
        "status": "closed",
    }
    row = register_row(1, fact, ZoneInfo("Asia/Jakarta"))
    assert (row["date"], row["channel"], row["status"]) == ("01-11-2026", "Kotak saran", "Selesai")
    assert (row["plan"], row["plan_date"]) == ("Beli kursi", "30-11-2026")
    table = register_table([row, register_row(2, {**fact, "status": "planned"}, ZoneInfo("UTC"))])
    sheet = load_workbook(io.BytesIO(to_xlsx([table]))).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][:3] == ("No", "Tanggal", "Nomor tiket")
    assert [line[0] for line in lines[1:]] == [1, 2]
    assert lines[2][-1] == "Direncanakan (RTL)"
    text = to_csv([table]).decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[1][6] == "Tambah kursi ruang tunggu" and len(parsed) == 3
