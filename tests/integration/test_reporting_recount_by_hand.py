"""The reports against a count made by hand from the raw events, the way a person would tally
the complaint book and the survey forms, with none of reporting's own code: after a random mix
of complaints and surveys arrives with redeliveries and out of order, and again after a rebuild,
every number the summary and IKM reports give is the one counted here."""

from __future__ import annotations

import math
import random
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from services.reporting.rebuild import rebuild
from shared.auth import Role
from shared.events import Actor, Answers, Event, Respondent, SurveySubmitted, SurveySubmittedData
from shared.settings import Settings
from tests.support.reporting_harness import Reporting
from tests.unit.test_reporting_scenarios import History, history

pytestmark = pytest.mark.integration
WIB = ZoneInfo("Asia/Jakarta")  # the zone of the harness's clinics
PERIOD = {"from": "2026-09-01", "to": "2026-11-30"}
CLINICS = ("MDRJ1", "MDRJ2")
SURVEY_UNITS = ("poli_umum", "farmasi")
ELEMENTS = tuple(f"U{number}" for number in range(1, 10))
STATUS_OF = {
    "complaint.received": "received",
    "complaint.triaged": "triaged",
    "complaint.plan_recorded": "planned",
    "complaint.waiting_reporter": "waiting_reporter",
    "complaint.responded": "responded",
    "complaint.closed": "closed",
    "complaint.reopened": "reopened",
    "complaint.rejected": "rejected",
}


@dataclass
class Tallied:
    """One complaint as read off its events in the order they happened."""

    clinic: str
    month: str = ""
    kind: str = ""
    channel: str = ""
    category: str = ""
    unit: str = ""
    urgent: bool = False
    status: str = "received"
    satisfied: bool | None = None
    missed: set[str] = field(default_factory=set)
    done: set[str] = field(default_factory=set)  # "triage", "response": the step was taken
    missed_since_reopening: bool = False
    went_back: bool = False  # replied or asked the complainant something

    @property
    def open(self) -> bool:
        return self.status not in ("closed", "rejected")

    @property
    def overdue(self) -> bool:
        waiting = self.status in ("responded", "waiting_reporter")
        return self.open and not waiting and self.missed_since_reopening

    def outcome(self, deadline: str) -> str | None:
        if deadline in self.missed:
            return "missed"
        return "met" if deadline in self.done else None


def tally(events: Sequence[Event]) -> Tallied:
    complaint = Tallied(events[0].clinic)
    before_question = "received"
    for event in sorted(events, key=lambda e: e.occurred_at):
        data = event.data
        if event.type == "complaint.received":
            complaint.month = data.received_at.astimezone(WIB).strftime("%Y-%m")
            complaint.kind, complaint.channel = complaint.kind or data.kind, data.channel
            continue  # received first: its status is the default
        if event.type == "complaint.triaged":
            complaint.kind, complaint.category, complaint.unit = data.kind, data.category, data.unit
            complaint.urgent = data.urgent
            complaint.done.add("triage")
        elif event.type == "complaint.deadline_missed":
            complaint.missed.add(data.deadline)
            complaint.missed_since_reopening = True
        elif event.type == "complaint.waiting_reporter":
            before_question, complaint.went_back = complaint.status, True
        elif event.type == "complaint.reporter_replied":
            complaint.status = before_question
        elif event.type == "complaint.responded":
            complaint.done.add("response")
            complaint.went_back = True
        elif event.type == "complaint.closed":
            complaint.satisfied = data.satisfied
        elif event.type == "complaint.reopened":
            complaint.satisfied, complaint.missed_since_reopening = None, False
        complaint.status = STATUS_OF.get(event.type, complaint.status)
    return complaint


def percent(part: int, whole: int) -> str | None:
    return None if whole == 0 else hundredths(Fraction(100 * part, whole))


