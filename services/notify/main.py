"""Composition root of the notify service."""

from __future__ import annotations

from faststream_fastapi import FastStreamAPI

from services.notify import handlers
from services.notify.service import NotifyService
from services.notify.store import NotifyStore
from shared.runtime import ServiceRuntime
from shared.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastStreamAPI:
    runtime = ServiceRuntime("notify", settings or get_settings())
    assert runtime.consumer is not None
    handlers.register(runtime.consumer, NotifyService(NotifyStore(runtime.db), runtime.applier))
    return runtime.asgi(title="SIGAP notify")
