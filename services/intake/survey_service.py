"""Satisfaction surveys (SPEC §4): one ``survey.submitted`` per form, its free-text suggestion
one more piece of feedback of kind ``saran``."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal
from zoneinfo import ZoneInfo

from services.intake.schemas import Receipt, SurveyFormIn, SurveyReceipt
from services.intake.service import (
    AlreadyReceivedError,
    ComplaintDraft,
    IntakeService,
    InvalidFieldError,
)
from shared.directory import Clinic
from shared.events import (
    Actor,
    Answers,
    Respondent,
    SurveySubmitted,
    SurveySubmittedData,
    utc_now,
)

SurveyForm = Literal["web", "kertas"]


class SurveyService:
    def __init__(self, intake: IntakeService) -> None:
        self._intake = intake

    async def submit(
        self,
        clinic: Clinic,
        form: SurveyFormIn,
        *,
        paper: SurveyForm,
        actor: Actor,
        correlation_id: str,
        inbound_key: str | None = None,
        field_prefix: str = "",
    ) -> SurveyReceipt:
        """Publish one survey (and its suggestion) after the broker confirmed it.

        The suggestion is published first: if the survey's own publish then fails, the
        sender's retry may repeat a suggestion, but never counts a survey twice.
        """
        service_date = self.check(clinic, form, field_prefix)
        now = utc_now()
        if inbound_key is not None:
            await self._intake.claim(inbound_key, now)
        try:
            suggestion = await self._suggestion(clinic, form, actor, correlation_id, inbound_key)
            survey_id = uuid.uuid4()
            await self._intake.publisher.publish(
                self._event(clinic, form, survey_id, service_date, paper, actor, correlation_id)
            )
        except BaseException:
            if inbound_key is not None:
                await self._intake.store.release_inbound(inbound_key)
            raise
        if inbound_key is not None:
            await self._intake.store.complete_inbound(inbound_key, None)
        return SurveyReceipt(survey_id=survey_id, suggestion=suggestion)

    @staticmethod
    def check(clinic: Clinic, form: SurveyFormIn, field_prefix: str = "") -> date:
        """The form's service date, or the refusal of a form this clinic cannot take (a batch
        checks every form with this before it publishes any)."""
        if not clinic.has_unit(form.unit):
            raise InvalidFieldError(
                f"{field_prefix}unit", f"Unit '{form.unit}' tidak ada di {clinic.name}"
            )
        today = utc_now().astimezone(ZoneInfo(clinic.timezone)).date()
        service_date = form.service_date or today
        if service_date > today:
            raise InvalidFieldError(
                f"{field_prefix}service_date", "Tanggal pelayanan tidak boleh di masa depan"
            )
        return service_date

    async def _suggestion(
        self,
        clinic: Clinic,
        form: SurveyFormIn,
        actor: Actor,
        correlation_id: str,
        inbound_key: str | None,
    ) -> Receipt | None:
        if not form.suggestion or not form.suggestion.strip():
            return None
        draft = ComplaintDraft(
            kind="saran", text=form.suggestion, unit=form.unit, identity="anonim"
        )
        try:
            return await self._intake.accept(
                clinic,
                draft,
                channel="survei",
                actor=actor,
                correlation_id=correlation_id,
                inbound_key=f"{inbound_key}:saran" if inbound_key else None,
            )
        except AlreadyReceivedError:
            return None  # published by an earlier attempt of the same form

    @staticmethod
    def _event(
        clinic: Clinic,
        form: SurveyFormIn,
        survey_id: uuid.UUID,
        service_date: date,
        paper: SurveyForm,
        actor: Actor,
        correlation_id: str,
    ) -> SurveySubmitted:
        return SurveySubmitted.create(
            SurveySubmittedData(
                survey_id=survey_id,
                unit=form.unit,
                service_date=service_date,
                answers=Answers(**form.answers.model_dump()),
                respondent=Respondent(**form.respondent.model_dump()),
                suggestion=form.suggestion or None,
                form=paper,
            ),
            district=clinic.district,
            clinic=clinic.code,
            actor=actor,
            correlation_id=correlation_id,
        )
