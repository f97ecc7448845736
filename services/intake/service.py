"""Intake's core use case: accept one piece of feedback.

Validate it against the clinic register, reserve a tracking number (and, for provider
messages, claim the message id), publish ``complaint.received`` and wait for the broker's
confirm before answering. Whatever fails before the confirm is released again, so nothing
half-exists and the sender's retry starts afresh.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pymongo.errors import DuplicateKeyError, PyMongoError

from services.intake.domain.contacts import contact_key
from services.intake.domain.sms import normalise_phone
from services.intake.domain.tracking import generate_pin, generate_tracking_number, hash_pin
from services.intake.schemas import ComplaintIn, Receipt, ReporterIn
from services.intake.store import SubmissionStore
from shared.directory import Clinic, ClinicCache, Directory
from shared.events import (
    TEXT_MAX,
    Actor,
    ComplaintReceived,
    ComplaintReceivedData,
    IdentityLevel,
    Kind,
    Reporter,
    Source,
    utc_now,
)
from shared.events.complaints import Channel
from shared.logging import get_logger
from shared.messaging import Publisher

# A claim on a provider message left "pending" this long is assumed abandoned by a crash.
STALE_CLAIM = timedelta(minutes=2)
# How long the writes that record a confirmed publish are retried through a database outage.
AFTER_CONFIRM_SECONDS = 20.0
log = get_logger(__name__)


class InvalidFieldError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


class AlreadyReceivedError(Exception):
    """The provider delivered this message before; its complaint exists."""

    def __init__(self, tracking_number: str | None) -> None:
        super().__init__(tracking_number or "")
        self.tracking_number = tracking_number


class InProgressError(Exception):
    """Another request is publishing the same provider message right now: retry later."""


@dataclass(frozen=True, slots=True)
class ComplaintDraft:
    kind: Kind
    text: str
    unit: str | None = None
    identity: IdentityLevel = "biasa"
    reporter: Reporter | None = None
    source: Source | None = None


class IntakeService:
    def __init__(
        self,
        directory: Directory,
        store: SubmissionStore,
        publisher: Publisher,
        public_base_url: str,
        pin_pepper: bytes,
    ) -> None:
        self._directory = directory
        self._clinics = ClinicCache(directory)
        self._store = store
        self._publisher = publisher
        self._base_url = public_base_url.rstrip("/")
        self._pepper = pin_pepper

    @property
    def publisher(self) -> Publisher:
        return self._publisher

    @property
    def store(self) -> SubmissionStore:
        return self._store

    @property
    def directory(self) -> Directory:
        return self._directory

    @property
    def pepper(self) -> bytes:
        return self._pepper

    async def clinics(self) -> list[Clinic]:
        return await self._directory.clinics()

    async def clinic(self, code: str, field: str = "clinic") -> Clinic:
        clinic = await self._clinics.clinic(code.strip().upper())
        if clinic is None:
            raise InvalidFieldError(field, f"Puskesmas '{code}' tidak dikenal")
        return clinic

    async def submit(
        self,
        body: ComplaintIn,
        *,
        channel: Channel,
        actor: Actor,
        correlation_id: str,
        source: Source | None = None,
    ) -> Receipt:
        """The public form (and any body shaped like it)."""
        clinic = await self.clinic(body.clinic)
        draft = ComplaintDraft(
            kind=body.kind,
            text=body.text,
            unit=body.unit,
            identity=identity_of(body.anonymous, body.confidential),
            reporter=None if body.anonymous else reporter_of(body.reporter),
            source=source,
        )
        return await self.accept(
            clinic, draft, channel=channel, actor=actor, correlation_id=correlation_id
        )

    async def accept(
        self,
        clinic: Clinic,
        draft: ComplaintDraft,
        *,
        channel: Channel,
        actor: Actor,
        correlation_id: str,
        inbound_key: str | None = None,
    ) -> Receipt:
        """Publish one complaint and answer only after the confirm.

        With ``inbound_key`` (a provider's message id), a message received before raises
        :class:`AlreadyReceivedError` and one being published right now
        :class:`InProgressError`; neither publishes anything.
        """
        text = draft.text.strip()
        if not text:
            raise InvalidFieldError("text", "Isi aduan tidak boleh kosong")
        if len(text) > TEXT_MAX:
            raise InvalidFieldError("text", f"Isi aduan paling banyak {TEXT_MAX} karakter")
        if draft.unit is not None and not clinic.has_unit(draft.unit):
            raise InvalidFieldError("unit", f"Unit '{draft.unit}' tidak ada di {clinic.name}")
        received_at = utc_now()
        if inbound_key is not None:
            await self.claim(inbound_key, received_at)
        try:
            receipt = await self._publish(
                clinic, draft, text, channel, actor, correlation_id, received_at
            )
        except BaseException:
            if inbound_key is not None:
                await self._store.release_inbound(inbound_key)
            raise
        if inbound_key is not None:
            await after_confirm(
                lambda: self._store.complete_inbound(inbound_key, receipt.tracking_number)
            )
        return receipt

    async def claim(self, key: str, now: datetime) -> None:
        """Claim a provider message id (see SubmissionStore.claim_inbound) or raise."""
        claim = await self._store.claim_inbound(key, now, STALE_CLAIM)
        if claim.state == "done":
            raise AlreadyReceivedError(claim.tracking_number)
        if claim.state == "busy":
            raise InProgressError(key)

    async def _publish(
        self,
        clinic: Clinic,
        draft: ComplaintDraft,
        text: str,
        channel: Channel,
        actor: Actor,
        correlation_id: str,
        received_at: datetime,
    ) -> Receipt:
        complaint_id = uuid.uuid4()
        pin = generate_pin()
        # scrypt is deliberately slow: keep it off the event loop.
        pin_hash = await asyncio.to_thread(hash_pin, pin, self._pepper)
        phone = draft.reporter.phone if draft.reporter and draft.identity != "anonim" else None
        view: dict[str, Any] = {
            "district": clinic.district,
            "reporter_key": contact_key(phone, self._pepper) if phone else None,
            "kind": draft.kind,
            "channel": channel,
            "unit": draft.unit,
            "status": "received",
            "received_at": received_at,
            "updated_at": received_at,
            "pin_hash": pin_hash,
        }
        tracking_number = await self._reserve_tracking_number(
            clinic, complaint_id, received_at, view
        )
        event = ComplaintReceived.create(
            ComplaintReceivedData(
                complaint_id=complaint_id,
                tracking_number=tracking_number,
                pin=pin,
                channel=channel,
                kind=draft.kind,
                text=text,
                unit=draft.unit,
                identity=draft.identity,
                reporter=None if draft.identity == "anonim" else draft.reporter,
                source=draft.source,
                received_at=received_at,
            ),
            district=clinic.district,
            clinic=clinic.code,
            actor=actor,
            correlation_id=correlation_id,
        )
        try:
            await self._publisher.publish(event)
        except BaseException:
            # Not accepted: free the number so nothing half-exists; the sender retries.
            await self._store.release(tracking_number)
            raise
        await after_confirm(lambda: self._store.mark_published(tracking_number))
        return Receipt(
            tracking_number=tracking_number,
            pin=pin,
            status_url=f"{self._base_url}/api/v1/complaints/track/{tracking_number}",
        )

    async def _reserve_tracking_number(
        self, clinic: Clinic, complaint_id: uuid.UUID, at: datetime, view: dict[str, Any]
    ) -> str:
        local_day = at.astimezone(ZoneInfo(clinic.timezone)).date()
        for _ in range(5):
            number = generate_tracking_number(clinic.code, local_day)
            try:
                await self._store.reserve(number, complaint_id, clinic.code, at, view)
            except DuplicateKeyError:
                continue  # about one in millions: draw again
            return number
        raise RuntimeError("could not draw a free tracking number")


async def after_confirm(write: Callable[[], Awaitable[None]]) -> None:
    """A write recording a publish the broker has confirmed. Retried through a short database
    outage: failing now would make the sender submit the same complaint a second time."""
    deadline = time.monotonic() + AFTER_CONFIRM_SECONDS
    delay = 0.2
    while True:
        try:
            return await write()
        except PyMongoError:
            if time.monotonic() > deadline:
                raise
            log.warning("intake.after_confirm_write_retried")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)


def identity_of(anonymous: bool, confidential: bool) -> IdentityLevel:
    if anonymous:
        return "anonim"
    return "rahasia" if confidential else "biasa"


def reporter_of(given: ReporterIn | None) -> Reporter | None:
    """The wire reporter from a body's reporter part, when any of it is given."""
    if given is None or (given.name is None and given.phone is None and given.email is None):
        return None
    phone = normalise_phone(given.phone) if given.phone else None
    return Reporter(name=given.name, phone=phone, email=given.email)
