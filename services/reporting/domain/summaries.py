"""Reports assembled from aggregate documents: the complaint summary and the IKM report.

Numbers that are exact decimals (IKM, NRR, rates) are given as strings with two decimals, so
that "88.31" is shown as computed; "no data" is ``None``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from services.reporting.domain.ikm import IkmTally, compute_ikm, required_sample
from services.reporting.domain.stats import (
    DurationHistogram,
    complaints_per_1000_visits,
    covered_dates,
    deadline_rate,
    month_range,
    round_half_up,
)

Doc = Mapping[str, Any]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _flatten(doc: Doc, prefix: str = "") -> dict[str, int]:
    """Nested counters as dotted keys: {"kind": {"saran": 2}} → {"kind.saran": 2}."""
    flat: dict[str, int] = {}
    for key, value in doc.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, int) and not isinstance(value, bool):
            flat[name] = value
    return flat


def _group(totals: Mapping[str, int], prefix: str) -> dict[str, int]:
    start = f"{prefix}."
    return {k[len(start) :]: v for k, v in sorted(totals.items()) if k.startswith(start) and v}


def _outcomes(totals: Mapping[str, int], prefix: str) -> dict[str, dict[str, Any]]:
    keys = {k.split(".")[1] for k in totals if k.startswith(f"{prefix}.")}
    result = {}
    for key in sorted(keys):
        met, missed = totals.get(f"{prefix}.{key}.met", 0), totals.get(f"{prefix}.{key}.missed", 0)
        if met or missed:
            result[key] = {"met": met, "missed": missed, "rate": _text(deadline_rate(met, missed))}
    return result


def covered_period(first: str, last: str) -> dict[str, str]:
    """The days a report of whole months covers, as it states them."""
    start, end = covered_dates(first, last)
    return {"from": start.isoformat(), "to": end.isoformat()}


def period_text(report: Mapping[str, Any]) -> str:
    """ "2026-10-01 s.d. 2026-10-31": the covered days (the months, for a report without)."""
    period = report.get("period") or {"from": report["from"], "to": report["to"]}
    return f"{period['from']} s.d. {period['to']}"


def duration_report(histogram: DurationHistogram) -> dict[str, Any]:
    median, p90 = histogram.median(), histogram.p90()
    return {
        "count": histogram.count,
        "median_seconds": None if median is None else int(median.total_seconds()),
        "p90_seconds": None if p90 is None else int(p90.total_seconds()),
        "median_hours": None if median is None else _text(_round_hours(median)),
        "p90_hours": None if p90 is None else _text(_round_hours(p90)),
    }


def _round_hours(duration: timedelta) -> Decimal:
    return round_half_up(Fraction(int(duration.total_seconds()), 3600), 2)


def _histogram(docs: Iterable[Doc], name: str) -> DurationHistogram:
    total = DurationHistogram()
    for doc in docs:
        stored = doc.get("durations", {}).get(name)
        if stored:
            total = total + DurationHistogram.from_dict(stored)
    return total


def month_row(month: str, totals: Mapping[str, int], visits: int | None) -> dict[str, Any]:
    met, missed = totals.get("deadline.response.met", 0), totals.get("deadline.response.missed", 0)
    received = totals.get("received", 0)
    return {
        "month": month,
        "received": received,
        "closed": totals.get("status.closed", 0),
        "open": totals.get("open", 0),
        "response_met": met,
        "response_missed": missed,
        "response_rate": _text(deadline_rate(met, missed)),
        "visits": visits,
        "per_1000_visits": _text(complaints_per_1000_visits(received, visits)) if visits else None,
        "helped_share": helped_answers(totals)["share"],
    }


def helped_answers(totals: Mapping[str, int]) -> dict[str, Any]:
    """The complainants' answers to "Apakah jawaban kami membantu?": YA, TIDAK and the share
    of YA in percent (``None`` without answers)."""
    yes, no = totals.get("helped.yes", 0), totals.get("helped.no", 0)
    return {"yes": yes, "no": no, "share": _text(deadline_rate(yes, no))}


def summarize(
    monthly: Sequence[Doc],
    now: Sequence[Doc],
    visits: Mapping[str, int],
    first: str,
    last: str,
) -> dict[str, Any]:
    """The complaint summary of a period from its month documents and the clinics' "now"."""
    totals: Counter[str] = Counter()
    per_month: dict[str, Counter[str]] = {month: Counter() for month in month_range(first, last)}
    for doc in monthly:
        flat = _flatten(doc)
        totals.update(flat)
        per_month.setdefault(doc["month"], Counter()).update(flat)
    now_totals: Counter[str] = Counter()
    for doc in now:
        now_totals.update(_flatten(doc))
    visit_total = sum(visits.values()) if visits else None
    # The rate compares like with like: complaints of the months whose visits were entered.
    counted = sum(per_month.get(month, Counter()).get("received", 0) for month in visits)
    received = totals.get("received", 0)
    deadlines = _outcomes(totals, "deadline")
    return {
        "received": received,
        "by_kind": _group(totals, "kind"),
        "by_channel": _group(totals, "channel"),
        "by_category": _group(totals, "category"),
        "by_unit": _group(totals, "unit"),
        "by_status": _group(totals, "status"),
        "by_clinic": _group(totals, "clinic"),  # a district's roll-ups only
        "urgent": totals.get("urgent", 0),
        "satisfied": _group(totals, "satisfied"),
        "helped": helped_answers(totals),
        "deadlines": deadlines,
        "response_by_unit": _outcomes(totals, "response_by_unit"),
        "response_by_channel": _outcomes(totals, "response_by_channel"),
        "time_to_first_response": duration_report(_histogram(monthly, "first_response")),
        "time_to_close": duration_report(_histogram(monthly, "close")),
        "open_in_period": totals.get("open", 0),
        "open_now": now_totals.get("open", 0),
        "overdue_now": now_totals.get("overdue", 0),
        "status_now": _group(now_totals, "status"),
        "visits": visit_total,
        "per_1000_visits": _text(complaints_per_1000_visits(counted, visit_total))
        if visit_total
        else None,
        "notifications": _group(totals, "notifications"),
        "by_month": [
            month_row(month, counts, visits.get(month))
            for month, counts in sorted(per_month.items())
        ],
    }


