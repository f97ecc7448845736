"""Reporting speed: the summary and IKM reports answered from aggregates, beside the same
reports computed by scanning the raw collections.

Seeds a history of N complaints (their facts, as the live service keeps them) and M surveys (as
logged events) across C clinics of one district over 24 months, writes the aggregates with the
same code the service and the rebuild use, then times each report R times from aggregates
(p50/p95) and a few times by a scan. The aggregate path is the report use case the HTTP routes
call (``ReportQueries``), without the HTTP layer.

Run: `python -m bench.reporting_bench` (small: 20,000 complaints, 10,000 surveys) or
`python -m bench.reporting_bench -n 1000000 -s 500000` for the figures in docs/benchmarks.md.
Without --mongodb a SecantusDB server is started for the run (its own process).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services.reporting.domain.contributions import (
    Contributions,
    add_into,
    fact_contributions,
    survey_contributions,
    to_storable,
)
from services.reporting.domain.facts import ComplaintFact, LoggedEvent
from services.reporting.domain.ikm import ELEMENT_CODES, IkmTally, compute_ikm
from services.reporting.domain.stats import DurationHistogram, month_key
from services.reporting.rebuild import write_aggregates
from services.reporting.reports import ReportQueries, Scope
from services.reporting.service import ZoneBook
from services.reporting.store import EVENT_LOG, FACTS, ReportingStore, fact_document, log_document
from shared.directory import Clinic, Directory, District
from shared.settings import Settings
from shared.storage import create_client, database, ensure_indexes

WIB = ZoneInfo("Asia/Jakarta")
DISTRICT = "benchkab"
STATUSES = ("closed",) * 6 + ("responded", "planned", "in_progress", "triaged", "rejected")
KINDS, CHANNELS = ("keluhan", "saran", "pujian", "pertanyaan"), ("web", "whatsapp", "telepon")
UNITS, CATEGORIES = ("pendaftaran", "farmasi", "poli_umum", "kia_kb"), ("antrian", "obat", "sikap")
START = datetime(2024, 12, 1, tzinfo=UTC)
BATCH = 5000
Call = Callable[[], Awaitable[object]]


def clinic_codes(count: int) -> list[str]:
    return [f"PK{i:03d}" for i in range(count)]


def fake_fact(rng: random.Random, clinic: str) -> ComplaintFact:
    received = START + timedelta(minutes=rng.randrange(0, 24 * 30 * 24 * 60))
    status = rng.choice(STATUSES)
    fact = ComplaintFact(str(uuid.uuid4()), DISTRICT, clinic, f"{clinic}-X", received)
    fact.channel, fact.kind = rng.choice(CHANNELS), rng.choice(KINDS)
    fact.unit, fact.category, fact.status = rng.choice(UNITS), rng.choice(CATEGORIES), status
    fact.reporter, fact.text = "Anonim", "Antrian pendaftaran lama sekali"
    fact.triaged_at = received + timedelta(minutes=5)
    if status in ("closed", "responded"):
        fact.responded_at = received + timedelta(hours=rng.lognormvariate(3, 1))
        fact.first_response_at, fact.reply = fact.responded_at, "Sudah ditindaklanjuti"
    if status == "closed":
        assert fact.responded_at is not None
        fact.closed_at = fact.responded_at + timedelta(days=rng.uniform(0, 14))
    if rng.random() < 0.15:
        fact.missed.add("response")
        fact.missed_since_reopen = True
    return fact


def fake_survey(rng: random.Random, clinic: str) -> LoggedEvent:
    day = (START + timedelta(days=rng.randrange(0, 24 * 30))).date()
    answers = {code: rng.choice((2, 3, 3, 4, 4)) for code in ELEMENT_CODES}
    data = {"unit": rng.choice(UNITS), "service_date": day.isoformat(), "answers": answers}
    at = datetime(day.year, day.month, day.day, 3, tzinfo=UTC)
    return LoggedEvent(str(uuid.uuid4()), "survey.submitted", at, DISTRICT, clinic, "public", data)


def batches(total: int) -> Iterator[int]:
    for start in range(0, total, BATCH):
        yield min(BATCH, total - start)


async def seed(db: Any, directory: Directory, args: argparse.Namespace) -> dict[str, float]:
    rng = random.Random(2026)
    clinics = clinic_codes(args.clinics)
    await directory.save_district(District(code=DISTRICT, name="Dinkes Bench"))
    for code in clinics:
        await directory.save_clinic(Clinic(code=code, name=f"Puskesmas {code}", district=DISTRICT))
    totals: Contributions = {}
    started = time.perf_counter()
    for done, size in enumerate(batches(args.complaints)):
        if done % 20 == 0:
            print(f"  complaints: {done * BATCH:,}", flush=True)
        docs = []
        for _ in range(size):
            fact = fake_fact(rng, rng.choice(clinics))
            contributions = fact_contributions(fact, WIB)
            add_into(totals, contributions)
            assert fact.received_at is not None
            month = month_key(fact.received_at, WIB)
            docs.append({**fact_document(fact, month, to_storable(contributions)), "rev": 1})
        await db[FACTS].insert_many(docs, ordered=False)
    facts_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for size in batches(args.surveys):
        docs = []
        for _ in range(size):
            event = fake_survey(rng, rng.choice(clinics))
            add_into(totals, survey_contributions(event))
            docs.append(log_document(event, "survey", None))
        await db[EVENT_LOG].insert_many(docs, ordered=False)
    surveys_seconds = time.perf_counter() - started
    started = time.perf_counter()
    aggregates = await write_aggregates(db, totals)
    aggregates_seconds = time.perf_counter() - started
    started = time.perf_counter()
    await ensure_indexes(db, "reporting")  # after the bulk load: building them once is faster
    return {
        "facts_per_second": args.complaints / facts_seconds,
        "surveys_per_second": args.surveys / surveys_seconds if args.surveys else 0,
        "aggregate_documents": aggregates,
        "aggregates_seconds": aggregates_seconds,
        "indexes_seconds": time.perf_counter() - started,
    }


async def scan_summary(db: Any, scope: dict[str, str], first: str, last: str) -> dict[str, Any]:
    """The summary's core numbers by reading every complaint of the period."""
    counts: dict[str, int] = {}
    first_response, close = DurationHistogram(), DurationHistogram()
    query = {**scope, "month": {"$gte": first, "$lte": last}}
    fields = {"kind": 1, "channel": 1, "status": 1, "unit": 1, "category": 1, "received_at": 1}
    fields |= {"first_response_at": 1, "closed_at": 1, "missed": 1, "responded_at": 1}
    async for doc in db[FACTS].find(query, fields):
        for key in ("kind", "channel", "status", "unit", "category"):
            name = f"{key}.{doc.get(key)}"
            counts[name] = counts.get(name, 0) + 1
        if doc.get("first_response_at"):
            first_response.add(doc["first_response_at"] - doc["received_at"])
        if doc.get("status") == "closed" and doc.get("closed_at"):
            close.add(doc["closed_at"] - doc["received_at"])
    return {"counts": counts, "median": first_response.median(), "p90": close.p90()}


