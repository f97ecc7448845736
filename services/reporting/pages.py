"""Printable pages (A4) in Indonesian: the register and the monthly recap for the head and the
accreditation file (plain HTML with print CSS, every value escaped), and the public page of
survey results (a portal page from templates/hasil_survei.html, Jinja escaping every value)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from services.reporting.dashboard_messages import MESSAGES
from services.reporting.domain.tables import Cell, Table
from shared.directory import Clinic
from shared.web.pages import Pages

_MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
# The dashboard's English already names the IKM tables' columns and grades.
_PUBLIC = Pages("reporting", Path(__file__).resolve().parent / "templates", messages=MESSAGES)


def month_name(key: str) -> str:
    year, month = key.split("-")
    return f"{_MONTHS[int(month) - 1]} {year}"


def _style(orientation: str) -> str:
    return f"""<style>
@page {{ size: A4 {orientation}; margin: 12mm; }}
body {{ font-family: Arial, Helvetica, sans-serif; font-size: 9.5pt; color: #111; }}
h1 {{ font-size: 14pt; margin: 0 0 2mm; }} h2 {{ font-size: 11pt; margin: 5mm 0 2mm; }}
p.meta {{ margin: 0 0 4mm; color: #333; }}
table {{ border-collapse: collapse; width: 100%; page-break-inside: auto; }}
tr {{ page-break-inside: avoid; }} thead {{ display: table-header-group; }}
th, td {{ border: 1px solid #555; padding: 1.5mm; vertical-align: top; text-align: left; }}
th {{ background: #e8e8e8; }}
.sign {{ margin-top: 12mm; width: 70mm; margin-left: auto; text-align: center; }}
@media screen {{ body {{ max-width: 277mm; margin: 8mm auto; }} }}
</style>"""


def _value(cell: Cell) -> str:
    return "—" if cell is None or cell == "" else escape(str(cell))


def table_html(table: Table, *, heading: bool = True) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{_value(c)}</td>" for c in row) + "</tr>" for row in table.rows
    )
    if not table.rows:
        body = f'<tr><td colspan="{len(table.headers)}">Tidak ada data.</td></tr>'
    title = f"<h2>{escape(table.title)}</h2>" if heading else ""
    return f"{title}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _document(title: str, orientation: str, content: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{_style(orientation)}</head><body>{content}</body></html>"
    )


def _signature() -> str:
    blank = "(" + "." * 20 + ")"
    return f'<div class="sign">Mengetahui,<br>Kepala Puskesmas<br><br><br><br>{blank}</div>'


def register_page(clinic_name: str, month: str, table: Table) -> str:
    title = f"Buku Rekapan Pengaduan dan Umpan Balik — {clinic_name}"
    content = (
        f'<h1>{escape(title)}</h1><p class="meta">Bulan {escape(month_name(month))}. '
        "Identitas pelapor disamarkan.</p>" + table_html(table, heading=False) + _signature()
    )
    return _document(title, "landscape", content)


def recap_page(clinic_name: str, month: str, tables: Sequence[Table]) -> str:
    title = f"Rekap Bulanan Pengaduan dan Umpan Balik — {clinic_name}"
    content = f'<h1>{escape(title)}</h1><p class="meta">Bulan {escape(month_name(month))}.</p>'
    content += "".join(table_html(table) for table in tables) + _signature()
    return _document(title, "portrait", content)


def public_ikm_page(
    request: Request, clinic: Clinic, report: Mapping[str, Any], tables: Sequence[Table]
) -> HTMLResponse:
    """The published survey results: a page of the public portal (its layout, language switch
    and links), printable on A4 from the browser."""
    return _PUBLIC.render(request, "hasil_survei.html", clinic=clinic, report=report, tables=tables)
