"""Staff report routes: thin — resolve who may see which clinic or district, call one report
use case, render it as JSON, CSV, XLSX or a printable page.

Scope rules: a clinic's report is visible to its own staff and to its district's users (another
clinic answers 404, as if it did not exist); a district's report needs the district permission
and is only the principal's own district (another answers 404). Exports need the export
permission, checked first (a role that may not export gets 403 whatever it asks for).
Periods are whole months (the aggregates are kept per month): ``from``/``to`` are dates, the
months they fall in are reported, and the answer states the days it covers beside the days asked
for, so that a period widened to whole months never passes unnoticed.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from services.reporting import pages
from services.reporting.domain.tables import (
    district_table,
    ikm_tables,
    register_table,
    summary_tables,
    trends_tables,
)
from services.reporting.exports import Format, download
from services.reporting.reports import ReportQueries, Scope
from services.reporting.store import ReportingStore
from shared.auth import Action, Principal, require
from shared.directory import CLINIC_CODE_PATTERN, CODE_PATTERN, Clinic
from shared.http import field_error

T = TypeVar("T")
ClinicCode = Annotated[str | None, Query(pattern=CLINIC_CODE_PATTERN)]
DistrictCode = Annotated[str | None, Query(pattern=CODE_PATTERN)]
UnitCode = Annotated[str | None, Query(pattern=CODE_PATTERN)]
MonthKey = Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
From = Annotated[
    date,
    Query(
        alias="from",
        description="First day asked for; the report starts on the first day of its month.",
    ),
]
To = Annotated[
    date, Query(description="Last day asked for; the report ends on the last day of its month.")
]
PERIOD_NOTE = (
    "Reports are by whole months: the report covers every month from the month of `from` to "
    "the month of `to`, from the first day of the first month to the last day of the last. "
    "The answer states it: `period.from` and `period.to` are the days covered, "
    "`period.requested` the days asked for, and `period.widened` is true when they differ. "
    "`from` and `to` in the answer are the months (YYYY-MM)."
)
Reader = Annotated[Principal, Depends(require(Action.REPORT_READ))]
DistrictReader = Annotated[Principal, Depends(require(Action.DISTRICT_READ))]
NOT_FOUND = "Puskesmas atau kabupaten tidak ditemukan"


class ReportRefusedError(Exception):
    """A report request refused, naming the field and the reason."""

    def __init__(self, status_code: int, field: str, reason: str) -> None:
        super().__init__(reason)
        self.status_code, self.field, self.reason = status_code, field, reason


class VisitsEntry(BaseModel):
    """Visits (kunjungan) of a clinic in a month: the base of the per-1,000-visits rates and
    the population of the survey sample."""

    model_config = ConfigDict(extra="forbid")

    clinic: str = Field(pattern=CLINIC_CODE_PATTERN)
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    visits: int = Field(ge=0, le=10_000_000)


async def answer(call: Awaitable[T]) -> T | Response:
    try:
        return await call
    except ReportRefusedError as exc:
        return field_error(exc.status_code, exc.field, exc.reason)


def months_of(first: date, last: date) -> tuple[str, str]:
    if last < first:
        raise ReportRefusedError(422, "to", "'to' tidak boleh sebelum 'from'")
    return f"{first:%Y-%m}", f"{last:%Y-%m}"


def stated(report: dict[str, Any], first: date, last: date) -> dict[str, Any]:
    """The report with the days asked for beside the days it covers: 15 to 20 October asked
    is 1 to 31 October reported, and the answer says so."""
    covered = report["period"]
    requested = {"from": first.isoformat(), "to": last.isoformat()}
    widened = requested != {"from": covered["from"], "to": covered["to"]}
    return {**report, "period": {**covered, "requested": requested, "widened": widened}}


class Access:
    """Which clinic or district a principal may see a report of."""

    def __init__(self, queries: ReportQueries) -> None:
        self._queries = queries

    async def clinic(self, principal: Principal, code: str) -> Clinic:
        clinic = await self._queries.clinic(code)
        if clinic is None or not principal.sees_clinic(clinic.code, clinic.district):
            raise ReportRefusedError(404, "clinic", NOT_FOUND)
        return clinic

    def district(self, principal: Principal, code: str) -> str:
        if not principal.may(Action.DISTRICT_READ):
            raise ReportRefusedError(
                403, "district", "Laporan kabupaten hanya untuk Dinas Kesehatan"
            )
        if code != principal.district:
            raise ReportRefusedError(404, "district", NOT_FOUND)
        return code

    async def scope(self, principal: Principal, clinic: str | None, district: str | None) -> Scope:
        if bool(clinic) == bool(district):
            raise ReportRefusedError(422, "clinic", "Isi salah satu: clinic atau district")
        if clinic:
            found = await self.clinic(principal, clinic)
            return Scope(found.district, found.code)
        assert district is not None
        return Scope(self.district(principal, district))


def exported(principal: Principal, fmt: Format) -> Literal["csv", "xlsx"] | None:
    if fmt == "json":
        return None
    if not principal.may(Action.REPORT_EXPORT):
        raise ReportRefusedError(403, "format", "Anda tidak berwenang mengunduh laporan")
    return fmt


def router(store: ReportingStore, queries: ReportQueries) -> APIRouter:
    api = APIRouter(prefix="/api/v1/reports", tags=["reports"])
    access = Access(queries)

    @api.get("/summary", response_model=None, description=PERIOD_NOTE)
    async def summary(
        principal: Reader, from_: From, to: To, clinic: ClinicCode = None,
        district: DistrictCode = None, format: Format = "json",
    ) -> dict[str, Any] | Response:  # fmt: skip
        async def run() -> dict[str, Any] | Response:
            fmt = exported(principal, format)
            scope = await access.scope(principal, clinic, district)
            report = stated(await queries.summary(scope, *months_of(from_, to)), from_, to)
            name = f"ringkasan-{scope.clinic or scope.district}-{report['from']}-{report['to']}"
            return download(summary_tables(report), fmt, name) if fmt else report

        return await answer(run())

    @api.get("/ikm", response_model=None, description=PERIOD_NOTE)
    async def ikm(
        principal: Reader, from_: From, to: To, clinic: ClinicCode = None,
        district: DistrictCode = None, unit: UnitCode = None,
        population: Annotated[int | None, Query(ge=0)] = None, format: Format = "json",
    ) -> dict[str, Any] | Response:  # fmt: skip
        async def run() -> dict[str, Any] | Response:
            fmt = exported(principal, format)
            scope = await access.scope(principal, clinic, district)
            computed = await queries.ikm(scope, *months_of(from_, to), unit, population)
            report = stated(computed, from_, to)
            name = f"ikm-{scope.clinic or scope.district}-{report['from']}-{report['to']}"
            return download(ikm_tables(report), fmt, name) if fmt else report

        return await answer(run())

    @api.get("/register", response_model=None)
    async def register(
        principal: Reader, clinic: Annotated[str, Query(pattern=CLINIC_CODE_PATTERN)],
        month: MonthKey, format: Format = "json",
    ) -> dict[str, Any] | Response:  # fmt: skip
        async def run() -> dict[str, Any] | Response:
            fmt = exported(principal, format)
            found = await access.clinic(principal, clinic)
            rows = await queries.register(found, month)
            if fmt:
                return download([register_table(rows)], fmt, f"buku-rekapan-{found.code}-{month}")
            return {"clinic": found.code, "month": month, "rows": rows}

        return await answer(run())

    @api.get("/register/print", response_model=None)
    async def register_print(
        principal: Reader, clinic: Annotated[str, Query(pattern=CLINIC_CODE_PATTERN)],
        month: MonthKey,
    ) -> Response:  # fmt: skip
        async def run() -> Response:
            found = await access.clinic(principal, clinic)
            table = register_table(await queries.register(found, month))
            return HTMLResponse(pages.register_page(found.name, month, table))

        return await answer(run())

    @api.get("/recap/print", response_model=None)
    async def recap_print(
        principal: Reader, clinic: Annotated[str, Query(pattern=CLINIC_CODE_PATTERN)],
        month: MonthKey,
    ) -> Response:  # fmt: skip
        async def run() -> Response:
            found = await access.clinic(principal, clinic)
            scope = Scope(found.district, found.code)
            report = await queries.summary(scope, month, month)
            ikm_report = await queries.ikm(scope, month, month, None, None)
            tables = summary_tables(report)[:-1] + ikm_tables(ikm_report)
            return HTMLResponse(pages.recap_page(found.name, month, tables))

        return await answer(run())

    @api.get("/district/clinics", response_model=None, description=PERIOD_NOTE)
    async def district_clinics(
        principal: DistrictReader, district: Annotated[str, Query(pattern=CODE_PATTERN)],
        from_: From, to: To, format: Format = "json",
    ) -> dict[str, Any] | Response:  # fmt: skip
        async def run() -> dict[str, Any] | Response:
            fmt = exported(principal, format)
            code = access.district(principal, district)
            report = stated(await queries.district_clinics(code, *months_of(from_, to)), from_, to)
            name = f"puskesmas-{code}-{report['from']}-{report['to']}"
            return download([district_table(report)], fmt, name) if fmt else report

        return await answer(run())

    @api.get("/district/trends", response_model=None, description=PERIOD_NOTE)
    async def district_trends(
        principal: DistrictReader, district: Annotated[str, Query(pattern=CODE_PATTERN)],
        from_: From, to: To, format: Format = "json",
    ) -> dict[str, Any] | Response:  # fmt: skip
        async def run() -> dict[str, Any] | Response:
            fmt = exported(principal, format)
            code = access.district(principal, district)
            report = stated(await queries.district_trends(code, *months_of(from_, to)), from_, to)
            name = f"tren-{code}-{report['from']}-{report['to']}"
            return download(trends_tables(report), fmt, name) if fmt else report

        return await answer(run())

    @api.post("/visits", response_model=None)
    async def record_visits(
        entry: VisitsEntry,
        principal: Annotated[Principal, Depends(require(Action.VISITS_RECORD))],
    ) -> dict[str, Any] | Response:
        async def run() -> dict[str, Any]:
            found = await access.clinic(principal, entry.clinic)
            await store.set_visits(found.district, found.code, entry.month, entry.visits)
            return entry.model_dump()

        return await answer(run())

    return api
