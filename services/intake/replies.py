"""A complainant's answer over WhatsApp or SMS to something SIGAP asked them (SPEC §3).

* The team asked for more (``waiting_reporter``): a message from the same number at the same
  clinic is that answer; it travels as ``complaint.reporter_replied`` on the waiting complaint.
* The closing message asked "Apakah jawaban kami membantu?" and no answer came yet: a short
  YA or TIDAK from the same number at the same clinic is that answer; it travels as
  ``complaint.feedback_received``, once per complaint.

Any other message is new feedback.
"""

from __future__ import annotations

import uuid

from services.intake.domain.contacts import contact_key
from services.intake.domain.feedback_answer import interpret_feedback_answer
from services.intake.service import IntakeService
from shared.directory import Clinic
from shared.events import (
    TEXT_MAX,
    Actor,
    ComplaintFeedbackReceived,
    ComplaintReporterReplied,
    Event,
    FeedbackChannel,
    FeedbackReceivedData,
    ReporterRepliedData,
    utc_now,
)
from shared.storage import Document

# Namespace of feedback event ids: one id per provider message, so a re-publish is absorbed.
_FEEDBACK_IDS = uuid.UUID("a4c0e6d2-3b1f-4e57-8c9a-2d6b7f0e1a35")


class ReporterReplies:
    def __init__(self, intake: IntakeService) -> None:
        self._intake = intake

    async def forward_if_awaited(
        self,
        clinic: Clinic,
        phone: str | None,
        text: str,
        *,
        channel: FeedbackChannel,
        actor: Actor,
        correlation_id: str,
        inbound_key: str,
    ) -> str | None:
        """The tracking number the message answered, or None when nothing awaits it.

        Raises like ``IntakeService.accept`` for a repeated or in-flight message.
        """
        if phone is None:
            return None
        store, key = self._intake.store, contact_key(phone, self._intake.pepper)
        event: Event
        waiting = await store.waiting_on(clinic.code, key)
        if waiting is not None:
            event = ComplaintReporterReplied.create(
                ReporterRepliedData(**_ref(waiting), text=text.strip()[:TEXT_MAX]),
                district=clinic.district,
                clinic=clinic.code,
                actor=actor,
                correlation_id=correlation_id,
            )
            return await self._publish(event, waiting, inbound_key)
        helped = interpret_feedback_answer(text)
        closed = await store.awaiting_feedback(clinic.code, key) if helped is not None else None
        if helped is None or closed is None:
            return None
        event = ComplaintFeedbackReceived.create(
            FeedbackReceivedData(**_ref(closed), helped=helped, channel=channel),
            district=clinic.district,
            clinic=clinic.code,
            actor=actor,
            correlation_id=correlation_id,
            event_id=uuid.uuid5(_FEEDBACK_IDS, inbound_key),
        )
        number = await self._publish(event, closed, inbound_key)
        await store.feedback_answered(number)
        return number

    async def _publish(self, event: Event, submission: Document, inbound_key: str) -> str:
        """Publish the answer under the claimed provider message, released if it fails."""
        store = self._intake.store
        await self._intake.claim(inbound_key, utc_now())
        try:
            await self._intake.publisher.publish(event)
        except BaseException:
            await store.release_inbound(inbound_key)
            raise
        await store.complete_inbound(inbound_key, submission["_id"])
        return str(submission["_id"])


def _ref(submission: Document) -> dict[str, object]:
    return {
        "complaint_id": uuid.UUID(str(submission["complaint_id"])),
        "tracking_number": submission["_id"],
    }
