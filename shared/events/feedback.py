"""The complainant's answer to the closing question "Apakah jawaban kami membantu?" (SPEC §3).

Notify sends the closing message (template ``penutupan``) and reports it as
``notification.sent``; intake reads a YA/TIDAK reply from the same number at the same clinic
as the answer to it and publishes ``complaint.feedback_received``; triage records it on the
complaint.
"""

from __future__ import annotations

from typing import Literal

from shared.events.complaints import ComplaintRef
from shared.events.envelope import Event

# The template of the closing message that asks the question: a sent one awaits the answer.
CLOSING_TEMPLATE = "penutupan"
FeedbackChannel = Literal["whatsapp", "sms"]


class FeedbackReceivedData(ComplaintRef):
    helped: bool  # YA: the answer helped; TIDAK: it did not
    channel: FeedbackChannel  # the channel the answer came over


class ComplaintFeedbackReceived(Event):
    type: Literal["complaint.feedback_received"] = "complaint.feedback_received"
    schema_version: Literal[1] = 1
    data: FeedbackReceivedData
