"""Composition root of the reporting service."""

from __future__ import annotations

from faststream_fastapi import FastStreamAPI

from services.reporting import api, dashboard, handlers, public_api
from services.reporting.reports import ReportQueries
from services.reporting.service import ReportingService, ZoneBook
from services.reporting.store import ReportingStore
from shared.runtime import ServiceRuntime
from shared.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastStreamAPI:
    runtime = ServiceRuntime("reporting", settings or get_settings())
    assert runtime.consumer is not None
    store = ReportingStore(runtime.db)
    zones = ZoneBook(runtime.directory)
    handlers.register(runtime.consumer, ReportingService(store, runtime.applier, zones))
    queries = ReportQueries(store, runtime.directory, zones)
    return runtime.asgi(
        api.router(store, queries),
        public_api.router(queries),
        dashboard.router(queries, store, runtime.directory),
        title="SIGAP reporting",
    )
