"""Staff entry of the staff-logged channels (SPEC §2): feedback received in person, by phone,
in the complaint book, on social media or by email, in a lokmin session; suggestion-box
openings (one complaint per slip, the opening recorded as one batch); paper survey forms.

A batch is validated whole before anything is published, and every item of it is claimed by
``<batch id>:<position>``: repeating a batch after a 503 publishes only what is missing.
"""

from __future__ import annotations

import uuid

from services.intake.schemas import (
    BoxOpeningIn,
    BoxOpeningReceipt,
    PaperSurveysIn,
    PaperSurveysReceipt,
    Receipt,
    StaffComplaintIn,
)
from services.intake.service import (
    AlreadyReceivedError,
    ComplaintDraft,
    IntakeService,
    InvalidFieldError,
    identity_of,
    reporter_of,
)
from services.intake.survey_service import SurveyService
from shared.auth import Principal
from shared.directory import Clinic
from shared.events import Actor, Source, utc_now


class NotVisibleError(LookupError):
    """A clinic the staff member does not belong to: answered 404, as if it did not exist."""


def staff_actor(principal: Principal) -> Actor:
    return Actor(kind="staff", id=principal.user_id, role=principal.role.value)


class EntryService:
    def __init__(self, intake: IntakeService, surveys: SurveyService) -> None:
        self._intake = intake
        self._surveys = surveys

    async def record(
        self, principal: Principal, body: StaffComplaintIn, correlation_id: str
    ) -> Receipt:
        clinic = await self._clinic_of(principal, body.clinic)
        draft = ComplaintDraft(
            kind=body.kind,
            text=body.text,
            unit=body.unit,
            identity=identity_of(body.anonymous, body.confidential),
            reporter=None if body.anonymous else reporter_of(body.reporter),
            source=Source(
                platform=body.platform, reported_on=body.reported_on, external_id=body.source_ref
            )
            if body.platform or body.reported_on or body.source_ref
            else None,
        )
        return await self._intake.accept(
            clinic,
            draft,
            channel=body.channel,
            actor=staff_actor(principal),
            correlation_id=correlation_id,
        )

    async def open_box(
        self, principal: Principal, body: BoxOpeningIn, correlation_id: str
    ) -> BoxOpeningReceipt:
        clinic = await self._clinic_of(principal, body.clinic)
        for position, slip in enumerate(body.slips):
            _check_unit(clinic, slip.unit, f"slips.{position}.unit")
        batch_id = body.batch_id or uuid.uuid4().hex
        source = Source(batch_id=batch_id, reported_on=body.opened_on)
        tracking_numbers: list[str] = []
        for position, slip in enumerate(body.slips):
            draft = ComplaintDraft(
                kind=slip.kind, text=slip.text, unit=slip.unit, identity="anonim", source=source
            )
            try:
                receipt = await self._intake.accept(
                    clinic,
                    draft,
                    channel="kotak_saran",
                    actor=staff_actor(principal),
                    correlation_id=correlation_id,
                    inbound_key=f"kotak_saran:{clinic.code}:{batch_id}:{position}",
                )
                tracking_numbers.append(receipt.tracking_number)
            except AlreadyReceivedError as earlier:
                tracking_numbers.append(earlier.tracking_number or "")
        await self._intake.store.record_opening(
            {
                "_id": batch_id,
                "clinic": clinic.code,
                "district": clinic.district,
                "opened_on": body.opened_on.isoformat(),
                "slips": len(body.slips),
                "tracking_numbers": tracking_numbers,
                "recorded_by": principal.user_id,
                "recorded_at": utc_now(),
            }
        )
        return BoxOpeningReceipt(
            batch_id=batch_id, opened_on=body.opened_on, tracking_numbers=tracking_numbers
        )

    async def record_surveys(
        self, principal: Principal, body: PaperSurveysIn, correlation_id: str
    ) -> PaperSurveysReceipt:
        clinic = await self._clinic_of(principal, body.clinic)
        for position, form in enumerate(body.forms):
            self._surveys.check(clinic, form, f"forms.{position}.")
        batch_id = body.batch_id or uuid.uuid4().hex
        suggestions: list[str] = []
        accepted = 0
        for position, form in enumerate(body.forms):
            try:
                receipt = await self._surveys.submit(
                    clinic,
                    form,
                    paper="kertas",
                    actor=staff_actor(principal),
                    correlation_id=correlation_id,
                    inbound_key=f"survei_kertas:{clinic.code}:{batch_id}:{position}",
                    field_prefix=f"forms.{position}.",
                )
            except AlreadyReceivedError:
                accepted += 1
                continue
            accepted += 1
            if receipt.suggestion is not None:
                suggestions.append(receipt.suggestion.tracking_number)
        return PaperSurveysReceipt(batch_id=batch_id, accepted=accepted, suggestions=suggestions)

    async def _clinic_of(self, principal: Principal, requested: str | None) -> Clinic:
        code = (requested or principal.clinic or "").strip().upper()
        if not code:
            raise InvalidFieldError("clinic", "Puskesmas wajib diisi")
        clinic = await self._intake.directory.clinic(code)
        if clinic is None or not principal.sees_clinic(clinic.code, clinic.district):
            raise NotVisibleError(code)
        return clinic


def _check_unit(clinic: Clinic, unit: str | None, field: str) -> None:
    if unit is not None and not clinic.has_unit(unit):
        raise InvalidFieldError(field, f"Unit '{unit}' tidak ada di {clinic.name}")