def hundredths(value: Fraction) -> str:
    """Two decimals, half up, by integer arithmetic."""
    cents = math.floor(value * 100 + Fraction(1, 2))
    return f"{cents // 100}.{cents % 100:02d}"


def outcomes(complaints: Iterable[Tallied], deadline: str, by: str | None) -> dict[str, Any]:
    counts: Counter[tuple[str, str]] = Counter()
    for complaint in complaints:
        outcome = complaint.outcome(deadline)
        if outcome:
            counts[(getattr(complaint, by) if by else deadline, outcome)] += 1
    keys = sorted({key for key, _ in counts})
    return {
        key: {
            "met": counts[(key, "met")],
            "missed": counts[(key, "missed")],
            "rate": percent(counts[(key, "met")], counts[(key, "met")] + counts[(key, "missed")]),
        }
        for key in keys
    }


def counted(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def complaint_summary(complaints: list[Tallied], clinics: Sequence[str]) -> dict[str, Any]:
    """What the summary of these complaints must say, counted by hand."""
    closed = [c for c in complaints if c.status == "closed"]
    return {
        "received": len(complaints),
        "by_kind": counted(c.kind for c in complaints),
        "by_channel": counted(c.channel for c in complaints),
        "by_category": counted(c.category for c in complaints),
        "by_unit": counted(c.unit for c in complaints),
        "by_status": counted(c.status for c in complaints),
        "by_clinic": {code: sum(c.clinic == code for c in complaints) for code in clinics},
        "urgent": sum(c.urgent for c in complaints),
        "satisfied": counted(
            "yes" if c.satisfied else "no" for c in closed if c.satisfied is not None
        ),
        "deadlines": {
            **outcomes(complaints, "response", None),
            **outcomes(complaints, "triage", None),
        },
        "response_by_unit": outcomes(complaints, "response", "unit"),
        "response_by_channel": outcomes(complaints, "response", "channel"),
        "open_in_period": sum(c.open for c in complaints),
        "open_now": sum(c.open for c in complaints),
        "overdue_now": sum(c.overdue for c in complaints),
        "first_responses": sum(c.went_back for c in complaints),
        "closes": len(closed),
        "received_by_month": {
            month: sum(c.month == month for c in complaints)
            for month in ("2026-09", "2026-10", "2026-11")
        },
    }


def as_counted(report: dict[str, Any]) -> dict[str, Any]:
    """The summary report's numbers that are counted above, in the same shape."""
    keys = [key for key in complaint_summary([], []) if key in report]
    return {
        **{key: report[key] for key in keys},
        "first_responses": report["time_to_first_response"]["count"],
        "closes": report["time_to_close"]["count"],
        "received_by_month": {m["month"]: m["received"] for m in report["by_month"]},
    }


def a_survey(rng: random.Random) -> SurveySubmitted:
    """One respondent's form, a service day from September to November; MDRJ1's respondents
    are the more satisfied, so that the clinics' grades differ."""
    clinic = rng.choice(CLINICS)
    lowest = 3 if clinic == "MDRJ1" else 1
    return SurveySubmitted.create(
        SurveySubmittedData(
            survey_id=uuid.uuid4(),
            unit=rng.choice(SURVEY_UNITS),
            service_date=date(2026, 9, 1) + timedelta(days=rng.randrange(0, 91)),
            answers=Answers(**{code: rng.randint(lowest, 4) for code in ELEMENTS}),
            respondent=Respondent(age=30, sex="L", education="sma", occupation="Petani"),
        ),
        district="banjarnegara",
        clinic=clinic,
        actor=Actor(kind="public"),
        correlation_id="c-survey",
    )


def grade(ikm: str) -> str:
    value = Fraction(ikm)
    bands = ((Fraction("88.31"), "A"), (Fraction("76.61"), "B"), (Fraction("65.00"), "C"))
    return next((letter for floor, letter in bands if value >= floor), "D")


def ikm_by_hand(surveys: list[SurveySubmitted]) -> dict[str, Any]:
    """NRR per element = sum of its answers / respondents; IKM = 25 × Σ NRR / 9 (SPEC §4)."""
    if not surveys:
        return {"respondents": 0, "nrr": [], "ikm": None, "grade": None}
    answers = [survey.data.answers.model_dump() for survey in surveys]
    nrr = {code: Fraction(sum(a[code] for a in answers), len(answers)) for code in ELEMENTS}
    ikm = hundredths(25 * sum(nrr.values(), Fraction(0)) / 9)
    return {
        "respondents": len(surveys),
        "nrr": [(code, hundredths(value)) for code, value in nrr.items()],
        "ikm": ikm,
        "grade": grade(ikm),
    }


def ikm_as_counted(report: dict[str, Any]) -> dict[str, Any]:
    return {
        "respondents": report["respondents"],
        "nrr": [(e["code"], e["nrr"]) for e in report["elements"]],
        "ikm": report["ikm"],
        "grade": report["grade"],
    }


def with_redeliveries(events: list[Event], rng: random.Random) -> list[Event]:
    """Every event once, a quarter of them again and a tenth a third time, shuffled."""
    again = events + rng.sample(events, len(events) // 4) + rng.sample(events, len(events) // 10)
    rng.shuffle(again)
    return again


async def reports(reporting: Reporting) -> dict[str, Any]:
    district = reporting.token(Role.DISTRICT, clinic=None)
    answers: dict[str, Any] = {}
    scopes = [("banjarnegara", {"district": "banjarnegara"})]
    scopes += [(code, {"clinic": code}) for code in CLINICS]
    scopes += [
        (f"{code}:{unit}", {"clinic": code, "unit": unit})
        for code in CLINICS
        for unit in SURVEY_UNITS
    ]
    for name, scope in scopes:
        for path in ("summary", "ikm"):
            if path == "summary" and "unit" in scope:
                continue
            answer = await reporting.http.get(
                f"/api/v1/reports/{path}", params={**PERIOD, **scope}, headers=district
            )
            assert answer.status_code == 200, answer.text
            answers[f"{path} {name}"] = answer.json()
    return answers


def assert_as_counted_by_hand(
    answers: dict[str, Any], histories: list[History], surveys: list[SurveySubmitted]
) -> None:
    complaints = [tally(h.events) for h in histories]
    expected = complaint_summary(complaints, CLINICS)
    assert as_counted(answers["summary banjarnegara"]) == expected
    assert expected["received"] == len(histories) and expected["overdue_now"]  # a varied mix
    for code in CLINICS:
        own = complaint_summary([c for c in complaints if c.clinic == code], (code,))
        assert as_counted(answers[f"summary {code}"]) == own, code
    assert ikm_as_counted(answers["ikm banjarnegara"]) == ikm_by_hand(surveys)
    for code in CLINICS:
        own_surveys = [s for s in surveys if s.clinic == code]
        assert ikm_as_counted(answers[f"ikm {code}"]) == ikm_by_hand(own_surveys), code
        for unit in SURVEY_UNITS:
            in_unit = [s for s in own_surveys if s.data.unit == unit]
            assert ikm_as_counted(answers[f"ikm {code}:{unit}"]) == ikm_by_hand(in_unit)


async def test_reports_equal_a_count_by_hand_of_the_raw_events_after_redeliveries_and_disorder(
    reporting: Reporting, settings: Settings
) -> None:
    rng = random.Random(1407)
    histories = [history(rng) for _ in range(80)]
    surveys = [a_survey(rng) for _ in range(60)]
    events = [event for h in histories for event in h.events] + list(surveys)
    await reporting.publish(with_redeliveries(events, rng))
    await reporting.processed(len(events))

    assert_as_counted_by_hand(await reports(reporting), histories, surveys)

    await rebuild(settings)
    assert_as_counted_by_hand(await reports(reporting), histories, surveys)