def received_by_clinic(clinics: Iterable[str], counted: Mapping[str, int]) -> dict[str, int]:
    """Complaints received per clinic, as a district's roll-ups count them. Every clinic named
    is listed, one without complaints with 0: a district's clinic that received none is a
    finding too."""
    return dict(sorted({**dict.fromkeys(clinics, 0), **counted}.items()))


def tally_of(docs: Iterable[Doc]) -> IkmTally:
    total = IkmTally()
    for doc in docs:
        total = total + IkmTally.from_dict(doc["tally"])
    return total


def ikm_report(tally: IkmTally, population: int | None) -> dict[str, Any]:
    """Per element the NRR, then the IKM, grade and label; respondents against the sample."""
    base: dict[str, Any] = {
        "respondents": tally.respondents,
        "population": population,
        "required_sample": required_sample(population) if population is not None else None,
    }
    if base["required_sample"] is not None:
        base["sample_sufficient"] = tally.respondents >= base["required_sample"]
    if tally.respondents == 0:
        return {**base, "elements": [], "ikm": None, "grade": None, "label": None, "priorities": []}
    result = compute_ikm(tally)
    return {
        **base,
        "elements": [
            {
                "code": e.code,
                "name": e.name,
                "answered": e.answered,
                "nrr": _text(e.nrr),
                "nrr_weighted": _text(round_half_up(e.nrr_exact / 9, 3)) if e.nrr_exact else None,
                "grade": e.grade.value if e.grade else None,
            }
            for e in result.elements
        ],
        "ikm": str(result.ikm),
        "grade": result.grade.value,
        "label": result.label,
        "complete": result.complete,
        "priorities": [p.code for p in result.priorities],
    }
