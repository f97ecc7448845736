"""Notify's HTTP routes: the public response board, and the failed messages operators retry."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict

from services.notify.board_page import board_pages, render_board
from services.notify.store import NotifyStore
from shared.auth import Action, Principal, require
from shared.directory import Clinic, Directory
from shared.events import utc_now
from shared.storage import Document
from shared.web.pages import SHARED

NOT_FOUND = "Puskesmas tidak ditemukan"


class BoardEntryOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tracking_number: str
    kind: str
    category: str | None
    unit: str | None
    received_at: Any
    question: str
    reply: str
    responded_at: Any


class BoardOut(BaseModel):
    clinic: str
    name: str
    entries: list[BoardEntryOut]


class FailedNotificationOut(BaseModel):
    id: uuid.UUID
    clinic: str
    complaint_id: uuid.UUID | None
    audience: str
    channel: str
    template: str
    attempts: int
    last_error: str | None
    failed_at: Any


def router(store: NotifyStore, directory: Directory) -> APIRouter:
    api = APIRouter()
    # The portal layout's stylesheet, at /notify/static/ through the gateway.
    api.mount("/static", StaticFiles(directory=str(SHARED / "static")), name="shared-static")
    pages = board_pages()

    async def clinic_or_404(code: str) -> Clinic:
        clinic = await directory.clinic(code.upper())
        if clinic is None:
            raise HTTPException(404, NOT_FOUND)
        return clinic

    async def page(request: Request, code: str, *, printable: bool) -> HTMLResponse:
        clinic = await clinic_or_404(code)
        entries = await store.board(clinic.code)
        return render_board(pages, request, clinic, entries, utc_now(), printable=printable)

    @api.get("/papan-tanggapan/{clinic}", response_class=HTMLResponse, tags=["public"])
    async def board_page(request: Request, clinic: str) -> HTMLResponse:
        return await page(request, clinic, printable=False)

    @api.get("/papan-tanggapan/{clinic}/cetak", response_class=HTMLResponse, tags=["public"])
    async def board_print(request: Request, clinic: str) -> HTMLResponse:
        return await page(request, clinic, printable=True)

    @api.get("/api/v1/notify/board/{clinic}", response_model=BoardOut, tags=["public"])
    async def board_json(clinic: str) -> BoardOut:
        found = await clinic_or_404(clinic)
        entries = [BoardEntryOut.model_validate(_public(e)) for e in await store.board(found.code)]
        return BoardOut(clinic=found.code, name=found.name, entries=entries)

    @api.get("/api/v1/notify/failed", response_model=list[FailedNotificationOut], tags=["staff"])
    async def failed(
        principal: Principal = Depends(require(Action.AUDIT_READ)),
    ) -> list[FailedNotificationOut]:
        docs = await store.failed(principal.clinic, principal.district)
        return [_failed(doc) for doc in docs]

    @api.post("/api/v1/notify/failed/{notification_id}/retry", status_code=202, tags=["staff"])
    async def retry(
        notification_id: uuid.UUID,
        principal: Principal = Depends(require(Action.AUDIT_READ)),
    ) -> dict[str, str]:
        doc = await store.notification(notification_id)
        if doc is None or not principal.sees_clinic(doc["clinic"], doc["district"]):
            raise HTTPException(404, "Pesan tidak ditemukan")
        if not await store.requeue(notification_id):
            raise HTTPException(409, "Pesan ini tidak dalam status gagal")
        return {"status": "queued"}

    return api


def _public(entry: Document) -> Document:
    return {k: entry.get(k) for k in BoardEntryOut.model_fields}


def _failed(doc: Document) -> FailedNotificationOut:
    return FailedNotificationOut(
        id=doc["_id"],
        clinic=doc["clinic"],
        complaint_id=doc.get("complaint_id"),
        audience=doc["audience"],
        channel=doc["channel"],
        template=doc["template"],
        attempts=doc.get("attempts", 0),
        last_error=doc.get("last_error"),
        failed_at=doc.get("failed_at"),
    )
