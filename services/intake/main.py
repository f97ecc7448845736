"""Composition root of the intake service."""

from __future__ import annotations

from faststream_fastapi import FastStreamAPI

from services.intake import (
    entry_api,
    handlers,
    privacy,
    public_api,
    staff_web,
    tracking_api,
    web,
    webhooks_api,
)
from services.intake.channel_service import ChannelService
from services.intake.edge import RateLimits
from services.intake.entry_service import EntryService
from services.intake.service import IntakeService
from services.intake.store import SubmissionStore
from services.intake.survey_service import SurveyService
from services.intake.tracking_service import TrackingService
from shared.runtime import ServiceRuntime
from shared.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastStreamAPI:
    settings = settings or get_settings()
    runtime = ServiceRuntime("intake", settings)
    assert runtime.consumer is not None
    pepper = settings.pin_pepper.get_secret_value().encode()
    store = SubmissionStore(runtime.db)
    intake = IntakeService(
        runtime.directory, store, runtime.publisher, settings.public_base_url, pepper
    )
    surveys = SurveyService(intake)
    tracking = TrackingService(
        store, runtime.applier, pepper, settings.tracking_failures_allowed, runtime.publisher
    )
    handlers.register(runtime.consumer, tracking)
    privacy.register(runtime.consumer, privacy.PersonalDataEraser(runtime.db, runtime.applier))
    limits = RateLimits(settings)
    max_body = settings.intake_max_body_bytes
    entry = EntryService(intake, surveys)
    return runtime.asgi(
        public_api.router(intake, surveys, limits, max_body),
        tracking_api.router(tracking, limits),
        webhooks_api.router(ChannelService(intake), settings, limits),
        entry_api.router(entry, max_body),
        web.router(intake, surveys, tracking, web.pages(), limits, settings),
        staff_web.router(entry, intake, staff_web.pages(), max_body),
        title="SIGAP intake",
    )
