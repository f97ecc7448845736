"""Report tables as downloadable files: CSV (one file, tables one after another) and XLSX (one
sheet per table), and as HTTP responses with a file name."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Literal

from fastapi import Response
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]

from services.reporting.domain.tables import Table

Format = Literal["json", "csv", "xlsx"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def to_csv(tables: Sequence[Table]) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read Indonesian text right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, table in enumerate(tables):
        if len(tables) > 1:
            if index:
                writer.writerow([])
            writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows(table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(tables: Sequence[Table]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(_SHEET_NAME_UNSAFE.sub("-", table.title)[:31])
        sheet.append(list(table.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(tables: Sequence[Table], fmt: Literal["csv", "xlsx"], name: str) -> Response:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    if fmt == "csv":
        body, media = to_csv(tables), "text/csv; charset=utf-8"
    else:
        body, media = to_xlsx(tables), XLSX_TYPE
    headers = {"Content-Disposition": f'attachment; filename="{safe}.{fmt}"'}
    return Response(body, media_type=media, headers=headers)
