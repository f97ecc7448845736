"""Staff HTTP API of the triage service: the register (list, one complaint with its history)
and one route per workflow command. Thin: each route checks who asks, calls one use case and
maps domain errors to HTTP (refused transition and stale version 409, bad value 422, a
complaint the caller may not see 404)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from services.triage import api_schemas as body_of
from services.triage import commands
from services.triage.commands import actor_of
from services.triage.domain import complaint as domain
from services.triage.domain.complaint import Complaint
from services.triage.domain.errors import IllegalTransition, InvalidCommand
from services.triage.queries import ComplaintQuery
from services.triage.service import Act, ComplaintNotFoundError, TriageService
from services.triage.store import ComplaintStore, StaleComplaintError
from services.triage.views import detail, summary
from services.triage.wire import Cause
from shared.audit import AuditAction, AuditLog
from shared.auth import Action, Principal, Role, require
from shared.directory import Directory
from shared.events import utc_now
from shared.http import correlation_id, field_error

PREFIX = "/api/v1/staff/complaints"
STALE = "Aduan sudah diubah oleh pengguna lain. Periksa keadaan terbaru lalu ulangi."
NOT_FOUND = "Aduan tidak ditemukan"
CLINIC_NOT_FOUND = "Puskesmas tidak ditemukan"


def unit_scope(principal: Principal) -> str | None:
    """Unit users see only what is routed to their unit (a unit user without one sees none)."""
    return (principal.unit or "") if principal.role is Role.UNIT else None


def visible_to(principal: Principal) -> Callable[[Complaint], bool]:
    scope = unit_scope(principal)
    return lambda c: (
        principal.sees_clinic(c.clinic, c.district) and (scope is None or c.unit == scope)
    )


async def record_identity_view(
    request: Request, principal: Principal, doc: dict[str, Any], view: dict[str, Any]
) -> None:
    """Seeing a reporter's name and contact is audited (UU 27/2022 PDP), in the API and the
    console alike."""
    audit: AuditLog | None = getattr(request.app.state, "audit", None)
    if audit is not None and principal.sees_identity and view["reporter"]:
        await audit.record(
            AuditAction.IDENTITY_VIEWED,
            actor=principal,
            target=str(doc["_id"]),
            clinic=doc["clinic"],
            district=doc["district"],
        )


def _json(status: int, content: dict[str, Any]) -> JSONResponse:
    return JSONResponse(status_code=status, content=jsonable_encoder(content))


def build_router(
    service: TriageService,
    store: ComplaintStore,
    directory: Directory,
    clock: Callable[[], datetime] = utc_now,
) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["staff complaints"])

    async def current(complaint_id: uuid.UUID, principal: Principal) -> dict[str, Any] | None:
        doc = await store.get_document(complaint_id)
        if doc is None or not principal.sees_clinic(doc["clinic"], doc["district"]):
            return None
        scope = unit_scope(principal)
        return doc if scope is None or doc.get("unit") == scope else None

    async def run(
        request: Request, principal: Principal, complaint_id: uuid.UUID, version: int, act: Act
    ) -> JSONResponse:
        cause = Cause(correlation_id(request), f"http:{request.method} {request.url.path}")
        try:
            await service.execute(complaint_id, version, act, cause, visible_to(principal))
        except ComplaintNotFoundError:
            return field_error(404, "complaint_id", NOT_FOUND)
        except InvalidCommand as exc:
            return field_error(422, exc.field, exc.message)
        except (IllegalTransition, StaleComplaintError) as exc:
            doc = await current(complaint_id, principal)
            message = exc.message if isinstance(exc, IllegalTransition) else STALE
            field = "status" if isinstance(exc, IllegalTransition) else "version"
            return _json(
                409,
                {
                    "detail": message,
                    "errors": [{"field": field, "reason": message}],
                    "complaint": detail(doc, principal, clock()) if doc else None,
                },
            )
        doc = await current(complaint_id, principal)
        assert doc is not None
        return _json(200, detail(doc, principal, clock()))

    @router.get("")
    async def list_complaints(
        principal: Annotated[Principal, Depends(require(Action.COMPLAINT_READ))],
        status: domain.Status | None = None,
        unit: str | None = None,
        channel: domain.Channel | None = None,
        category: str | None = None,
        kind: domain.Kind | None = None,
        overdue: bool | None = None,
        duplicate: bool | None = None,
        q: Annotated[str | None, Query(max_length=200)] = None,
        clinic: Annotated[str | None, Query(max_length=40)] = None,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,  # beyond it the database refuses
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> JSONResponse:
        if clinic and not await directory.visible_clinic(principal, clinic):
            # As for one complaint: another clinic's register does not exist for this member.
            return field_error(404, "clinic", CLINIC_NOT_FOUND)
        query = ComplaintQuery(
            district=principal.district,
            clinic=principal.clinic or clinic,
            unit_scope=unit_scope(principal),
            status=status,
            unit=unit,
            channel=channel.value if channel else None,
            category=category,
            kind=kind.value if kind else None,
            overdue=overdue,
            possible_duplicate=duplicate,
            text=q,
            offset=offset,
            limit=limit,
        )
        now = clock()
        docs, total = await store.search(query, now)
        items = [summary(doc, principal, now) for doc in docs]
        return _json(200, {"items": items, "total": total, "offset": offset, "limit": limit})

    @router.get("/{complaint_id}")
    async def get_complaint(
        complaint_id: uuid.UUID,
        request: Request,
        principal: Annotated[Principal, Depends(require(Action.COMPLAINT_READ))],
    ) -> JSONResponse:
        doc = await current(complaint_id, principal)
        if doc is None:
            return field_error(404, "complaint_id", NOT_FOUND)
        view = detail(doc, principal, clock())
        await record_identity_view(request, principal, doc, view)
        return _json(200, view)

    @router.post("/{complaint_id}/triage")
    async def triage(
        complaint_id: uuid.UUID,
        body: body_of.TriageBody,
        request: Request,
        principal: Annotated[Principal, Depends(require(Action.COMPLAINT_TRIAGE))],
    ) -> JSONResponse:
        act = commands.triage(body, actor_of(principal))
        return await run(request, principal, complaint_id, body.version, act)

    @router.post("/{complaint_id}/assign")
    async def assign(
        complaint_id: uuid.UUID,
        body: body_of.AssignBody,
        request: Request,
        principal: Annotated[Principal, Depends(require(Action.COMPLAINT_ASSIGN))],
    ) -> JSONResponse:
        act = commands.assign(body, actor_of(principal))
        return await run(request, principal, complaint_id, body.version, act)

    @router.post("/{complaint_id}/plan")
    async def plan(
        complaint_id: uuid.UUID,
        body: body_of.PlanBody,
        request: Request,
        principal: Annotated[Principal, Depends(require(Action.COMPLAINT_PLAN))],
    ) -> JSONResponse:
        act = commands.plan(body, actor_of(principal))
        return await run(request, principal, complaint_id, body.version, act)

    @router.post("/{complaint_id}/progress")
    async def progress(
        complaint_id: uuid.UUID,
        body: body_of.ProgressBody,
        request: Request,
        principal: Annotated[Principal, Depends(require(Action.COMPLAINT_PROGRESS))],
    ) -> JSONResponse:
        act = commands.progress(body, actor_of(principal))
        return await run(request, principal, complaint_id, body.version, act)

    @router.post("/{complaint_id}/escalate")
    async def escalate(
        complaint_id: uuid.UUID,
        body: body_of.EscalateBody,
        request: Request,
        principal: Annotated[Principal, Depends(require(Action.COMPLAINT_ESCALATE))],
    ) -> JSONResponse:
        act = commands.escalate(body, actor_of(principal))
        return await run(request, principal, complaint_id, body.version, act)

    @router.post("/{complaint_id}/wait")
    async def wait(
        complaint_id: uuid.UUID,
        body: body_of.WaitBody,
        request: Request,
        principal: Annotated[Principal, Depends(require(Action.COMPLAINT_REPLY))],
    ) -> JSONResponse:
        act = commands.wait(body, actor_of(principal))
        return await run(request, principal, complaint_id, body.version, act)

    @router.post("/{complaint_id}/reply")
    async def reply(
        complaint_id: uuid.UUID,
        body: body_of.ReplyBody,
        request: Request,
        principal: Annotated[Principal, Depends(require(Action.COMPLAINT_REPLY))],
    ) -> JSONResponse:
        act = commands.reply(body, actor_of(principal))
        return await run(request, principal, complaint_id, body.version, act)

    @router.post("/{complaint_id}/close")
    async def close(
        complaint_id: uuid.UUID,
        body: body_of.CloseBody,
        request: Request,
        principal: Annotated[Principal, Depends(require(Action.COMPLAINT_CLOSE))],
    ) -> JSONResponse:
        act = commands.close(body, actor_of(principal))
        return await run(request, principal, complaint_id, body.version, act)

    @router.post("/{complaint_id}/reopen")
    async def reopen(
        complaint_id: uuid.UUID,
        body: body_of.ReasonBody,
        request: Request,
        principal: Annotated[Principal, Depends(require(Action.COMPLAINT_REOPEN))],
    ) -> JSONResponse:
        act = commands.reopen(body, actor_of(principal))
        return await run(request, principal, complaint_id, body.version, act)

    @router.post("/{complaint_id}/reject")
    async def reject(
        complaint_id: uuid.UUID,
        body: body_of.ReasonBody,
        request: Request,
        principal: Annotated[Principal, Depends(require(Action.COMPLAINT_REJECT))],
    ) -> JSONResponse:
        act = commands.reject(body, actor_of(principal))
        return await run(request, principal, complaint_id, body.version, act)

    return router
