"""The public page of survey results (SOP: results shown where the public can see them):
JSON for the web pages and a printable HTML page. No sign-in; only aggregate results."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse

from services.reporting import pages
from services.reporting.domain.tables import ikm_tables
from services.reporting.reports import ReportQueries
from shared.directory import CLINIC_CODE_PATTERN, Clinic
from shared.http import field_error

ClinicPath = Annotated[str, Path(pattern=CLINIC_CODE_PATTERN)]
Year = Annotated[int | None, Query(ge=2000, le=2100)]


def router(queries: ReportQueries) -> APIRouter:
    api = APIRouter(prefix="/api/v1/reports/public", tags=["public reports"])

    async def results(code: str, year: int | None) -> tuple[Clinic, dict[str, Any]] | None:
        clinic = await queries.clinic(code)
        if clinic is None:
            return None
        year = year or datetime.now(UTC).year
        return clinic, await queries.public_ikm(clinic, f"{year}-01", f"{year}-12")

    @api.get("/ikm/{clinic}", response_model=None)
    async def public_ikm(clinic: ClinicPath, year: Year = None) -> dict[str, Any] | Response:
        found = await results(clinic, year)
        if found is None:
            return field_error(404, "clinic", "Puskesmas tidak ditemukan")
        return found[1]

    @api.get("/ikm/{clinic}/halaman", response_class=HTMLResponse, response_model=None)
    async def public_ikm_page(request: Request, clinic: ClinicPath, year: Year = None) -> Response:
        found = await results(clinic, year)
        if found is None:
            return field_error(404, "clinic", "Puskesmas tidak ditemukan")
        place, report = found
        tables = ikm_tables({**report, "required_sample": None})[1:]
        return pages.public_ikm_page(request, place, report, tables)

    return api
