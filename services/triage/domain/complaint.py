"""The Complaint aggregate: one piece of feedback, its workflow and its register (buku rekapan).

The workflow is the table ``TRANSITIONS`` (command -> allowed source statuses -> target). Rules
the table alone cannot state, checked by the commands:

* ``escalate`` from ``received`` only for a complaint flagged urgent at intake (SOP: the officer
  confirms a complaint needing an immediate answer to the head at once). Others are triaged first.
* ``record_reply`` straight from ``triaged`` only for a ``saran``, ``pujian`` or ``pertanyaan``,
  or an urgent complaint (SOP: "memberikan jawaban langsung"). A non-urgent ``keluhan`` needs a
  follow-up plan (RTL) first. From ``planned`` the reply may be the plan itself (WhatsApp path:
  the team sends the RTL to the sender).
* ``record_plan`` while ``escalated`` must be made with the head (``PlanMaker.KEPALA``);
  a ``planned`` complaint may get a revised plan.
* ``reporter_replied`` returns to the status the pause began in; the running answer deadline
  moves later by the working days the pause used (see ``deadlines``).
* ``close`` from ``responded`` at any time (the complainant accepted, or the team decides);
  from ``waiting_reporter`` only with a reason (the complainant never supplied what was asked).
  ``auto_close`` is ``close`` by the system once ``close_due`` has passed after an answer.
* ``reopen`` starts a new answer deadline and a new answer-deadline miss can be raised.
* ``rejected`` is final; ``closed`` can only be reopened.
* ``record_feedback`` keeps the complainant's YA/TIDAK to the closing message; it is no
  transition and is kept in any status.

* ``triage`` by the system is the automatic suggestion made at receipt. A person's ``triage``
  confirms or corrects it (allowed again while ``triaged``); the review keeps the suggestion
  beside the decision so the classifier's accuracy can be measured. The verify deadline
  (``triage_due``) is met only by a person's triage.

Every successful command appends one ``HistoryEntry``, raises ``version`` by one and returns
its domain events. Authorisation (which role may run which command) is the edge's job.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import NoReturn

from services.triage.domain.deadlines import DeadlineKind, Deadlines, WorkingCalendar
from services.triage.domain.errors import IllegalTransition, InvalidCommand

# Events and values live in their own modules; ``X as X`` re-exports them from here.
from services.triage.domain.events import Assigned as Assigned
from services.triage.domain.events import Closed as Closed
from services.triage.domain.events import DeadlineMissed as DeadlineMissed
from services.triage.domain.events import Escalated as Escalated
from services.triage.domain.events import Event as Event
from services.triage.domain.events import PlanRecorded as PlanRecorded
from services.triage.domain.events import ProgressStarted as ProgressStarted
from services.triage.domain.events import Rejected as Rejected
from services.triage.domain.events import Reopened as Reopened
from services.triage.domain.events import ReporterReplied as ReporterReplied
from services.triage.domain.events import Responded as Responded
from services.triage.domain.events import Triaged as Triaged
from services.triage.domain.events import WaitingReporter as WaitingReporter
from services.triage.domain.values import SYSTEM as SYSTEM
from services.triage.domain.values import Actor as Actor
from services.triage.domain.values import Channel as Channel
from services.triage.domain.values import Command as Command
from services.triage.domain.values import Feedback as Feedback
from services.triage.domain.values import FollowUpPlan as FollowUpPlan
from services.triage.domain.values import HistoryEntry as HistoryEntry
from services.triage.domain.values import IdentityLevel as IdentityLevel
from services.triage.domain.values import Kind as Kind
from services.triage.domain.values import PlanMaker as PlanMaker
from services.triage.domain.values import Reply as Reply
from services.triage.domain.values import Role as Role
from services.triage.domain.values import Status as Status
from services.triage.domain.values import TriageDecision as TriageDecision
from services.triage.domain.values import TriageReview as TriageReview
from services.triage.domain.values import _required
from services.triage.domain.workflow import ANSWER_CLOCK_RUNS as ANSWER_CLOCK_RUNS
from services.triage.domain.workflow import TRANSITIONS as TRANSITIONS
from services.triage.domain.workflow import TRIAGE_CLOCK_RUNS as TRIAGE_CLOCK_RUNS


def _utc(name: str, value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidCommand(name, "waktu harus menyertakan zona waktu")
    return value.astimezone(UTC)


@dataclass
class Complaint:
    """A complaint, suggestion, compliment or question and everything done with it."""

    id: str
    tracking_number: str
    district: str
    clinic: str
    channel: Channel
    identity: IdentityLevel
    kind: Kind
    text: str
    received_at: datetime
    deadlines: Deadlines
    status: Status = Status.RECEIVED
    version: int = 1
    urgent: bool = False
    category: str | None = None
    unit: str | None = None
    assignee: str | None = None
    plan: FollowUpPlan | None = None
    reply: Reply | None = None
    satisfied: bool | None = None
    feedback: Feedback | None = None  # the complainant's own YA/TIDAK after the closing message
    paused_at: datetime | None = None
    paused_from: Status | None = None
    paused_working_days: int = 0
    missed_deadlines: set[DeadlineKind] = field(default_factory=set)
    triage_review: TriageReview | None = None
    history: list[HistoryEntry] = field(default_factory=list)

    @classmethod
    def receive(
        cls,
        *,
        complaint_id: str,
        tracking_number: str,
        district: str,
        clinic: str,
        channel: Channel,
        identity: IdentityLevel,
        kind: Kind,
        text: str,
        received_at: datetime,
        calendar: WorkingCalendar,
        urgent: bool = False,
        actor: Actor = SYSTEM,
    ) -> Complaint:
        """A new complaint in ``received``; urgent ones also get a same-day answer deadline."""
        at = _utc("received_at", received_at)
        deadlines = Deadlines(
            triage_due=calendar.triage_due(at),
            response_due=calendar.response_due(at, urgent=True) if urgent else None,
        )
        complaint = cls(
            id=_required("complaint_id", complaint_id),
            tracking_number=_required("tracking_number", tracking_number),
            district=_required("district", district),
            clinic=_required("clinic", clinic),
            channel=channel,
            identity=identity,
            kind=kind,
            text=_required("text", text),
            received_at=at,
            deadlines=deadlines,
            urgent=urgent,
        )
        complaint.history.append(HistoryEntry(at, actor, "receive", None, Status.RECEIVED))
        return complaint

    def triage(
        self,
        *,
        kind: Kind,
        category: str,
        unit: str,
        urgent: bool,
        actor: Actor,
        now: datetime,
        calendar: WorkingCalendar,
        known_units: Collection[str] = (),
    ) -> list[Event]:
        """``known_units``: the clinic's units, when known; the unit must be one of them."""
        to, now = self._allowed(Command.TRIAGE), _utc("now", now)
        if known_units and unit not in known_units:
            raise InvalidCommand("unit", f"unit '{unit}' tidak terdaftar di puskesmas ini")
        automatic = actor.role is Role.SYSTEM
        if automatic and self.status is not Status.RECEIVED:
            self._refuse(Command.TRIAGE, "triase otomatis hanya sekali, saat aduan diterima")
        decision = TriageDecision(
            kind, _required("category", category), _required("unit", unit), urgent
        )
        if not automatic:
            self.triage_review = TriageReview(self._suggestion(), decision, actor, now)
        self.category, self.unit = decision.category, decision.unit
        due = self.deadlines.response_due
        if due is None or not (urgent and self.urgent):
            # Flagged urgent at intake keeps its same-day deadline; otherwise count from now.
            due = calendar.response_due(now, urgent=urgent)
        self.deadlines = replace(self.deadlines, response_due=due)
        self.kind, self.urgent = kind, urgent
        self._record(Command.TRIAGE, actor, now, to, f"{kind}; {self.category}; {self.unit}")
        return [
            Triaged(
                self.id,
                self.version,
                now,
                actor,
                kind,
                self.category,
                self.unit,
                urgent,
                due,
                automatic,
            )
        ]

    def _suggestion(self) -> TriageDecision | None:
        """The automatic triage a person's triage reviews (the first one, once reviewed)."""
        if self.triage_review is not None:
            return self.triage_review.suggested
        if self.status is Status.TRIAGED and self.category and self.unit:
            return TriageDecision(self.kind, self.category, self.unit, self.urgent)
        return None

    def record_reporter_message(self, *, text: str, actor: Actor, now: datetime) -> list[Event]:
        """Keep in the register what the complainant sent while nobody had asked them."""
        now = _utc("now", now)
        self._record("reporter_message", actor, now, self.status, _required("text", text))
        return []

    def record_feedback(
        self, *, helped: bool, channel: Channel, actor: Actor, now: datetime
    ) -> list[Event]:
        """Keep the complainant's answer to the closing question, whatever the status. A later
        answer (after a reopening and a new closing) replaces an earlier one; the same answer
        again, or an older one arriving late, changes nothing."""
        now = _utc("now", now)
        if self.feedback is not None and now <= self.feedback.at:
            return []
        self.feedback = Feedback(helped, channel, now)
        detail = "Jawaban membantu: " + ("YA" if helped else "TIDAK")
        self._record("feedback", actor, now, self.status, detail)
        return []

    def assign(self, *, assignee: str, actor: Actor, now: datetime) -> list[Event]:
        to, now = self._allowed(Command.ASSIGN), _utc("now", now)
        self.assignee = _required("assignee", assignee)
        self._record(Command.ASSIGN, actor, now, to, self.assignee)
        return [Assigned(self.id, self.version, now, actor, self.assignee)]

    def record_plan(
        self, *, plan: FollowUpPlan, actor: Actor, now: datetime, calendar: WorkingCalendar
    ) -> list[Event]:
        to, now = self._allowed(Command.RECORD_PLAN), _utc("now", now)
        if self.status is Status.ESCALATED and plan.made_by is not PlanMaker.KEPALA:
            raise InvalidCommand(
                "plan.made_by", "aduan yang dieskalasi direncanakan bersama Kepala Puskesmas"
            )
        if plan.due_date < calendar.local(now).date():
            raise InvalidCommand("plan.due_date", "tanggal target sudah lewat")
        self.plan = plan
        self._record(Command.RECORD_PLAN, actor, now, to, "; ".join(plan.actions))
        return [PlanRecorded(self.id, self.version, now, actor, plan)]

    def start_progress(self, *, actor: Actor, now: datetime) -> list[Event]:
        to, now = self._allowed(Command.START_PROGRESS), _utc("now", now)
        self._record(Command.START_PROGRESS, actor, now, to, None)
        return [ProgressStarted(self.id, self.version, now, actor)]

    def escalate(self, *, reason: str, actor: Actor, now: datetime) -> list[Event]:
        to, now = self._allowed(Command.ESCALATE), _utc("now", now)
        if self.status is Status.RECEIVED and not self.urgent:
            self._refuse(Command.ESCALATE, "hanya aduan mendesak yang dieskalasi sebelum triase")
        reason = _required("reason", reason)
        self._record(Command.ESCALATE, actor, now, to, reason)
        return [Escalated(self.id, self.version, now, actor, reason, self.urgent)]

    def wait_for_reporter(self, *, question: str, actor: Actor, now: datetime) -> list[Event]:
        to, now = self._allowed(Command.WAIT_FOR_REPORTER), _utc("now", now)
        question = _required("question", question)
        self.paused_at, self.paused_from = now, self.status
        self._record(Command.WAIT_FOR_REPORTER, actor, now, to, question)
        return [WaitingReporter(self.id, self.version, now, actor, question)]

    def reporter_replied(
        self, *, text: str, actor: Actor, now: datetime, calendar: WorkingCalendar
    ) -> list[Event]:
        to, now = self._allowed(Command.REPORTER_REPLIED), _utc("now", now)
        text = _required("text", text)
        paused = calendar.working_days_elapsed(self.paused_at, now) if self.paused_at else 0
        if self.deadlines.response_due is not None and paused:
            due = calendar.extend(self.deadlines.response_due, paused)
            self.deadlines = replace(self.deadlines, response_due=due)
        self.paused_working_days += paused
        self.paused_at, self.paused_from = None, None
        self._record(Command.REPORTER_REPLIED, actor, now, to, text)
        return [
            ReporterReplied(
                self.id, self.version, now, actor, text, paused, self.deadlines.response_due
            )
        ]

    def record_reply(
        self,
        *,
        text: str,
        actor: Actor,
        now: datetime,
        calendar: WorkingCalendar,
        publish_on_board: bool = False,
    ) -> list[Event]:
        to, now = self._allowed(Command.RECORD_REPLY), _utc("now", now)
        if self.status is Status.TRIAGED and self.kind is Kind.KELUHAN and not self.urgent:
            self._refuse(Command.RECORD_REPLY, "keluhan perlu rencana tindak lanjut (RTL) dahulu")
        self.reply = Reply(_required("text", text), now)
        close_due = calendar.close_due(now)
        self.deadlines = replace(self.deadlines, close_due=close_due)
        self._record(Command.RECORD_REPLY, actor, now, to, self.reply.text)
        reply, version = self.reply.text, self.version
        return [Responded(self.id, version, now, actor, reply, close_due, publish_on_board)]

    def close(
        self, *, reason: str | None, satisfied: bool | None, actor: Actor, now: datetime
    ) -> list[Event]:
        to, now = self._allowed(Command.CLOSE), _utc("now", now)
        reason = reason.strip() if reason and reason.strip() else None
        if reason is None and self.status is Status.WAITING_REPORTER:
            raise InvalidCommand("reason", "wajib diisi untuk aduan yang masih menunggu pelapor")
        return self._close(to, reason, satisfied, actor, now, automatic=False)

    def auto_close(self, *, now: datetime) -> list[Event]:
        """Close an answered complaint whose complainant did not reply before ``close_due``."""
        to, now = self._allowed(Command.CLOSE), _utc("now", now)
        due = self.deadlines.close_due
        if self.status is not Status.RESPONDED or due is None or now <= due:
            self._refuse(
                Command.CLOSE,
                "hanya aduan yang sudah dijawab dan melewati batas penutupan yang ditutup otomatis",
            )
        reason = "Ditutup otomatis: pelapor tidak menanggapi jawaban sampai batas waktu"
        return self._close(to, reason, None, SYSTEM, now, automatic=True)

    def reopen(
        self, *, reason: str, actor: Actor, now: datetime, calendar: WorkingCalendar
    ) -> list[Event]:
        to, now = self._allowed(Command.REOPEN), _utc("now", now)
        reason = _required("reason", reason)
        due = calendar.response_due(now, urgent=self.urgent)
        self.deadlines = replace(self.deadlines, response_due=due, close_due=None)
        self.missed_deadlines.discard(DeadlineKind.RESPONSE)
        self.satisfied = None
        self._record(Command.REOPEN, actor, now, to, reason)
        return [Reopened(self.id, self.version, now, actor, reason, due)]

    def reject(self, *, reason: str, actor: Actor, now: datetime) -> list[Event]:
        to, now = self._allowed(Command.REJECT), _utc("now", now)
        reason = _required("reason", reason)
        self._record(Command.REJECT, actor, now, to, reason)
        return [Rejected(self.id, self.version, now, actor, reason)]

    def check_deadlines(self, now: datetime) -> list[DeadlineMissed]:
        """Raise each running deadline that has passed, once per deadline kind."""
        now = _utc("now", now)
        running: list[tuple[DeadlineKind, datetime | None]] = []
        if self.status in TRIAGE_CLOCK_RUNS and self.triage_review is None:
            running.append((DeadlineKind.TRIAGE, self.deadlines.triage_due))
        if self.status in ANSWER_CLOCK_RUNS:
            running.append((DeadlineKind.RESPONSE, self.deadlines.response_due))
        events: list[DeadlineMissed] = []
        for kind, due in running:
            if due is not None and now > due and kind not in self.missed_deadlines:
                self.missed_deadlines.add(kind)
                detail = f"batas {kind} {due.isoformat()} terlewat"
                self._record("deadline_missed", SYSTEM, now, self.status, detail)
                events.append(DeadlineMissed(self.id, self.version, now, SYSTEM, kind, due))
        return events

    def _allowed(self, command: Command) -> Status:
        """The status ``command`` leads to from here, or IllegalTransition."""
        sources, target = TRANSITIONS[command]
        if self.status not in sources:
            raise IllegalTransition(command, self.status, target)
        if command is Command.REPORTER_REPLIED and self.paused_from is not None:
            return self.paused_from
        return target or self.status

    def _refuse(self, command: Command, detail: str) -> NoReturn:
        raise IllegalTransition(command, self.status, TRANSITIONS[command][1], detail)

    def _close(
        self,
        to: Status,
        reason: str | None,
        satisfied: bool | None,
        actor: Actor,
        now: datetime,
        *,
        automatic: bool,
    ) -> list[Event]:
        self.satisfied = satisfied
        self.paused_at, self.paused_from = None, None
        self._record(Command.CLOSE, actor, now, to, reason)
        return [Closed(self.id, self.version, now, actor, reason, satisfied, automatic)]

    def _record(
        self, action: str, actor: Actor, now: datetime, to: Status, detail: str | None
    ) -> None:
        self.history.append(HistoryEntry(now, actor, action, self.status, to, detail))
        self.status = to
        self.version += 1
