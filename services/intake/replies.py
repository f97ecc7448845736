"""A complainant's answer to the team's question (SPEC §3, ``waiting_reporter``).

When the team asked the complainant for more and a WhatsApp or SMS message arrives from the
same number at the same clinic, it is that answer: it travels as
``complaint.reporter_replied`` on the waiting complaint, not as a new complaint. Any other
message is new feedback.
"""

from __future__ import annotations

import uuid

from services.intake.domain.contacts import contact_key
from services.intake.service import IntakeService
from shared.directory import Clinic
from shared.events import (
    TEXT_MAX,
    Actor,
    ComplaintReporterReplied,
    ReporterRepliedData,
    utc_now,
)


class ReporterReplies:
    def __init__(self, intake: IntakeService) -> None:
        self._intake = intake

    async def forward_if_awaited(
        self,
        clinic: Clinic,
        phone: str | None,
        text: str,
        *,
        actor: Actor,
        correlation_id: str,
        inbound_key: str,
    ) -> str | None:
        """The tracking number the message answered, or None when no complaint awaits it.

        Raises like ``IntakeService.accept`` for a repeated or in-flight message.
        """
        if phone is None:
            return None
        store = self._intake.store
        waiting = await store.waiting_on(clinic.code, contact_key(phone, self._intake.pepper))
        if waiting is None:
            return None
        await self._intake.claim(inbound_key, utc_now())
        event = ComplaintReporterReplied.create(
            ReporterRepliedData(
                complaint_id=uuid.UUID(str(waiting["complaint_id"])),
                tracking_number=waiting["_id"],
                text=text.strip()[:TEXT_MAX],
            ),
            district=clinic.district,
            clinic=clinic.code,
            actor=actor,
            correlation_id=correlation_id,
        )
        try:
            await self._intake.publisher.publish(event)
        except BaseException:
            await store.release_inbound(inbound_key)
            raise
        await store.complete_inbound(inbound_key, waiting["_id"])
        return str(waiting["_id"])
