"""Request bodies of the staff commands. Each carries ``version``: the version of the complaint
the user saw, so that a change made meanwhile by someone else is never overwritten."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from shared.events import REASON_MAX, TEXT_MAX, Kind, PlanMaker

Reason = Field(min_length=1, max_length=REASON_MAX)


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)


class TriageBody(Command):
    kind: Kind
    category: str = Field(min_length=1, max_length=40)
    unit: str = Field(min_length=1, max_length=40)
    urgent: bool


class AssignBody(Command):
    assignee: str = Field(min_length=1, max_length=120)


class PlanBody(Command):
    actions: list[str] = Field(min_length=1, max_length=20)
    owner: str = Field(min_length=1, max_length=120)
    due_date: date
    made_by: PlanMaker


class ProgressBody(Command):
    pass


class EscalateBody(Command):
    reason: str = Reason


class WaitBody(Command):
    question: str = Reason


class ReplyBody(Command):
    text: str = Field(min_length=1, max_length=TEXT_MAX)
    # Also show the answer on the public board (papan tanggapan), without identities; the
    # answers to anonymous and suggestion-box complaints are shown there anyway.
    publish_on_board: bool = False


class CloseBody(Command):
    reason: str | None = Field(default=None, max_length=REASON_MAX)
    satisfied: bool | None = None


class ReasonBody(Command):
    reason: str = Reason
