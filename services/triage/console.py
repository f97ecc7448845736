"""The staff console (/konsol/…): server-side pages over the same use cases as the staff API
and the same identity use cases as its login. Pages: ``console_auth`` (login, logout),
``console_inbox`` (the clinic's register), ``console_complaint`` (one complaint and its
commands), ``console_users`` (users and the audit log), ``console_password`` (one's own
password), ``console_preferences`` (one's own alerts); what they share is ``console_web``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter
from fastapi.staticfiles import StaticFiles

from services.triage import (
    console_auth,
    console_complaint,
    console_inbox,
    console_password,
    console_preferences,
    console_users,
)
from services.triage.console_web import Console, console_pages
from services.triage.identity_api import Identity
from services.triage.service import TriageService
from services.triage.store import ComplaintStore
from shared.directory import Directory
from shared.web.pages import SHARED


def router(
    identity: Identity,
    service: TriageService,
    store: ComplaintStore,
    directory: Directory,
    clock: Callable[[], datetime],
) -> APIRouter:
    console = Console(console_pages(), directory)
    web = APIRouter(include_in_schema=False)
    # The shared stylesheet, at /triage/static/ through the gateway.
    web.mount("/static", StaticFiles(directory=str(SHARED / "static")), name="shared-static")
    web.include_router(console_auth.router(console, identity))
    web.include_router(console_inbox.router(console, store, clock))
    web.include_router(console_complaint.router(console, service, store, clock))
    web.include_router(console_users.router(console, identity))
    web.include_router(console_password.router(console, identity))
    web.include_router(console_preferences.router(console, identity))
    return web
