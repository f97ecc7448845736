"""Composition root of the notify service."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import APIRouter
from faststream_fastapi import FastStreamAPI

from services.notify import api, handlers, privacy
from services.notify.channels import ChannelAdapter
from services.notify.channels.email import SmtpEmailAdapter
from services.notify.channels.sms import TwilioSmsAdapter
from services.notify.channels.whatsapp import WhatsAppCloudAdapter
from services.notify.digest import DigestMaker
from services.notify.sender import Sender
from services.notify.service import NotifyService
from services.notify.store import NotifyStore
from services.notify.templates import TemplateLibrary
from shared.background import cancel_requested, every, stop
from shared.logging import get_logger
from shared.runtime import ServiceRuntime
from shared.settings import Settings, get_settings
from shared.storage import database

log = get_logger(__name__)


def create_app(settings: Settings | None = None) -> FastStreamAPI:
    settings = settings or get_settings()
    runtime = ServiceRuntime("notify", settings)
    assert runtime.consumer is not None
    store = NotifyStore(runtime.db, database(runtime.client, settings, "directory"))
    handlers.register(runtime.consumer, NotifyService(store, runtime.applier, runtime.directory))
    privacy.register(runtime.consumer, privacy.PersonalDataEraser(runtime.db, runtime.applier))
    templates = TemplateLibrary(settings.templates_dir)
    http = httpx.AsyncClient(timeout=settings.provider_timeout_seconds)
    adapters: dict[str, ChannelAdapter] = {
        "whatsapp": WhatsAppCloudAdapter(settings, http),
        "sms": TwilioSmsAdapter(settings, http),
        "email": SmtpEmailAdapter(settings),
    }
    sender = Sender(
        store=store,
        client=runtime.client,
        outbox=runtime.outbox,
        directory=runtime.directory,
        templates=templates,
        adapters=adapters,
        settings=settings,
    )
    digests = DigestMaker(
        store, runtime.client, runtime.directory, templates, settings.notify_digest_hour
    )

    async def work() -> None:
        async def round_of_work() -> None:
            # The digest's failure must not hold the sender back, nor the other way round.
            for step, name in ((digests.run_once, "digest"), (sender.run_once, "sender")):
                try:
                    await step()
                except Exception:
                    if cancel_requested():
                        raise
                    log.exception("notify.worker_round_failed", step=name)

        await every(settings.notify_sender_interval_seconds, round_of_work, "notify.worker_failed")

    @asynccontextmanager
    async def worker_lifespan(_app: object) -> AsyncIterator[None]:
        # Nested inside the runtime's lifespan: starts after the indexes exist, stops before
        # the database client closes.
        task = asyncio.create_task(work())
        try:
            yield
        finally:
            await stop([task])
            await http.aclose()

    return runtime.asgi(
        api.router(store, runtime.directory),
        APIRouter(lifespan=worker_lifespan),
        title="SIGAP notify",
    )
