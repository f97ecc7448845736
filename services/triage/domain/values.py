"""Enums and small value objects of the Complaint aggregate (see ``complaint``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from services.triage.domain.errors import InvalidCommand


class Status(StrEnum):
    RECEIVED = "received"
    TRIAGED = "triaged"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    WAITING_REPORTER = "waiting_reporter"
    ESCALATED = "escalated"
    RESPONDED = "responded"
    CLOSED = "closed"
    REOPENED = "reopened"
    REJECTED = "rejected"


class Kind(StrEnum):
    KELUHAN = "keluhan"
    SARAN = "saran"
    PUJIAN = "pujian"
    PERTANYAAN = "pertanyaan"


class Channel(StrEnum):
    LANGSUNG = "langsung"
    TELEPON = "telepon"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    KOTAK_SARAN = "kotak_saran"
    BUKU_KELUHAN = "buku_keluhan"
    MEDIA_SOSIAL = "media_sosial"
    LOKMIN = "lokmin"
    WEB = "web"
    SURVEI = "survei"


class IdentityLevel(StrEnum):
    BIASA = "biasa"
    RAHASIA = "rahasia"
    ANONIM = "anonim"


class PlanMaker(StrEnum):
    TIM_PENGADUAN = "tim_pengaduan"
    TIM_MUTU = "tim_mutu"
    KEPALA = "kepala"


class Role(StrEnum):
    OFFICER = "officer"
    COMPLAINT_TEAM = "complaint_team"
    QUALITY_TEAM = "quality_team"
    HEAD = "head"
    UNIT = "unit"
    DISTRICT = "district"
    ADMIN = "admin"
    SYSTEM = "system"


class Command(StrEnum):
    TRIAGE = "triage"
    ASSIGN = "assign"
    RECORD_PLAN = "record_plan"
    START_PROGRESS = "start_progress"
    ESCALATE = "escalate"
    WAIT_FOR_REPORTER = "wait_for_reporter"
    REPORTER_REPLIED = "reporter_replied"
    RECORD_REPLY = "record_reply"
    CLOSE = "close"
    REOPEN = "reopen"
    REJECT = "reject"


def _required(name: str, value: str | None) -> str:
    if value is None or not value.strip():
        raise InvalidCommand(name, "wajib diisi")
    return value.strip()


@dataclass(frozen=True)
class Actor:
    user_id: str
    role: Role
    name: str | None = None

    def __post_init__(self) -> None:
        _required("actor.user_id", self.user_id)


SYSTEM = Actor("system", Role.SYSTEM, "Sistem")


@dataclass(frozen=True)
class FollowUpPlan:
    """Rencana tindak lanjut (RTL)."""

    actions: tuple[str, ...]
    owner: str
    due_date: date
    made_by: PlanMaker

    def __post_init__(self) -> None:
        if not self.actions or not all(action.strip() for action in self.actions):
            raise InvalidCommand("plan.actions", "minimal satu tindakan, tidak boleh kosong")
        _required("plan.owner", self.owner)


@dataclass(frozen=True)
class Reply:
    text: str
    at: datetime


@dataclass(frozen=True)
class Feedback:
    """The complainant's answer to the closing question "Apakah jawaban kami membantu?"."""

    helped: bool
    channel: Channel
    at: datetime


@dataclass(frozen=True)
class TriageDecision:
    """What a triage settles: the kind of feedback, its category, the unit and the urgency."""

    kind: Kind
    category: str
    unit: str
    urgent: bool


@dataclass(frozen=True)
class TriageReview:
    """A person's confirmation of the triage; ``suggested`` is the automatic one it reviewed
    (None when there was none). Kept so the classifier's accuracy can be measured."""

    suggested: TriageDecision | None
    confirmed: TriageDecision
    actor: Actor
    at: datetime

    @property
    def corrected_fields(self) -> tuple[str, ...]:
        if self.suggested is None:
            return ()
        names = ("kind", "category", "unit", "urgent")
        return tuple(n for n in names if getattr(self.suggested, n) != getattr(self.confirmed, n))


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: Actor
    action: str
    from_status: Status | None
    to_status: Status
    detail: str | None = None
