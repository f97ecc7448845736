"""SIGAP end to end: N complaints posted over HTTP, at a fixed concurrency or a fixed rate,
until each is stored by triage and counted by reporting. Services run as their own processes,
as in `make run`; `--triage N` starts N triage replicas on the same queue.

Latencies run from the moment intake accepted a complaint (its ``received_at``) to the moment
triage stored it (its automatic triage in the history) and to the moment reporting counted it (its
``processed_events`` marker). The CPU each process spent is read from /proc and divided by N.

Run: `python -m bench.pipeline -n 2000 -c 50 --triage 1` (RabbitMQ on localhost; the database
at --mongodb, else the one on 127.0.0.1:27018, else a SecantusDB started for the run).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from bench.infra import Stack, cpu_seconds, database, database_pid, remove_run, stack
from bench.profiles import start_recording, summarise
from ops.seed import seed_demo

CLINICS = ("MDRJ1", "MDRJ2", "BNJR1", "RANAI")
TEXTS = (
    "Antrian di pendaftaran lama sekali, sudah dua jam belum dipanggil",
    "Obat di farmasi sering kosong, disuruh beli di luar",
    "Petugas loket kurang ramah kepada pasien lansia",
    "Toilet ruang tunggu kotor dan bau",
)
INTAKE_PORT, TRIAGE_PORT = 8201, 8210


@dataclass
class Result:
    n: int
    concurrency: int
    rate: float | None
    triage: int
    refused: int = 0
    post_s: float = 0.0
    stored_s: float = 0.0
    counted_s: float = 0.0
    stored_ms: list[float] = field(default_factory=list)
    counted_ms: list[float] = field(default_factory=list)
    http_ms: list[float] = field(default_factory=list)
    cpu_ms: dict[str, float] = field(default_factory=dict)  # per complaint, by process
    profiles: dict[str, str] = field(default_factory=dict)  # py-spy summaries, by process
    errors: dict[str, int] = field(default_factory=dict)  # refusals by status or exception
    db_ops: dict[str, float] = field(default_factory=dict)  # per complaint, by kind

    @property
    def accepted(self) -> int:
        return self.n - self.refused

    @property
    def throughput(self) -> float:
        """Complaints per second through the whole pipeline (every accepted one counted)."""
        return self.accepted / self.counted_s


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered)) - 1))]


def spread(values: list[float]) -> str:
    if not values:
        return "–"
    p50, p95, p99 = statistics.median(values), percentile(values, 95), percentile(values, 99)
    return f"{p50:,.0f} / {p95:,.0f} / {p99:,.0f}"


async def post_all(intake: str, result: Result) -> None:
    """Post N complaints, at most ``concurrency`` in flight, paced to ``rate`` when given."""
    semaphore = asyncio.Semaphore(result.concurrency)
    conns = result.concurrency
    limits = httpx.Limits(max_connections=conns, max_keepalive_connections=conns)
    async with httpx.AsyncClient(base_url=intake, timeout=60, limits=limits) as http:
        started = time.perf_counter()

        async def one(i: int) -> None:
            if result.rate:
                await asyncio.sleep(max(0.0, started + i / result.rate - time.perf_counter()))
            async with semaphore:
                body = {"clinic": CLINICS[i % 4], "kind": "keluhan", "text": TEXTS[i % 4]}
                sent = time.perf_counter()
                try:
                    reply = await http.post("/api/v1/complaints", json=body)
                except httpx.HTTPError as exc:  # not accepted: counted, and the run goes on
                    result.errors[type(exc).__name__] = result.errors.get(type(exc).__name__, 0) + 1
                    result.refused += 1
                    return
                result.http_ms.append((time.perf_counter() - sent) * 1000)
                if reply.status_code != 202:
                    result.errors[str(reply.status_code)] = (
                        result.errors.get(str(reply.status_code), 0) + 1
                    )
                    result.refused += 1

        await asyncio.gather(*(one(i) for i in range(result.n)))
        result.post_s = time.perf_counter() - started


def _ms(later: datetime, earlier: datetime) -> float:
    return (later - earlier) / timedelta(milliseconds=1)


async def wait_and_measure(
    s: Stack, result: Result, posting: asyncio.Task[None], started: float, timeout: float
) -> None:
    """Wait until every accepted complaint is stored and counted, then read the latencies."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        s.settings.mongodb_url.get_secret_value(), tz_aware=True
    )
    prefix = s.settings.mongodb_db_prefix
    complaints = client[f"{prefix}_triage"]["complaints"]
    reporting = client[f"{prefix}_reporting"]
    received = {"type": "complaint.received"}
    # Cheap polls, so that the measuring does not load the database it measures: the
    # collection's count from its metadata, and reporting's monthly counters (a few documents).
    totals = [{"$group": {"_id": None, "received": {"$sum": "$received"}}}]
    try:
        while not (result.stored_s and result.counted_s):
            if time.perf_counter() - started > timeout:
                raise SystemExit(f"not all {result.n} complaints got through in {timeout:.0f}s")
            if posting.done() and posting.exception() is not None:
                raise RuntimeError("posting failed") from posting.exception()
            # Only accepted complaints are owed; how many were is known once posting is done.
            owed = result.n - result.refused if posting.done() else result.n
            if not result.stored_s and await complaints.estimated_document_count() >= owed:
                result.stored_s = time.perf_counter() - started
            summed = await (await reporting["complaint_counts"].aggregate(totals)).to_list()
            if not result.counted_s and summed and summed[0]["received"] >= owed:
                result.counted_s = time.perf_counter() - started
            await asyncio.sleep(0.2)
        result.stored_ms = [
            _ms(doc["history"][-1]["at"], doc["received_at"])
            async for doc in complaints.find({}, {"received_at": 1, "history": {"$slice": -1}})
        ]
        accepted = {
            doc["_id"]: datetime.fromisoformat(doc["data"]["received_at"])
            async for doc in reporting["event_log"].find(received, {"data.received_at": 1})
        }
        result.counted_ms = [
            _ms(doc["processed_at"], accepted[doc["_id"]])
            async for doc in reporting["processed_events"].find(received)
        ]
    finally:
        await client.close()


