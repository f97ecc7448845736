"""SIGAP end to end: N complaints posted over HTTP at a fixed concurrency, until each is stored
by triage and counted by reporting. Services run as their own processes, as in `make run`;
`--triage N` starts N triage replicas on the same queue.

Run: `python -m bench.pipeline -n 2000 -c 50 --triage 1` (a RabbitMQ on localhost and a
MongoDB-compatible server at --mongodb are needed; `make run`'s SecantusDB will do).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from ops.local_run import STATE, Supervisor
from ops.seed import seed_demo
from shared.settings import Settings

CLINICS = ("MDRJ1", "MDRJ2", "BNJR1", "RANAI")
TEXTS = (
    "Antrian di pendaftaran lama sekali, sudah dua jam belum dipanggil",
    "Obat di farmasi sering kosong, disuruh beli di luar",
    "Petugas loket kurang ramah kepada pasien lansia",
    "Toilet ruang tunggu kotor dan bau",
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered)) - 1))]


async def wait_ready(urls: list[str]) -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        for url in urls:
            for _ in range(300):
                try:
                    if (await http.get(f"{url}/ready")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
            else:
                raise SystemExit(f"{url} not ready")


async def post_all(intake: str, n: int, concurrency: int) -> tuple[float, int]:
    semaphore = asyncio.Semaphore(concurrency)
    refused = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=intake, timeout=30, limits=limits) as http:

        async def one(i: int) -> None:
            nonlocal refused
            async with semaphore:
                body = {"clinic": CLINICS[i % 4], "kind": "keluhan", "text": TEXTS[i % 4]}
                reply = await http.post("/api/v1/complaints", json=body)
                refused += reply.status_code != 202

        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        return time.perf_counter() - started, refused


async def measure(settings: Settings, n: int, started: float) -> dict[str, Any]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        settings.mongodb_url.get_secret_value(), tz_aware=True
    )
    complaints = client[f"{settings.mongodb_db_prefix}_triage"]["complaints"]
    counted = client[f"{settings.mongodb_db_prefix}_reporting"]["processed_events"]
    stored_at = counted_at = None
    while stored_at is None or counted_at is None:
        if stored_at is None and await complaints.count_documents({}) >= n:
            stored_at = time.perf_counter() - started
        if counted_at is None and (
            await counted.count_documents({"type": "complaint.received"}) >= n
        ):
            counted_at = time.perf_counter() - started
        await asyncio.sleep(0.05)
    latencies = [
        (doc["history"][-1]["at"] - doc["received_at"]) / timedelta(milliseconds=1)
        async for doc in complaints.find({}, {"received_at": 1, "history": {"$slice": -1}})
    ]
    await client.close()
    return {"stored_s": stored_at, "counted_s": counted_at, "latencies": latencies}


def start_stack(settings: Settings, triage_replicas: int, env: dict[str, str]) -> Supervisor:
    supervisor = Supervisor()
    uvicorn = [sys.executable, "-m", "uvicorn", "--no-access-log", "--log-level", "warning"]
    ports = {"intake": 8201, "notify": 8202, "reporting": 8203}
    for service, port in ports.items():
        supervisor.start(
            f"bench-{service}",
            [*uvicorn, f"services.{service}.main:create_app", "--factory", "--port", str(port)],
            env,
        )
    for replica in range(triage_replicas):
        port = str(8210 + replica)
        supervisor.start(
            f"bench-triage-{replica}",
            [*uvicorn, "services.triage.main:create_app", "--factory", "--port", port],
            env,
        )
    return supervisor


async def run(args: argparse.Namespace) -> None:
    prefix = f"bench{uuid.uuid4().hex[:6]}"
    env = {
        **os.environ,
        "SIGAP_MONGODB_URL": args.mongodb,
        "SIGAP_RABBITMQ_URL": args.rabbitmq,
        "SIGAP_AMQP_PREFIX": prefix,
        "SIGAP_MONGODB_DB_PREFIX": prefix,
        "SIGAP_LOG_LEVEL": "WARNING",
        # One load generator is one client: lift the public per-client limit for the run.
        "SIGAP_RATE_LIMIT_SUBMIT_PER_MINUTE": str(10**9),
    }
    settings = Settings(
        mongodb_url=args.mongodb,
        rabbitmq_url=args.rabbitmq,
        amqp_prefix=prefix,
        mongodb_db_prefix=prefix,
    )
    await seed_demo(settings)
    (STATE / "logs").mkdir(parents=True, exist_ok=True)
    supervisor = start_stack(settings, args.triage, env)
    try:
        triage_urls = [f"http://127.0.0.1:{8210 + r}" for r in range(args.triage)]
        await wait_ready([f"http://127.0.0.1:{p}" for p in (8201, 8202, 8203)] + triage_urls)
        started = time.perf_counter()
        posting = asyncio.create_task(post_all("http://127.0.0.1:8201", args.n, args.c))
        results = await measure(settings, args.n, started)
        post_seconds, refused = await posting
    finally:
        supervisor.stop()
    lat = results["latencies"]
    print(f"complaints: {args.n}, concurrency {args.c}, triage replicas {args.triage}")
    print(
        f"accepted (202): {args.n - refused}/{args.n} in {post_seconds:.2f}s "
        f"= {args.n / post_seconds:.0f}/s"
    )
    print(
        f"stored by triage:    all after {results['stored_s']:.2f}s "
        f"= {args.n / results['stored_s']:.0f}/s"
    )
    print(
        f"counted by reporting: all after {results['counted_s']:.2f}s "
        f"= {args.n / results['counted_s']:.0f}/s"
    )
    print(
        f"accept → stored ms: p50 {statistics.median(lat):.0f}  p95 {percentile(lat, 95):.0f}"
        f"  p99 {percentile(lat, 99):.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("-c", type=int, default=50, help="requests in flight")
    parser.add_argument("--triage", type=int, default=1, help="triage replicas")
    parser.add_argument("--rabbitmq", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--mongodb", default="mongodb://127.0.0.1:27018/?directConnection=true")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
