"""Events of a complaint's life (SPEC §2–§3)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal, Self

from pydantic import AwareDatetime, EmailStr, Field, model_validator

from shared.events.envelope import Contract, Event

Channel = Literal[
    "langsung",
    "telepon",
    "sms",
    "whatsapp",
    "kotak_saran",
    "buku_keluhan",
    "media_sosial",
    "lokmin",
    "web",
    "survei",
]
CHANNELS: tuple[Channel, ...] = Channel.__args__  # type: ignore[attr-defined]
Kind = Literal["keluhan", "saran", "pujian", "pertanyaan"]
KINDS: tuple[Kind, ...] = Kind.__args__  # type: ignore[attr-defined]
# biasa: identity stored and usable for replies; rahasia: stored, seen only by the complaint
# team and the head; anonim: not stored at all (SPEC §3, as SP4N-LAPOR! does).
IdentityLevel = Literal["biasa", "rahasia", "anonim"]
PlanMaker = Literal["tim_pengaduan", "tim_mutu", "kepala"]
DeadlineKind = Literal["triage", "response", "close"]
CloseReason = Literal["resolved", "no_reply", "duplicate"]

PHONE_PATTERN = r"^\+[1-9][0-9]{7,14}$"
TEXT_MAX = 5000
REASON_MAX = 1000


class Reporter(Contract):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    email: EmailStr | None = None


class Source(Contract):
    """Where exactly the feedback came from, beyond its channel."""

    platform: str | None = Field(default=None, max_length=40)  # facebook, instagram, email…
    external_id: str | None = Field(default=None, max_length=200)  # wamid, MessageSid…
    batch_id: str | None = Field(default=None, max_length=80)  # one suggestion-box opening
    reported_on: date | None = None  # date written on a slip or in the complaint book


class ComplaintReceivedData(Contract):
    complaint_id: uuid.UUID
    tracking_number: str = Field(min_length=6, max_length=40)
    # Travels once, so that notify can send the receipt; triage keeps only its hash.
    pin: str = Field(pattern=r"^[0-9]{6}$")
    channel: Channel
    kind: Kind
    text: str = Field(min_length=1, max_length=TEXT_MAX)
    unit: str | None = Field(default=None, max_length=40)
    identity: IdentityLevel = "biasa"
    reporter: Reporter | None = None
    source: Source | None = None
    received_at: AwareDatetime

    @model_validator(mode="after")
    def _anonymous_has_no_reporter(self) -> Self:
        if self.identity == "anonim" and self.reporter is not None:
            raise ValueError("reporter must be absent when identity is 'anonim'")
        return self


class ComplaintReceived(Event):
    type: Literal["complaint.received"] = "complaint.received"
    schema_version: Literal[1] = 1
    data: ComplaintReceivedData


class ComplaintRef(Contract):
    complaint_id: uuid.UUID
    tracking_number: str = Field(min_length=6, max_length=40)


class ComplaintTriagedData(ComplaintRef):
    kind: Kind
    category: str = Field(min_length=1, max_length=40)
    unit: str = Field(min_length=1, max_length=40)
    urgent: bool
    # True when the automatic classification stands unconfirmed by a person.
    automatic: bool
    confidence: float | None = Field(default=None, ge=0, le=1)
    triage_due: AwareDatetime | None = None
    response_due: AwareDatetime | None = None


class ComplaintTriaged(Event):
    type: Literal["complaint.triaged"] = "complaint.triaged"
    schema_version: Literal[1] = 1
    data: ComplaintTriagedData


class ComplaintAssignedData(ComplaintRef):
    assignee: str = Field(min_length=1, max_length=120)
    unit: str | None = Field(default=None, max_length=40)


class ComplaintAssigned(Event):
    type: Literal["complaint.assigned"] = "complaint.assigned"
    schema_version: Literal[1] = 1
    data: ComplaintAssignedData


class PlanRecordedData(ComplaintRef):
    """The follow-up plan (rencana tindak lanjut)."""

    actions: tuple[str, ...] = Field(min_length=1, max_length=20)
    owner: str = Field(min_length=1, max_length=120)
    due_date: date
    made_by: PlanMaker
    ikm_elements: tuple[str, ...] = ()  # survey elements (U1…U9) the plan improves


class ComplaintPlanRecorded(Event):
    type: Literal["complaint.plan_recorded"] = "complaint.plan_recorded"
    schema_version: Literal[1] = 1
    data: PlanRecordedData


class ProgressStartedData(ComplaintRef):
    note: str | None = Field(default=None, max_length=REASON_MAX)


class ComplaintProgressStarted(Event):
    type: Literal["complaint.progress_started"] = "complaint.progress_started"
    schema_version: Literal[1] = 1
    data: ProgressStartedData


class EscalatedData(ComplaintRef):
    reason: str = Field(min_length=1, max_length=REASON_MAX)
    urgent: bool = False


class ComplaintEscalated(Event):
    type: Literal["complaint.escalated"] = "complaint.escalated"
    schema_version: Literal[1] = 1
    data: EscalatedData


class WaitingReporterData(ComplaintRef):
    question: str = Field(min_length=1, max_length=REASON_MAX)


class ComplaintWaitingReporter(Event):
    type: Literal["complaint.waiting_reporter"] = "complaint.waiting_reporter"
    schema_version: Literal[1] = 1
    data: WaitingReporterData


class ReporterRepliedData(ComplaintRef):
    text: str = Field(min_length=1, max_length=TEXT_MAX)


class ComplaintReporterReplied(Event):
    type: Literal["complaint.reporter_replied"] = "complaint.reporter_replied"
    schema_version: Literal[1] = 1
    data: ReporterRepliedData


class RespondedData(ComplaintRef):
    reply: str = Field(min_length=1, max_length=TEXT_MAX)
    # Anonymous and suggestion-box complaints are answered on the public board (papan tanggapan).
    publish_on_board: bool = False


class ComplaintResponded(Event):
    type: Literal["complaint.responded"] = "complaint.responded"
    schema_version: Literal[1] = 1
    data: RespondedData


class ClosedData(ComplaintRef):
    reason: CloseReason = "resolved"
    satisfied: bool | None = None


class ComplaintClosed(Event):
    type: Literal["complaint.closed"] = "complaint.closed"
    schema_version: Literal[1] = 1
    data: ClosedData


class ReasonData(ComplaintRef):
    reason: str = Field(min_length=1, max_length=REASON_MAX)


class ComplaintReopened(Event):
    type: Literal["complaint.reopened"] = "complaint.reopened"
    schema_version: Literal[1] = 1
    data: ReasonData


class ComplaintRejected(Event):
    type: Literal["complaint.rejected"] = "complaint.rejected"
    schema_version: Literal[1] = 1
    data: ReasonData


class DeadlineMissedData(ComplaintRef):
    deadline: DeadlineKind
    due_at: AwareDatetime


class ComplaintDeadlineMissed(Event):
    type: Literal["complaint.deadline_missed"] = "complaint.deadline_missed"
    schema_version: Literal[1] = 1
    data: DeadlineMissedData
