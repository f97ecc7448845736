"""The intake endpoint alone under a load generator: `wrk` (installed from Debian when missing
and possible) posts the public complaint form to intake — with its database and broker, but no
consumer — for a fixed time at a fixed number of connections. Reports requests/s, latency
percentiles and intake's (and the database's) CPU per request; with --profile, py-spy samples
intake meanwhile.

Run: `python -m bench.intake_alone -c 50 -d 20`.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.infra import cpu_seconds, database, database_pid, remove_run, stack
from bench.profiles import start_recording, summarise
from ops.seed import seed_demo

SCRIPT = Path(__file__).with_name("submit.lua")
PORT = 8221


@dataclass
class Load:
    requests: int = 0
    seconds: float = 0.0
    non_2xx: int = 0
    percentiles_ms: dict[str, float] = field(default_factory=dict)
    cpu_ms: dict[str, float] = field(default_factory=dict)  # per request
    profile: str = ""
    tool: str = "wrk"

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_wrk() -> str | None:
    if shutil.which("wrk") is None and shutil.which("apt-get") is not None:
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"], capture_output=True, check=False, timeout=300
        )
    return shutil.which("wrk")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse_wrk(output: str, load: Load) -> None:
    for percent, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.M):
        load.percentiles_ms[f"p{percent}"] = _ms(value)
    done = re.search(r"(\d+) requests in ([\d.]+)(\w+)", output)
    if done:
        load.requests = int(done[1])
        load.seconds = _ms(f"{done[2]}{done[3]}") / 1000
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    load.non_2xx = int(refused[1]) if refused else 0


def run_wrk(wrk: str, connections: int, seconds: int) -> str:
    url = f"http://127.0.0.1:{PORT}/api/v1/complaints"
    argv = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    return subprocess.run(
        [*argv, "-s", str(SCRIPT), url], capture_output=True, text=True, check=True
    ).stdout


async def run(
    rabbitmq: str, mongodb: str, connections: int, seconds: int, profile: bool = False
) -> Load:
    wrk = ensure_wrk()
    if wrk is None:
        raise SystemExit("wrk is not installed and could not be installed (apt-get install wrk)")
    s = stack(rabbitmq, mongodb)
    await seed_demo(s.settings)
    s.start("intake", "intake", PORT)
    load = Load()
    try:
        s.wait_ready()
        run_wrk(wrk, connections, 3)  # warm up: connections, caches, the first batches
        pids = {"intake": s.pids()["intake"]}
        if (db := database_pid(mongodb)) is not None:
            pids["database"] = db
        raw = Path(f"/tmp/sigap-bench-intake-{PORT}.raw")
        recorder = start_recording(pids["intake"], seconds, raw) if profile else None
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        output = await asyncio.to_thread(run_wrk, wrk, connections, seconds)
        parse_wrk(output, load)
        load.cpu_ms = {
            name: (cpu_seconds(pid) - before[name]) * 1000 / max(load.requests, 1)
            for name, pid in pids.items()
        }
        if recorder is not None:
            await asyncio.to_thread(recorder.wait, 120)
            load.profile = await asyncio.to_thread(summarise, raw)
    finally:
        s.stop()
        await remove_run(s.settings)
    return load


def describe(load: Load, connections: int) -> str:
    pcts = "  ".join(f"{k} {v:,.0f} ms" for k, v in load.percentiles_ms.items())
    cpu = ", ".join(f"{name} {ms:.1f}" for name, ms in load.cpu_ms.items())
    return (
        f"{load.tool}, {connections} connections: {load.requests} requests in "
        f"{load.seconds:.1f}s = {load.rate:,.0f}/s ({load.non_2xx} not 2xx)\n"
        f"latency {pcts}\nCPU ms per request: {cpu}"
    )


async def main_async(args: argparse.Namespace) -> None:
    with database(args.mongodb) as mongodb:
        load = await run(args.rabbitmq, mongodb, args.c, args.d, args.profile)
    print(describe(load, args.c))
    if load.profile:
        print(load.profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", type=int, default=50, help="connections")
    parser.add_argument("-d", type=int, default=20, help="seconds")
    parser.add_argument("--profile", action="store_true", help="py-spy intake meanwhile")
    parser.add_argument("--rabbitmq", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--mongodb", default=None, help="default: :27018, else started here")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
