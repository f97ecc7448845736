"""What the public portal's pages show: one method per page, given what the route decided.
Everything a page needs (labels, choices, times in the clinic's zone, the poster's QR code) is
prepared here so that the routes in services.intake.web only decide."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import segno
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from services.intake.domain.progress import status_label
from services.intake.schemas import ComplaintView, Receipt, SurveyReceipt
from services.intake.web_forms import (
    EDUCATION,
    FIELD_LABELS,
    KINDS,
    OCCUPATIONS,
    SURVEY_ELEMENTS,
)
from shared.directory import Clinic
from shared.events import utc_now
from shared.web.forms import form_state
from shared.web.pages import Pages

BUSY = "Layanan sedang sibuk, belum diterima. Silakan coba lagi."
TOO_MANY = "Terlalu banyak permintaan. Silakan coba lagi nanti."
NOT_MATCHING = "Nomor pelacakan atau PIN tidak cocok"
OPTED_OUT = "Permintaan diterima. SIGAP tidak akan mengirim pesan lagi ke nomor HP atau email Anda."
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
SURVEY_CHOICES: dict[str, Any] = {
    "elements": SURVEY_ELEMENTS,
    "education": EDUCATION,
    "occupations": OCCUPATIONS,
}
Errors = dict[str, str]


def poster_qr(url: str) -> Markup:
    """The QR code of ``url`` as inline SVG (drawn here: no outside service, works offline)."""
    code = segno.make_qr(url, error="m")
    return Markup(code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", title=url))


def local_time(moment: datetime | None, timezone: str) -> str:
    """A time as the clinic's people read it, e.g. ``26-11-2026 08.30 WIB``."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%d-%m-%Y %H.%M} {ZONE_NAMES.get(timezone, timezone)}"


def clinic_today(clinic: Clinic) -> str:
    """Today's date where the clinic is (ISO), the default of its date fields."""
    return utc_now().astimezone(ZoneInfo(clinic.timezone)).date().isoformat()


def kind_label(kind: str) -> str:
    return next((label for code, label, _ in KINDS if code == kind), kind)


def no_store(response: HTMLResponse) -> HTMLResponse:
    # Tracking numbers, PINs and a complaint's progress must not stay in a shared PC's cache.
    response.headers["Cache-Control"] = "no-store"
    return response


class PortalViews:
    def __init__(self, pages: Pages) -> None:
        self._pages = pages

    def not_found(self, request: Request) -> HTMLResponse:
        return self._pages.render(request, "tidak_ditemukan.html", status_code=404)

    def portal(self, request: Request, clinics: list[Clinic]) -> HTMLResponse:
        by_district: dict[str, list[Clinic]] = {}
        for clinic in clinics:
            by_district.setdefault(clinic.district, []).append(clinic)
        return self._pages.render(request, "portal.html", districts=by_district)

    def complaint_form(
        self,
        request: Request,
        clinic: Clinic,
        values: dict[str, str] | None = None,
        errors: Errors | None = None,
        alert: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        return self._pages.render(
            request,
            "lapor.html",
            status_code=status_code,
            clinic=clinic,
            kinds=KINDS,
            labels=FIELD_LABELS,
            values=values or {"kind": request.query_params.get("jenis", "")},
            **form_state(errors, alert),
        )

    def complaint_receipt(
        self, request: Request, clinic: Clinic, kind: str, receipt: Receipt
    ) -> HTMLResponse:
        page = self._pages.render(
            request, "lapor_diterima.html", clinic=clinic, receipt=receipt, kind=kind_label(kind)
        )
        return no_store(page)

    def survey_form(
        self,
        request: Request,
        clinic: Clinic,
        values: dict[str, str] | None = None,
        errors: Errors | None = None,
        alert: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        today = clinic_today(clinic)
        return self._pages.render(
            request,
            "survei.html",
            status_code=status_code,
            clinic=clinic,
            **SURVEY_CHOICES,
            labels=FIELD_LABELS,
            today=today,
            values=values or {"service_date": today},
            **form_state(errors, alert),
        )

    def survey_receipt(
        self, request: Request, clinic: Clinic, receipt: SurveyReceipt
    ) -> HTMLResponse:
        page = self._pages.render(request, "survei_diterima.html", clinic=clinic, receipt=receipt)
        return no_store(page)

    def tracking_form(
        self,
        request: Request,
        number: str = "",
        errors: Errors | None = None,
        alert: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        return self._pages.render(
            request,
            "lacak.html",
            status_code=status_code,
            number=number,
            labels=FIELD_LABELS,
            **form_state(errors, alert),
        )

    def tracking_status(
        self,
        request: Request,
        view: ComplaintView,
        clinic: Clinic | None,
        pin: str = "",
        notice: str | None = None,
    ) -> HTMLResponse:
        timezone = clinic.timezone if clinic else "Asia/Jakarta"
        times = {
            name: local_time(getattr(view, name), timezone)
            for name in ("received_at", "updated_at", "replied_at", "closed_at")
        }
        units = {unit.code: unit.name for unit in clinic.units} if clinic else {}
        page = self._pages.render(
            request,
            "lacak_status.html",
            view=view,
            clinic=clinic,
            kind=kind_label(view.kind),
            unit=units.get(view.unit or "", view.unit),
            status=status_label(view.status),
            times=times,
            # Sent back only inside the opt-out form, which asks again with number and PIN.
            pin=pin,
            notice=notice,
        )
        return no_store(page)

    def poster(self, request: Request, clinic: Clinic, base_url: str) -> HTMLResponse:
        report_url = f"{base_url}/lapor/{clinic.code}"
        return self._pages.render(
            request,
            "poster.html",
            clinic=clinic,
            report_url=report_url,
            survey_url=f"{base_url}/survei/{clinic.code}",
            tracking_url=f"{base_url}/lacak",
            qr=poster_qr(report_url),
        )
