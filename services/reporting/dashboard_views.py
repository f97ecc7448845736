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
from typing import Any
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
from shared.web.staff import page_principal, staff_nav, to_login

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


class DashboardViews:
    def __init__(self, queries: ReportQueries) -> None:
        self._pages = Pages("reporting", TEMPLATES, messages=MESSAGES)
        self._queries = queries

    @staticmethod
    def translator(request: Request) -> Callable[[str], str]:
        lang = language(request)
        return lambda text: translate(lang, text, MESSAGES)

    async def reader(self, request: Request, action: Action) -> Principal | Response:
        """The signed-in principal allowed ``action``, or the response that sends them away:
        the login page when not signed in, a refusal page when the role may not."""
        principal = await page_principal(request)
        if principal is None:
            return to_login(request)
        if not principal.may(action):
            return self.refused(request, principal)
        return principal

    async def clinic(self, principal: Principal, code: str) -> Clinic | None:
        """The clinic if it exists for this principal at all (its own, or its district's)."""
        if not _CLINIC_CODE.match(code):
            return None
        clinic = await self._queries.clinic(code)
        if clinic is None or not principal.sees_clinic(clinic.code, clinic.district):
            return None
        return clinic

    def render(
        self,
        request: Request,
        principal: Principal,
        template: str,
        status_code: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        response = self._pages.render(
            request,
            template,
            status_code=status_code,
            principal=principal,
            nav=staff_nav(principal),
            may=principal.may,
            Action=Action,
            month_name=month_name,
            with_query=with_query,
            **context,
        )
        # Staff pages are read on shared clinic PCs: nothing of them stays in the cache.
        response.headers["Cache-Control"] = "no-store"
        return response

    def not_found(self, request: Request, principal: Principal) -> HTMLResponse:
        return self.render(
            request,
            principal,
            "dasbor_pesan.html",
            404,
            title="Halaman tidak ditemukan",
            message="Puskesmas atau halaman yang Anda cari tidak ada.",
        )

    def refused(self, request: Request, principal: Principal) -> HTMLResponse:
        return self.render(
            request,
            principal,
            "dasbor_pesan.html",
            403,
            title="Tidak berwenang",
            message="Laporan tidak tersedia untuk peran Anda.",
        )


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)
