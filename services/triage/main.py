"""Composition root of the triage service."""

from __future__ import annotations

from faststream_fastapi import FastStreamAPI

from services.triage import handlers
from services.triage.service import TriageService
from services.triage.store import ComplaintStore
from shared.runtime import ServiceRuntime
from shared.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastStreamAPI:
    runtime = ServiceRuntime("triage", settings or get_settings())
    assert runtime.consumer is not None
    service = TriageService(ComplaintStore(runtime.db), runtime.applier, runtime.directory)
    handlers.register(runtime.consumer, service)
    return runtime.asgi(title="SIGAP triage")
