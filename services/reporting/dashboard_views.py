"""What every dashboard page shares: who is asking (signed in, allowed), which clinic they may
see, the staff layout's context, and the pages that answer "not here" or "not for you".

A clinic outside the principal's scope answers exactly as a clinic that does not exist (404):
the dashboard never confirms that another district's clinic is there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.reporting.dashboard_messages import MESSAGES
from services.reporting.pages import month_name
from services.reporting.reports import ReportQueries
from shared.auth import Action, Principal
from shared.directory import CLINIC_CODE_PATTERN, Clinic
from shared.web.i18n import language, translate
from shared.web.pages import Pages
from shared.web.staff import StaffPages

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_ZONE = "Asia/Jakarta"
_CLINIC_CODE = re.compile(CLINIC_CODE_PATTERN)


def today_in(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()


def query_of(request: Request) -> dict[str, str]:
    return dict(request.query_params)


def with_query(path: str, params: Mapping[str, str | None]) -> str:
    kept = {k: v for k, v in params.items() if v is not None}
    return f"{path}?{urlencode(kept)}" if kept else path


class DashboardViews(StaffPages):
    """The dashboard's staff pages, which also find the clinic a page is about."""

    def __init__(self, queries: ReportQueries) -> None:
        super().__init__(
            Pages("reporting", TEMPLATES, messages=MESSAGES),
            "_dasbor.html",
            refusal=("Tidak berwenang", "Laporan tidak tersedia untuk peran Anda."),
            extra={"Action": Action, "month_name": month_name, "with_query": with_query},
        )
        self._queries = queries

    @staticmethod
    def translator(request: Request) -> Callable[[str], str]:
        lang = language(request)
        return lambda text: translate(lang, text, MESSAGES)

    async def clinic(self, principal: Principal, code: str) -> Clinic | None:
        """The clinic if it exists for this principal at all (its own, or its district's)."""
        if not _CLINIC_CODE.match(code):
            return None
        clinic = await self._queries.clinic(code)
        if clinic is None or not principal.sees_clinic(clinic.code, clinic.district):
            return None
        return clinic

    async def clinic_reader(
        self, request: Request, code: str
    ) -> tuple[Principal, Clinic] | Response:
        """A reader of the clinic ``code``, or the page to answer instead: a clinic outside
        the principal's scope is not found, exactly as one that does not exist."""
        principal = await self.signed_in(request, Action.REPORT_READ)
        if not isinstance(principal, Principal):
            return principal
        clinic = await self.clinic(principal, code)
        if clinic is None:
            return self.not_found(request, principal)
        return principal, clinic

    def not_found(self, request: Request, principal: Principal) -> HTMLResponse:
        return self.render(
            request,
            principal,
            "dasbor_pesan.html",
            404,
            title="Halaman tidak ditemukan",
            message="Puskesmas atau halaman yang Anda cari tidak ada.",
        )


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)
