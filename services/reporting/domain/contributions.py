"""What each fact adds to the aggregate documents, and the difference between two facts.

Every aggregate number is a sum of contributions: a complaint fact contributes to its clinic's
month (the month of receipt in the clinic's zone) and to its clinic's "now" document; a survey to
its clinic-unit-month IKM tally; a notification to its clinic-month counters. When a new event
changes a fact, the aggregates receive ``new − old`` as ``$inc``, so at any time the aggregates
equal the sum of the contributions of the current facts — exactly what a recount gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import tzinfo
from typing import Final

from services.reporting.domain.facts import DEADLINE_KINDS, ComplaintFact, LoggedEvent
from services.reporting.domain.ikm import IkmTally
from services.reporting.domain.stats import bucket_key, month_key

MONTHLY: Final = "complaint_counts"  # one document per clinic and month of receipt
NOW: Final = "clinic_status"  # one document per clinic: what is open and overdue now
IKM: Final = "ikm_tallies"  # one document per clinic, unit and month of service
# The same sums rolled up, so that a clinic's IKM and a district's reports read a dozen
# documents for a year instead of one per clinic and unit.
DISTRICT_MONTHLY: Final = "district_counts"  # per district and month
DISTRICT_NOW: Final = "district_status"  # per district
CLINIC_IKM: Final = "ikm_clinic_tallies"  # per clinic and month, all units
DISTRICT_IKM: Final = "ikm_district_tallies"  # per district and month, all clinics
COLLECTIONS: Final = (MONTHLY, NOW, IKM, DISTRICT_MONTHLY, DISTRICT_NOW, CLINIC_IKM, DISTRICT_IKM)
NONE_KEY: Final = "_none"


@dataclass(frozen=True, slots=True)
class Target:
    """One aggregate document: its collection, its id and the fields it is created with."""

    collection: str
    doc_id: str
    meta: tuple[tuple[str, str], ...]


Increments = dict[str, int]
Contributions = dict[Target, Increments]


def field_key(value: object) -> str:
    """A value usable as a MongoDB field name ('.' and a leading '$' are not)."""
    text = str(value) if value not in (None, "") else NONE_KEY
    return text.replace(".", "_").replace("$", "_")


def monthly_target(district: str, clinic: str, month: str) -> Target:
    meta = (("district", district), ("clinic", clinic), ("month", month))
    return Target(MONTHLY, f"{clinic}:{month}", meta)


def now_target(district: str, clinic: str) -> Target:
    return Target(NOW, clinic, (("district", district), ("clinic", clinic)))


def _monthly(district: str, clinic: str, month: str, fields: Increments) -> Contributions:
    """A clinic-month contribution and its district roll-up, which also counts complaints per
    clinic (``clinic.<code>``): a district's summary lists its clinics from a dozen roll-up
    documents instead of every clinic's months."""
    district_target = Target(
        DISTRICT_MONTHLY, f"{district}:{month}", (("district", district), ("month", month))
    )
    district_fields = dict(fields)
    if fields.get("received"):
        district_fields[f"clinic.{field_key(clinic)}"] = fields["received"]
    return {monthly_target(district, clinic, month): fields, district_target: district_fields}


def _now(district: str, clinic: str, fields: Increments) -> Contributions:
    district_target = Target(DISTRICT_NOW, district, (("district", district),))
    return {now_target(district, clinic): fields, district_target: dict(fields)}


def _deadline_fields(fact: ComplaintFact) -> Increments:
    fields: Increments = {}
    for kind in DEADLINE_KINDS:
        outcome = fact.deadline_outcome(kind)
        if outcome is None:
            continue
        fields[f"deadline.{kind}.{outcome}"] = 1
        if kind == "response":
            fields[f"response_by_unit.{field_key(fact.unit)}.{outcome}"] = 1
            fields[f"response_by_channel.{field_key(fact.channel)}.{outcome}"] = 1
    return fields


def _duration_fields(fact: ComplaintFact) -> Increments:
    fields: Increments = {}
    assert fact.received_at is not None
    if fact.first_response_at is not None and fact.first_response_at >= fact.received_at:
        fields[
            f"durations.first_response.{bucket_key(fact.first_response_at - fact.received_at)}"
        ] = 1
    if (
        fact.status == "closed"
        and fact.closed_at is not None
        and fact.closed_at >= fact.received_at
    ):
        fields[f"durations.close.{bucket_key(fact.closed_at - fact.received_at)}"] = 1
    return fields