async def run(
    rabbitmq: str,
    mongodb: str,
    n: int,
    concurrency: int,
    triage: int = 1,
    rate: float | None = None,
    timeout: float = 900.0,
    profile: tuple[str, ...] = (),
) -> Result:
    """One run; ``profile`` names processes py-spy samples for the first 20 seconds."""
    result = Result(n, concurrency, rate, triage)
    s = stack(rabbitmq, mongodb)
    await seed_demo(s.settings)
    for service, port in (("intake", INTAKE_PORT), ("notify", 8202), ("reporting", 8203)):
        s.start(service, service, port)
    for replica in range(triage):
        s.start(f"triage-{replica}", "triage", TRIAGE_PORT + replica)
    try:
        s.wait_ready()
        pids = s.pids()
        if (db := database_pid(mongodb)) is not None:
            pids["database"] = db
        recorders = {
            name: (start_recording(pids[name], 20, _raw(name)), _raw(name)) for name in profile
        }
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        ops_before = await operations(mongodb)
        started = time.perf_counter()
        posting = asyncio.create_task(post_all(f"http://127.0.0.1:{INTAKE_PORT}", result))
        await wait_and_measure(s, result, posting, started, timeout)
        await posting
        result.cpu_ms = {
            name: (cpu_seconds(pid) - cpu_before[name]) * 1000 / n for name, pid in pids.items()
        }
        ops_after = await operations(mongodb)
        result.db_ops = {kind: (ops_after[kind] - ops_before[kind]) / n for kind in ops_after}
        for name, (recorder, raw) in recorders.items():
            if recorder is not None:
                await asyncio.to_thread(recorder.wait, 120)
                result.profiles[name] = await asyncio.to_thread(summarise, raw)
    finally:
        s.stop()
        await remove_run(s.settings)
    return result


async def operations(mongodb: str) -> dict[str, int]:
    """The database server's operation counters (every client's, the measuring included)."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb)
    try:
        status = await client.admin.command("serverStatus")
    finally:
        await client.close()
    counters = status.get("opcounters", {})
    return {
        kind: int(counters.get(kind, 0))
        for kind in ("insert", "query", "update", "delete", "command")
    }


def _raw(name: str) -> Path:
    return Path(f"/tmp/sigap-bench-{name}.raw")


def describe(r: Result) -> str:
    load = f"rate {r.rate:.0f}/s" if r.rate else f"concurrency {r.concurrency}"
    cpu = ", ".join(f"{name} {ms:.1f}" for name, ms in sorted(r.cpu_ms.items()))
    return "\n".join(
        [
            f"complaints: {r.n}, {load}, triage replicas {r.triage}",
            f"accepted (202): {r.accepted}/{r.n} {r.errors or ''} in {r.post_s:.2f}s "
            f"= {r.accepted / r.post_s:.0f}/s; HTTP ms p50/p95/p99 {spread(r.http_ms)}",
            f"stored by triage:     all after {r.stored_s:.2f}s = {r.accepted / r.stored_s:.0f}/s",
            f"counted by reporting: all after {r.counted_s:.2f}s = {r.throughput:.0f}/s",
            f"accept → stored ms  p50/p95/p99: {spread(r.stored_ms)}",
            f"accept → counted ms p50/p95/p99: {spread(r.counted_ms)}",
            f"CPU ms per complaint: {cpu}",
            "database operations per complaint: "
            + ", ".join(f"{kind} {count:.1f}" for kind, count in r.db_ops.items()),
        ]
    )


async def main_async(args: argparse.Namespace) -> None:
    with database(args.mongodb) as mongodb:
        result = await run(args.rabbitmq, mongodb, args.n, args.c, args.triage, args.rate)
    print(describe(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("-c", type=int, default=50, help="requests in flight (at most)")
    parser.add_argument("--rate", type=float, default=None, help="complaints per second")
    parser.add_argument("--triage", type=int, default=1, help="triage replicas")
    parser.add_argument("--rabbitmq", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--mongodb", default=None, help="default: :27018, else started here")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
