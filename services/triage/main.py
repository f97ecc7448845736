"""Composition root of the triage service."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from faststream_fastapi import FastStreamAPI

from services.triage import console, handlers, identity_api, settings_api
from services.triage.api import build_router
from services.triage.calendars import CalendarBook
from services.triage.scheduler import DeadlineScheduler
from services.triage.service import TriageService
from services.triage.store import ComplaintStore
from shared.events import utc_now
from shared.runtime import ServiceRuntime
from shared.settings import Settings, get_settings


@dataclass(frozen=True)
class Triage:
    """The assembled service; tests reach its parts (and give it their own clock)."""

    runtime: ServiceRuntime
    store: ComplaintStore
    calendars: CalendarBook
    service: TriageService
    scheduler: DeadlineScheduler
    app: FastStreamAPI


def create_app(settings: Settings | None = None) -> FastStreamAPI:
    return assemble(settings or get_settings()).app


def assemble(settings: Settings, clock: Callable[[], datetime] = utc_now) -> Triage:
    runtime = ServiceRuntime("triage", settings)
    assert runtime.consumer is not None
    store = ComplaintStore(runtime.db)
    calendars = CalendarBook(runtime.db, runtime.directory)
    service = TriageService(store, runtime.applier, calendars, clock=clock)
    handlers.register(runtime.consumer, service)
    scheduler = DeadlineScheduler(store, service, clock=clock)

    async def start_scheduler() -> None:
        # The runtime cancels its background tasks when the service stops.
        runtime._background.append(asyncio.create_task(scheduler.run()))

    runtime.on_startup(start_scheduler)
    identity = identity_api.Identity(runtime)
    app = runtime.asgi(
        identity_api.router(identity),
        build_router(service, store, runtime.directory, clock),
        settings_api.build_router(store, calendars, runtime.directory),
        console.router(identity, service, store, runtime.directory, clock),
        title="SIGAP triage",
    )
    return Triage(runtime, store, calendars, service, scheduler, app)
