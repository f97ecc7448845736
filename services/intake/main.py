"""Composition root of the intake service."""

from __future__ import annotations

from faststream_fastapi import FastStreamAPI

from services.intake import api
from services.intake.service import IntakeService
from services.intake.store import SubmissionStore
from shared.runtime import ServiceRuntime
from shared.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastStreamAPI:
    settings = settings or get_settings()
    runtime = ServiceRuntime("intake", settings, consumes=False)
    service = IntakeService(
        runtime.directory, SubmissionStore(runtime.db), runtime.publisher, settings.public_base_url
    )
    return runtime.asgi(api.router(service), title="SIGAP intake")