async def scan_ikm(db: Any, scope: dict[str, str], first: str, last: str) -> str:
    """The IKM by summing every survey answer of the period."""
    group: dict[str, Any] = {"_id": None, "n": {"$sum": 1}}
    for code in ELEMENT_CODES:
        group[f"{code}_sum"] = {"$sum": f"$data.answers.{code}"}
    match = {
        "subject": "survey",
        **scope,
        "data.service_date": {"$gte": f"{first}-01", "$lte": f"{last}-31"},
    }
    cursor = await db[EVENT_LOG].aggregate([{"$match": match}, {"$group": group}])
    rows = [row async for row in cursor]
    if not rows:
        return "-"
    row = rows[0]
    tally = {"respondents": row["n"]}
    for code in ELEMENT_CODES:
        tally |= {f"{code}_sum": row[f"{code}_sum"], f"{code}_count": row["n"]}
    return str(compute_ikm(IkmTally.from_dict(tally)).ikm)


async def timed(call: Callable[[], Awaitable[object]], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(0.95 * len(samples)) - 1)]


async def run(args: argparse.Namespace, mongodb_url: str) -> None:
    prefix = f"bench{uuid.uuid4().hex[:6]}"
    settings = Settings(mongodb_url=mongodb_url, mongodb_db_prefix=prefix, mongodb_timeout_ms=60000)
    client = create_client(settings)
    try:
        db = database(client, settings, "reporting")
        directory = Directory(database(client, settings, "directory"))
        seeded = await seed(db, directory, args)
        seeded_what = f"{args.complaints:,} complaints, {args.surveys:,} surveys"
        print(f"seeded {seeded_what}, {args.clinics} clinics")
        print({key: round(value, 1) for key, value in seeded.items()})
        queries = ReportQueries(ReportingStore(db), directory, ZoneBook(directory))
        clinic, district = Scope(DISTRICT, "PK000"), Scope(DISTRICT)
        first, last = "2025-12", "2026-11"  # twelve months
        reports: list[tuple[str, Call, Call]] = [
            ("summary, one clinic, 12 months", lambda: queries.summary(clinic, first, last),
             lambda: scan_summary(db, clinic.query, first, last)),
            ("summary, district, 12 months", lambda: queries.summary(district, first, last),
             lambda: scan_summary(db, district.query, first, last)),
            ("IKM, one clinic, 12 months", lambda: queries.ikm(clinic, first, last, None, None),
             lambda: scan_ikm(db, clinic.query, first, last)),
            ("IKM, district, 12 months", lambda: queries.ikm(district, first, last, None, None),
             lambda: scan_ikm(db, district.query, first, last)),
        ]  # fmt: skip
        print(f"{'report':34} {'aggregates p50':>15} {'p95':>9} {'scan p50':>11}")
        for name, from_aggregates, by_scan in reports:
            await from_aggregates()  # warm the connection and caches once
            p50, p95 = await timed(from_aggregates, args.runs)
            scan_p50, _ = await timed(by_scan, args.scan_runs)
            print(f"{name:34} {p50:12.1f} ms {p95:6.1f} ms {scan_p50:8.0f} ms")
    finally:
        for name in await client.list_database_names():
            if name.startswith(prefix + "_"):
                await client.drop_database(name)
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--complaints", type=int, default=20_000)
    parser.add_argument("-s", "--surveys", type=int, default=10_000)
    parser.add_argument("-c", "--clinics", type=int, default=50)
    parser.add_argument("-r", "--runs", type=int, default=100, help="timed runs per report")
    parser.add_argument("--scan-runs", type=int, default=3)
    parser.add_argument("--mongodb", default=os.environ.get("SIGAP_MONGODB_URL"))
    args = parser.parse_args()
    print(f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    if args.mongodb:
        asyncio.run(run(args, args.mongodb))
        return
    from tests.support.infra import secantus_server  # a separate server process, never imported

    with contextlib.ExitStack() as stack:
        url = stack.enter_context(secantus_server())
        print("SecantusDB server started for this run")
        asyncio.run(run(args, url))


if __name__ == "__main__":
    main()
