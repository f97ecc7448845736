"""Every report as tables (Indonesian headings), the one shape the CSV and XLSX exports and the
printable pages are made from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from services.reporting.domain.register import REGISTER_COLUMNS, STATUS_LABELS
from services.reporting.domain.summaries import period_text

Cell = str | int | None


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _cell(value: Any) -> Cell:
    return value if value is None or isinstance(value, int | str) else str(value)


def _counts(
    title: str, heading: str, counts: Mapping[str, int], labels: Mapping[str, str] | None = None
) -> Table:
    rows = tuple((labels.get(k, k) if labels else k, v) for k, v in counts.items())
    return Table(title, (heading, "Jumlah"), rows)


def _outcome_table(title: str, heading: str, outcomes: Mapping[str, Mapping[str, Any]]) -> Table:
    rows = tuple((k, o["met"], o["missed"], o["rate"]) for k, o in outcomes.items())
    return Table(title, (heading, "Tepat waktu", "Terlambat", "% tepat waktu"), rows)


def register_table(rows: Sequence[Mapping[str, Any]]) -> Table:
    headers = tuple(label for _, label in REGISTER_COLUMNS)
    body = tuple(tuple(_cell(row[key]) for key, _ in REGISTER_COLUMNS) for row in rows)
    return Table("Buku rekapan", headers, body)


def summary_tables(report: Mapping[str, Any]) -> list[Table]:
    first_response, close = report["time_to_first_response"], report["time_to_close"]
    overview = Table(
        "Ringkasan",
        ("Uraian", "Nilai"),
        (
            ("Periode", period_text(report)),
            ("Jumlah aduan diterima", report["received"]),
            ("Aduan mendesak", report["urgent"]),
            ("Masih terbuka saat ini", report["open_now"]),
            ("Melewati batas waktu saat ini", report["overdue_now"]),
            ("Median waktu tanggapan pertama (jam)", first_response["median_hours"]),
            ("Persentil 90 waktu tanggapan pertama (jam)", first_response["p90_hours"]),
            ("Median waktu sampai selesai (jam)", close["median_hours"]),
            ("Persentil 90 waktu sampai selesai (jam)", close["p90_hours"]),
            ("Kunjungan", report["visits"]),
            ("Aduan per 1.000 kunjungan", report["per_1000_visits"]),
        ),
    )
    months = Table(
        "Tren bulanan",
        ("Bulan", "Diterima", "Selesai", "Terbuka", "Tepat waktu", "Terlambat", "% tepat waktu"),
        tuple(
            (
                m["month"],
                m["received"],
                m["closed"],
                m["open"],
                m["response_met"],
                m["response_missed"],
                m["response_rate"],
            )
            for m in report["by_month"]
        ),
    )
    # A clinic's own row would only repeat the overview's total.
    by_clinic = (
        [] if report["clinic"] else [_counts("Per puskesmas", "Puskesmas", report["by_clinic"])]
    )
    return [
        overview,
        *by_clinic,
        _counts("Per jenis", "Jenis", report["by_kind"]),
        _counts("Per kanal", "Kanal", report["by_channel"]),
        _counts("Per kategori", "Kategori", report["by_category"]),
        _counts("Per unit", "Unit", report["by_unit"]),
        _counts("Per status", "Status", report["by_status"], STATUS_LABELS),
        _outcome_table("Batas waktu", "Tahap", report["deadlines"]),
        _outcome_table("Batas jawab per unit", "Unit", report["response_by_unit"]),
        _outcome_table("Batas jawab per kanal", "Kanal", report["response_by_channel"]),
        months,
    ]


def ikm_tables(report: Mapping[str, Any]) -> list[Table]:
    elements = Table(
        "Nilai per unsur",
        ("Kode", "Unsur", "Jumlah jawaban", "NRR", "NRR tertimbang", "Mutu"),
        tuple(
            (e["code"], e["name"], e["answered"], e["nrr"], e["nrr_weighted"], e["grade"])
            for e in report["elements"]
        ),
    )
    overview = Table(
        "IKM",
        ("Uraian", "Nilai"),
        (
            ("Periode", period_text(report)),
            ("Jumlah responden", report["respondents"]),
            ("Sampel minimal", report["required_sample"]),
            ("IKM", report["ikm"]),
            ("Mutu pelayanan", report["grade"]),
            ("Kinerja unit pelayanan", report["label"]),
            ("Prioritas perbaikan", ", ".join(report["priorities"])),
        ),
    )
    return [overview, elements]


def district_table(report: Mapping[str, Any]) -> Table:
    columns = (
        ("clinic", "Kode"),
        ("name", "Puskesmas"),
        ("ikm", "IKM"),
        ("grade", "Mutu"),
        ("respondents", "Responden"),
        ("received", "Aduan"),
        ("per_1000_visits", "Aduan per 1.000 kunjungan"),
        ("response_rate", "% tepat waktu"),
        ("open_now", "Terbuka"),
        ("overdue_now", "Terlambat"),
    )
    rows = tuple(tuple(_cell(row[key]) for key, _ in columns) for row in report["clinics"])
    return Table("Perbandingan puskesmas", tuple(label for _, label in columns), rows)


def trends_tables(report: Mapping[str, Any]) -> list[Table]:
    """The district's month trends: its totals and IKM per month, then each clinic's."""
    columns = (
        ("month", "Bulan"),
        ("received", "Diterima"),
        ("closed", "Selesai"),
        ("open", "Terbuka"),
        ("response_met", "Tepat waktu"),
        ("response_missed", "Terlambat"),
        ("response_rate", "% tepat waktu"),
        ("visits", "Kunjungan"),
        ("per_1000_visits", "Aduan per 1.000 kunjungan"),
        ("ikm", "IKM"),
        ("respondents", "Responden"),
    )
    rows = tuple(tuple(_cell(month[key]) for key, _ in columns) for month in report["months"])
    months = Table("Tren bulanan kabupaten", tuple(label for _, label in columns), rows)
    clinics = Table(
        "Tren per puskesmas",
        ("Bulan", "Puskesmas", "Diterima", "IKM"),
        tuple(
            (month["month"], code, entry["received"], entry["ikm"])
            for month in report["months"]
            for code, entry in month["by_clinic"].items()
        ),
    )
    return [months, clinics]
