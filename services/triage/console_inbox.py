"""The console's inbox (/konsol/): the clinic's register with filters, overdue markers and
pages. The scope comes from who asks, exactly as in the staff API: only the principal's own
clinic, and for a unit user only complaints routed to their unit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from starlette.datastructures import QueryParams

from services.triage import console_labels as labels
from services.triage.api import unit_scope
from services.triage.console_web import Console
from services.triage.domain.complaint import Status
from services.triage.queries import ComplaintQuery
from services.triage.store import ComplaintStore
from services.triage.views import summary
from shared.auth import Action, Principal

PAGE_SIZE = 25
FILTERS = ("status", "kind", "channel", "category", "unit", "overdue", "q", "order")
NOT_A_CHOICE = "Pilih salah satu pilihan yang tersedia"


def read_filters(
    params: QueryParams, units: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The filters as typed and, per refused one, the reason (a refused filter is not applied)."""
    values = {name: params.get(name, "").strip()[:200] for name in FILTERS}
    choices: dict[str, dict[str, str]] = {
        "status": labels.STATUSES,
        "kind": labels.KINDS,
        "channel": labels.CHANNELS,
        "category": labels.CATEGORIES,
        "unit": units,
        "overdue": {"1": ""},
        "order": {"newest": "", "deadline": ""},
    }
    errors = {
        name: NOT_A_CHOICE
        for name, allowed in choices.items()
        if values[name] and values[name] not in allowed
    }
    return values, errors


def page_number(params: QueryParams) -> int:
    raw = params.get("halaman", "1")
    return max(1, min(int(raw), 10_000)) if raw.isdigit() else 1


def query_of(principal: Principal, filters: dict[str, str], page: int) -> ComplaintQuery:
    def given(name: str) -> str | None:
        return filters[name] or None

    return ComplaintQuery(
        district=principal.district,
        clinic=principal.clinic,
        unit_scope=unit_scope(principal),
        status=Status(filters["status"]) if filters["status"] else None,
        unit=given("unit"),
        channel=given("channel"),
        category=given("category"),
        kind=given("kind"),
        overdue=True if filters["overdue"] else None,
        text=given("q"),
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        order="deadline" if filters["order"] == "deadline" else "newest",
    )


def page_link(filters: dict[str, str], page: int) -> str:
    kept = {name: value for name, value in filters.items() if value}
    return "/konsol/?" + urlencode({**kept, "halaman": page})


def router(console: Console, store: ComplaintStore, clock: Callable[[], datetime]) -> APIRouter:
    web = APIRouter()

    @web.get("/konsol/", response_model=None)
    async def inbox(request: Request) -> Response:
        principal = await console.signed_in(request, Action.COMPLAINT_READ)
        if isinstance(principal, Response):
            return principal
        if principal.clinic is None:
            # District staff read aggregates on the dashboard, never the clinics' registers.
            return console.not_found(request, principal)
        clinic = await console.directory.clinic(principal.clinic)
        timezone = clinic.timezone if clinic else "Asia/Jakarta"
        units = {unit.code: unit.name for unit in clinic.units} if clinic else {}
        filters, errors = read_filters(request.query_params, units)
        applied = {name: ("" if name in errors else value) for name, value in filters.items()}
        page = page_number(request.query_params)
        now = clock()
        docs, total = await store.search(query_of(principal, applied, page), now)
        rows: list[dict[str, Any]] = []
        for doc in docs:
            row = summary(doc, principal, now)
            row["received_local"] = labels.local_time(row["received_at"], timezone)
            due = row["deadlines"].get("response_due") or row["deadlines"].get("triage_due")
            row["due_local"] = labels.local_time(due, timezone)
            rows.append(row)
        pages = max(1, -(-total // PAGE_SIZE))
        return console.render(
            request,
            principal,
            "kotak_masuk.html",
            status_code=422 if errors else 200,
            clinic=clinic,
            units=units,
            filters=filters,
            errors=errors,
            rows=rows,
            total=total,
            page=page,
            pages=pages,
            previous_link=page_link(applied, page - 1) if page > 1 else None,
            next_link=page_link(applied, page + 1) if page < pages else None,
            unit_locked=unit_scope(principal) is not None,
        )

    return web
