"""Complaint histories for the reporting tests, and the properties of folding them: the fact of
a complaint and the aggregates do not depend on the order events arrive in or on redelivery."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from services.reporting.domain.contributions import (
    Contributions,
    add_into,
    difference,
    fact_contributions,
)
from services.reporting.domain.facts import project
from services.reporting.service import to_logged
from shared.events import (
    Actor,
    ClosedData,
    ComplaintClosed,
    ComplaintDeadlineMissed,
    ComplaintPlanRecorded,
    ComplaintReceived,
    ComplaintReceivedData,
    ComplaintRejected,
    ComplaintReopened,
    ComplaintReporterReplied,
    ComplaintResponded,
    ComplaintTriaged,
    ComplaintTriagedData,
    ComplaintWaitingReporter,
    DeadlineMissedData,
    Event,
    PlanRecordedData,
    ReasonData,
    Reporter,
    ReporterRepliedData,
    RespondedData,
    WaitingReporterData,
)

WIB = ZoneInfo("Asia/Jakarta")
STAFF = Actor(kind="staff", id="u-1", role="complaint_team")
CLINICS = (("banjarnegara", "MDRJ1"), ("banjarnegara", "MDRJ2"))
CHANNELS = ("web", "whatsapp", "kotak_saran", "telepon")
KINDS = ("keluhan", "saran", "pujian", "pertanyaan")
UNITS = ("pendaftaran", "farmasi", "poli_umum")
START = datetime(2026, 9, 1, 1, 0, tzinfo=UTC)


@dataclass
class History:
    """One complaint's events, and what a person counting by hand would say about it."""

    complaint_id: uuid.UUID
    district: str
    clinic: str
    kind: str
    channel: str
    unit: str
    received_at: datetime
    status: str = "triaged"
    events: list[Event] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.status not in ("closed", "rejected")


def _ref(history: History) -> dict[str, object]:
    return {"complaint_id": history.complaint_id, "tracking_number": "MDRJ1-2609-ABCDEF"}


def history(rng: random.Random, *, reporter: Reporter | None = None) -> History:
    """A plausible life of one complaint, each step a few hours after the previous one."""
    district, clinic = rng.choice(CLINICS)
    received_at = START + timedelta(days=rng.randrange(0, 75), hours=rng.randrange(0, 24))
    h = History(
        uuid.uuid4(),
        district,
        clinic,
        rng.choice(KINDS),
        rng.choice(CHANNELS),
        rng.choice(UNITS),
        received_at,
    )
    clock = [received_at]

    def add(model: type[Event], data: object, actor: Actor = STAFF) -> None:
        clock[0] += timedelta(hours=rng.randrange(1, 60))
        h.events.append(
            model.create(
                data,
                district=district,
                clinic=clinic,
                actor=actor,
                correlation_id="c-1",
                occurred_at=clock[0],
            )
        )

    h.events.append(
        ComplaintReceived.create(
            ComplaintReceivedData(
                complaint_id=h.complaint_id,
                tracking_number="MDRJ1-2609-ABCDEF",
                pin="123456",
                channel=h.channel,  # type: ignore[arg-type]
                kind=h.kind,  # type: ignore[arg-type]
                text="Antrian lama sekali, hubungi saya di 081234567890",
                identity="biasa" if reporter else "anonim",
                reporter=reporter,
                received_at=received_at,
            ),
            district=district,
            clinic=clinic,
            actor=Actor(kind="public"),
            correlation_id="c-1",
            occurred_at=received_at,
        )
    )
    add(
        ComplaintTriaged,
        ComplaintTriagedData(
            **_ref(h),
            kind=h.kind,
            category="antrian",
            unit=h.unit,
            urgent=rng.random() < 0.2,
            automatic=True,
        ),
        Actor.system("triage"),
    )  # type: ignore[arg-type]
    if rng.random() < 0.1:
        add(ComplaintRejected, ReasonData(**_ref(h), reason="Bukan umpan balik"))  # type: ignore[arg-type]
        h.status = "rejected"
        return h
    if rng.random() < 0.6:
        plan = PlanRecordedData(
            **_ref(h),  # type: ignore[arg-type]
            actions=("Tambah loket",),
            owner="Tim mutu",
            due_date=date(2026, 12, 31),
            made_by="tim_mutu",
            ikm_elements=("U3",),
        )
        add(ComplaintPlanRecorded, plan)
        h.status = "planned"
    if rng.random() < 0.2:
        add(ComplaintWaitingReporter, WaitingReporterData(**_ref(h), question="Kapan?"))  # type: ignore[arg-type]
        add(
            ComplaintReporterReplied,
            ReporterRepliedData(**_ref(h), text="Senin"),
            Actor(kind="public"),
        )  # type: ignore[arg-type]
    if rng.random() < 0.3:
        missed = DeadlineMissedData(**_ref(h), deadline="response", due_at=clock[0])  # type: ignore[arg-type]
        add(ComplaintDeadlineMissed, missed, Actor.system("triage"))
    if rng.random() < 0.25:
        return h  # still being worked on
    add(ComplaintResponded, RespondedData(**_ref(h), reply="Sudah kami tambah loket"))  # type: ignore[arg-type]
    h.status = "responded"
    if rng.random() < 0.7:
        add(ComplaintClosed, ClosedData(**_ref(h), satisfied=rng.choice([True, False, None])))  # type: ignore[arg-type]
        h.status = "closed"
        if rng.random() < 0.2:
            add(ComplaintReopened, ReasonData(**_ref(h), reason="Masih lama"))  # type: ignore[arg-type]
            h.status = "reopened"
    return h


