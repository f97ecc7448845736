"""One complaint in the console (/konsol/aduan/{id}): its register with the whole history and
a form for each command the role may run in the current status. A form runs the same
``TriageService.execute`` and the same command table as the staff API; a refusal comes back on
the page with what was typed and the reason, a success goes back to the page (post/redirect/get).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from services.triage import console_labels as labels
from services.triage.api import STALE, record_identity_view, unit_scope, visible_to
from services.triage.commands import COMMANDS, actor_of
from services.triage.console_forms import FIELD_LABELS, CommandFormError, body_from_form, typed
from services.triage.console_web import Console
from services.triage.domain.errors import IllegalTransition, InvalidCommand
from services.triage.domain.workflow import TRANSITIONS
from services.triage.service import ComplaintNotFoundError, TriageService
from services.triage.store import ComplaintStore, StaleComplaintError
from services.triage.views import detail
from services.triage.wire import Cause
from shared.auth import Action, Principal
from shared.http import correlation_id
from shared.web.forms import CHECK_FIELDS, FORM_EXPIRED

DONE = "Tersimpan."
Doc = dict[str, Any]


def offered(principal: Principal, status: str) -> list[str]:
    """The commands this role may run and the workflow allows from ``status``."""
    return [
        name
        for name, spec in COMMANDS.items()
        if principal.may(spec.action) and status in TRANSITIONS[spec.domain_command][0]
    ]


def _parse_id(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def router(
    console: Console,
    service: TriageService,
    store: ComplaintStore,
    clock: Callable[[], datetime],
) -> APIRouter:
    web = APIRouter()

    async def visible(complaint_id: uuid.UUID | None, principal: Principal) -> Doc | None:
        doc = await store.get_document(complaint_id) if complaint_id else None
        if doc is None or not principal.sees_clinic(doc["clinic"], doc["district"]):
            return None
        scope = unit_scope(principal)
        return doc if scope is None or doc.get("unit") == scope else None

    async def page(
        request: Request,
        principal: Principal,
        doc: Doc,
        status_code: int = 200,
        **form_state: Any,
    ) -> HTMLResponse:
        now = clock()
        view = detail(doc, principal, now)
        await record_identity_view(request, principal, doc, view)
        clinic = await console.directory.clinic(doc["clinic"])
        timezone = clinic.timezone if clinic else "Asia/Jakarta"
        units = {unit.code: unit.name for unit in clinic.units} if clinic else {}

        def when(moment: Any) -> str:
            return labels.local_time(moment, timezone)

        state = {"failed": None, "values": {}, "errors": {}, "alert": None, **form_state}
        if state["errors"] and not state["alert"]:
            state["alert"] = CHECK_FIELDS
        done = request.query_params.get("selesai", "")
        return console.render(
            request,
            principal,
            "aduan.html",
            status_code,
            c=view,
            units=units,
            when=when,
            commands=offered(principal, view["status"]),
            field_labels=FIELD_LABELS,
            notice=DONE if done in COMMANDS and status_code == 200 else None,
            **state,
        )

    @web.get("/konsol/aduan/{complaint_id}", response_model=None)
    async def complaint(request: Request, complaint_id: str) -> Response:
        principal = await console.signed_in(request, Action.COMPLAINT_READ)
        if isinstance(principal, Response):
            return principal
        doc = await visible(_parse_id(complaint_id), principal)
        if doc is None:
            return console.not_found(request, principal)
        return await page(request, principal, doc)

    @web.post("/konsol/aduan/{complaint_id}/{command}", response_model=None)
    async def run_command(request: Request, complaint_id: str, command: str) -> Response:
        principal = await console.signed_in(request, Action.COMPLAINT_READ)
        if isinstance(principal, Response):
            return principal
        parsed = _parse_id(complaint_id)
        doc = await visible(parsed, principal)
        if doc is None or parsed is None or command not in COMMANDS:
            return console.not_found(request, principal)
        spec = COMMANDS[command]
        if not principal.may(spec.action):
            return await page(request, principal, doc, 403, alert="Anda tidak berwenang.")
        form, genuine = await console.posted(request)
        values = typed(form, command)
        refused = {"failed": command, "values": values}
        if not genuine:
            return await page(request, principal, doc, 403, alert=FORM_EXPIRED, **refused)
        try:
            body = body_from_form(command, form)
            act = spec.act(body, actor_of(principal))
            cause = Cause(correlation_id(request), f"console:{command}")
            await service.execute(parsed, body.version, act, cause, visible_to(principal))
        except CommandFormError as exc:
            return await page(request, principal, doc, 422, errors=exc.errors, **refused)
        except InvalidCommand as exc:
            # The domain names nested fields ("plan.due_date"); the form has "due_date".
            errors = {exc.field.rsplit(".", 1)[-1]: exc.reason}
            return await page(request, principal, doc, 422, errors=errors, **refused)
        except (IllegalTransition, StaleComplaintError) as exc:
            # The page shows the complaint as it is now, with the reason it was refused.
            fresh = await visible(parsed, principal)
            if fresh is None:
                return console.not_found(request, principal)
            reason = exc.message if isinstance(exc, IllegalTransition) else STALE
            return await page(request, principal, fresh, 409, alert=reason, **refused)
        except ComplaintNotFoundError:
            return console.not_found(request, principal)
        target = f"/konsol/aduan/{parsed}?selesai={command}#riwayat"
        return RedirectResponse(target, status_code=303)

    return web
