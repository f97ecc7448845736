"""Intake use cases: validate against the clinic register, give a tracking number and PIN,
publish the event and wait for the broker's confirm before answering."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from pymongo.errors import DuplicateKeyError

from services.intake.domain.sms import normalise_phone
from services.intake.domain.tracking import generate_pin, generate_tracking_number
from services.intake.schemas import ComplaintIn, Receipt
from services.intake.store import SubmissionStore
from shared.directory import Clinic, Directory
from shared.events import (
    Actor,
    ComplaintReceived,
    ComplaintReceivedData,
    Reporter,
    Source,
    utc_now,
)
from shared.events.complaints import Channel
from shared.messaging import Publisher


class InvalidFieldError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


class IntakeService:
    def __init__(
        self,
        directory: Directory,
        store: SubmissionStore,
        publisher: Publisher,
        public_base_url: str,
    ) -> None:
        self._directory = directory
        self._store = store
        self._publisher = publisher
        self._base_url = public_base_url.rstrip("/")

    async def clinics(self) -> list[Clinic]:
        return await self._directory.clinics()

    async def submit(
        self,
        body: ComplaintIn,
        *,
        channel: Channel,
        actor: Actor,
        correlation_id: str,
        source: Source | None = None,
    ) -> Receipt:
        clinic = await self._directory.clinic(body.clinic.upper())
        if clinic is None:
            raise InvalidFieldError("clinic", f"Puskesmas '{body.clinic}' tidak dikenal")
        if body.unit is not None and not clinic.has_unit(body.unit):
            raise InvalidFieldError("unit", f"Unit '{body.unit}' tidak ada di {clinic.name}")
        received_at = utc_now()
        complaint_id = uuid.uuid4()
        pin = generate_pin()
        tracking_number = await self._reserve_tracking_number(clinic, complaint_id, received_at)
        event = ComplaintReceived.create(
            ComplaintReceivedData(
                complaint_id=complaint_id,
                tracking_number=tracking_number,
                pin=pin,
                channel=channel,
                kind=body.kind,
                text=body.text,
                unit=body.unit,
                identity=_identity(body),
                reporter=_reporter(body),
                source=source,
                received_at=received_at,
            ),
            district=clinic.district,
            clinic=clinic.code,
            actor=actor,
            correlation_id=correlation_id,
        )
        try:
            await self._publisher.publish(event)
        except Exception:
            # Not accepted: free the number so nothing half-exists; the sender retries.
            await self._store.release(tracking_number)
            raise
        await self._store.mark_published(tracking_number)
        return Receipt(
            tracking_number=tracking_number,
            pin=pin,
            status_url=f"{self._base_url}/api/v1/complaints/track/{tracking_number}",
        )

    async def _reserve_tracking_number(
        self, clinic: Clinic, complaint_id: uuid.UUID, at: datetime
    ) -> str:
        local_day = at.astimezone(ZoneInfo(clinic.timezone)).date()
        for _ in range(5):
            number = generate_tracking_number(clinic.code, local_day)
            try:
                await self._store.reserve(number, complaint_id, clinic.code, at)
            except DuplicateKeyError:
                continue  # about one in millions: draw again
            return number
        raise RuntimeError("could not draw a free tracking number")


def _identity(body: ComplaintIn) -> str:
    if body.anonymous:
        return "anonim"
    return "rahasia" if body.confidential else "biasa"


def _reporter(body: ComplaintIn) -> Reporter | None:
    if body.anonymous or body.reporter is None:
        return None
    given = body.reporter
    if given.name is None and given.phone is None and given.email is None:
        return None
    return Reporter(
        name=given.name,
        phone=normalise_phone(given.phone) if given.phone else None,
        email=given.email,
    )