def deliveries(histories: list[History], rng: random.Random) -> list[Event]:
    """Every event at least once, some twice or three times, in a shuffled order."""
    events = [event for h in histories for event in h.events]
    repeated = events + rng.sample(events, len(events) // 4) + rng.sample(events, len(events) // 10)
    rng.shuffle(repeated)
    return repeated


def recount(histories: list[History]) -> Contributions:
    """The aggregates computed at once from every complaint's full history."""
    total: Contributions = {}
    for h in histories:
        fact = project(str(h.complaint_id), [to_logged(e) for e in h.events])
        assert fact is not None
        add_into(total, fact_contributions(fact, WIB))
    return total


def normalised(contributions: Contributions) -> dict[tuple[str, str], dict[str, int]]:
    result = {}
    for target, fields in contributions.items():
        kept = {key: value for key, value in fields.items() if value}
        if kept:
            result[(target.collection, target.doc_id)] = kept
    return result


def test_a_fact_is_the_same_in_any_order_and_with_repeated_events() -> None:
    rng = random.Random(7)
    for _ in range(200):
        h = history(rng)
        logged = [to_logged(e) for e in h.events]
        expected = project(str(h.complaint_id), logged)
        shuffled = logged + rng.sample(logged, min(3, len(logged)))
        rng.shuffle(shuffled)
        assert project(str(h.complaint_id), shuffled) == expected
        assert expected is not None and expected.status == h.status


def test_folding_event_by_event_in_any_order_gives_the_recount() -> None:
    rng = random.Random(11)
    histories = [history(rng) for _ in range(300)]
    logs: dict[str, list[object]] = {}
    previous: dict[str, Contributions] = {}
    live: Contributions = {}
    seen: set[str] = set()
    for event in deliveries(histories, rng):
        if str(event.event_id) in seen:
            continue  # the applier skips a redelivery
        seen.add(str(event.event_id))
        complaint_id = str(event.data.complaint_id)
        logs.setdefault(complaint_id, []).append(to_logged(event))
        fact = project(complaint_id, logs[complaint_id])  # type: ignore[arg-type]
        assert fact is not None
        new = fact_contributions(fact, WIB)
        add_into(live, difference(new, previous.get(complaint_id, {})))
        previous[complaint_id] = new
    assert normalised(live) == normalised(recount(histories))


def test_recount_matches_what_a_person_counts_by_hand() -> None:
    rng = random.Random(3)
    histories = [history(rng) for _ in range(150)]
    total = recount(histories)
    status: Counter[str] = Counter()
    for target, fields in total.items():
        if target.collection == "clinic_status":
            status.update({k: v for k, v in fields.items() if k.startswith("status.")})
    expected = Counter(f"status.{h.status}" for h in histories)
    assert +status == expected
    opened = sum(
        fields.get("open", 0) for t, fields in total.items() if t.collection == "clinic_status"
    )
    assert opened == sum(h.open for h in histories)


def test_a_late_received_event_puts_the_complaint_into_its_month() -> None:
    rng = random.Random(5)
    h = history(rng)
    logged = [to_logged(e) for e in h.events]
    without_receipt = project(str(h.complaint_id), logged[1:])
    assert without_receipt is not None and not without_receipt.complete
    assert fact_contributions(without_receipt, WIB) == {}
    complete = project(str(h.complaint_id), logged)
    assert complete is not None
    month = complete.received_at.astimezone(WIB).strftime("%Y-%m")  # type: ignore[union-attr]
    received = {
        (t.collection, t.doc_id): f["received"]
        for t, f in fact_contributions(complete, WIB).items()
    }
    assert received == {
        ("complaint_counts", f"{h.clinic}:{month}"): 1,
        ("district_counts", f"{h.district}:{month}"): 1,
        ("clinic_status", h.clinic): 1,
        ("district_status", h.district): 1,
    }