def fact_contributions(fact: ComplaintFact, zone: tzinfo) -> Contributions:
    """What one complaint adds to its month and to its clinic's current state."""
    if fact.received_at is None:
        return {}
    month = month_key(fact.received_at, zone)
    monthly: Increments = {
        "received": 1,
        f"kind.{field_key(fact.kind)}": 1,
        f"channel.{field_key(fact.channel)}": 1,
        f"category.{field_key(fact.category)}": 1,
        f"unit.{field_key(fact.unit)}": 1,
        f"status.{field_key(fact.status)}": 1,
        **_deadline_fields(fact),
        **_duration_fields(fact),
    }
    now: Increments = {"received": 1, f"status.{field_key(fact.status)}": 1}
    for flag, value in (("urgent", fact.urgent), ("open", fact.open), ("overdue", fact.overdue)):
        if value:
            monthly[flag] = 1
            now[flag] = 1
    if fact.satisfied is not None and fact.status == "closed":
        monthly[f"satisfied.{'yes' if fact.satisfied else 'no'}"] = 1
    if fact.helped is not None:
        monthly[f"helped.{'yes' if fact.helped else 'no'}"] = 1
    return _monthly(fact.district, fact.clinic, month, monthly) | _now(
        fact.district, fact.clinic, now
    )


def survey_contributions(event: LoggedEvent) -> Contributions:
    """A survey adds its answers to its clinic-unit-month tally (month of the service date)."""
    data = event.data
    unit, month = str(data["unit"]), str(data["service_date"])[:7]
    tally = IkmTally()
    tally.add(dict(data["answers"]))
    meta = (
        ("district", event.district),
        ("clinic", event.clinic),
        ("unit", unit),
        ("month", month),
    )
    fields = {f"tally.{key}": value for key, value in tally.to_dict().items()}
    clinic_meta = (("district", event.district), ("clinic", event.clinic), ("month", month))
    district_meta = (("district", event.district), ("month", month))
    return {
        Target(IKM, f"{event.clinic}:{unit}:{month}", meta): fields,
        Target(CLINIC_IKM, f"{event.clinic}:{month}", clinic_meta): dict(fields),
        Target(DISTRICT_IKM, f"{event.district}:{month}", district_meta): dict(fields),
    }


def notification_contributions(event: LoggedEvent, zone: tzinfo) -> Contributions:
    """Messages sent and failed, and provider receipts, counted in the month they happened."""
    month = month_key(event.occurred_at, zone)
    name = event.type.removeprefix("notification.")
    fields: Increments = {f"notifications.{name}": 1}
    status = event.data.get("status")
    if status:
        fields[f"notifications.delivery.{field_key(status)}"] = 1
    return _monthly(event.district, event.clinic, month, fields)


def difference(new: Contributions, old: Contributions) -> Contributions:
    """``new − old`` per document and field, without zero entries."""
    result: Contributions = {}
    for target in new.keys() | old.keys():
        fields = dict(new.get(target, {}))
        for key, value in old.get(target, {}).items():
            fields[key] = fields.get(key, 0) - value
        nonzero = {key: value for key, value in fields.items() if value}
        if nonzero:
            result[target] = nonzero
    return result


def add_into(total: Contributions, *parts: Mapping[Target, Mapping[str, int]]) -> None:
    """Accumulate contributions in place (the rebuild sums everything this way)."""
    for part in parts:
        for target, fields in part.items():
            bucket = total.setdefault(target, {})
            for key, value in fields.items():
                bucket[key] = bucket.get(key, 0) + value


def to_storable(contributions: Contributions) -> list[dict[str, object]]:
    """Contributions as plain documents (kept on the fact, to subtract them later)."""
    return [
        {"c": t.collection, "id": t.doc_id, "meta": dict(t.meta), "inc": fields}
        for t, fields in contributions.items()
    ]


def from_storable(items: Iterable[Mapping[str, object]]) -> Contributions:
    result: Contributions = {}
    for item in items:
        meta = item["meta"]
        inc = item["inc"]
        assert isinstance(meta, Mapping) and isinstance(inc, Mapping)
        target = Target(
            str(item["c"]), str(item["id"]), tuple((str(k), str(v)) for k, v in meta.items())
        )
        result[target] = {str(k): int(v) for k, v in inc.items()}
    return result
