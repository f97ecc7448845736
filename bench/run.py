"""`make bench`: SIGAP against the limits of its own broker and database, in one run.

(a) the raw limits (bench.broker_limit); (b) the pipeline end to end at a fixed concurrency
(bench.pipeline) and its ratio to (a); (c) the same with 2 and 3 triage replicas; the latency at
a fixed 200 complaints/s and at half the throughput of (b); (d) the intake endpoint alone under
wrk (bench.intake_alone). Prints the report and writes it into docs/benchmarks.md between the
`bench:begin`/`bench:end` markers, with the machine it ran on. `--quick` is the same in a few
minutes, with fewer complaints.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

from bench import broker_limit, intake_alone, pipeline
from bench.infra import database, machine
from bench.pipeline import Result, percentile, spread

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
TARGET_RATE = 200.0  # complaints/s at which p99 accept → stored must stay under 100 ms
PROFILED = ("reporting", "triage-0", "intake")


@dataclass(frozen=True)
class Plan:
    n: int  # complaints per pipeline run
    concurrency: int
    limit_n: int  # messages for the raw limits
    rate_seconds: int  # length of the fixed-rate runs
    intake_seconds: int


FULL = Plan(n=2000, concurrency=50, limit_n=5000, rate_seconds=20, intake_seconds=20)
QUICK = Plan(n=400, concurrency=50, limit_n=2000, rate_seconds=5, intake_seconds=10)


@dataclass
class Report:
    machine: dict[str, str]
    limits: dict[str, float]
    replicas: dict[int, Result]
    at_target: Result
    at_half: Result
    alone: intake_alone.Load
    plan: Plan


async def measure(rabbitmq: str, mongodb: str, plan: Plan) -> Report:
    about = await machine(rabbitmq)
    print("(a) raw limits…", flush=True)
    limits = await broker_limit.limits(rabbitmq, mongodb, plan.limit_n)
    replicas: dict[int, Result] = {}
    for triage in (1, 2, 3):
        print(f"(b/c) pipeline, triage × {triage}…", flush=True)
        profile = PROFILED if triage == 1 else ()
        replicas[triage] = await pipeline.run(
            rabbitmq, mongodb, plan.n, plan.concurrency, triage, profile=profile
        )
        print(pipeline.describe(replicas[triage]), flush=True)
    rates: list[Result] = []
    for rate in (TARGET_RATE, max(5.0, round(replicas[1].throughput / 2))):
        print(f"latency at {rate:.0f} complaints/s…", flush=True)
        n = int(rate * plan.rate_seconds)
        rates.append(await pipeline.run(rabbitmq, mongodb, n, 1000, 1, rate=rate))
        print(pipeline.describe(rates[-1]), flush=True)
    print("(d) intake alone under wrk…", flush=True)
    alone = await intake_alone.run(rabbitmq, mongodb, plan.concurrency, plan.intake_seconds, True)
    about["load"] += " → " + " ".join(f"{v:.1f}" for v in os.getloadavg())
    return Report(about, limits, replicas, rates[0], rates[1], alone, plan)


def _row(label: str, r: Result) -> str:
    return (
        f"| {label} | {r.accepted}/{r.n} | {r.accepted / r.post_s:,.0f}/s "
        f"| {r.accepted / r.stored_s:,.0f}/s | {r.throughput:,.0f}/s "
        f"| {spread(r.stored_ms)} | {spread(r.counted_ms)} |"
    )


def goals(report: Report) -> list[str]:
    broker = report.limits["publish, 1,000 confirms in flight"]
    one, two, three = (report.replicas[k].throughput for k in (1, 2, 3))
    p99 = percentile(report.at_target.stored_ms, 99)
    reached = report.at_target.accepted / report.at_target.counted_s
    grows = two > one * 1.05 and three > two * 1.05

    def mark(ok: bool) -> str:
        return "met" if ok else "**missed**"

    return [
        f"- Pipeline ≥ half the raw broker limit: {one:,.0f} vs {broker / 2:,.0f} complaints/s "
        f"(ratio {one / broker:.3f}) — {mark(one >= broker / 2)}.",
        f"- p99 accept → stored < 100 ms at {TARGET_RATE:.0f} complaints/s: {p99:,.0f} ms "
        f"(the system kept up with {reached:,.0f}/s) — {mark(p99 < 100 and reached >= 190)}.",
        f"- Throughput grows with triage replicas: {one:,.0f} → {two:,.0f} → {three:,.0f}/s "
        f"— {mark(grows)}.",
    ]


def render(report: Report, argv: str) -> str:
    m, plan = report.machine, report.plan
    lines = [
        BEGIN,
        f"Measured by `{argv}` on {m['date']}.",
        "",
        f"Machine: {m['cpu']}, {m['memory']} RAM, {m['system']}; Python {m['python']}; "
        f"RabbitMQ {m['rabbitmq']}; {m['packages']}. Load average {m['load']} (1-minute, "
        "at the start → at the end; the machine is shared, so read figures as ratios).",
        "",
        f"**(a) The limit** ({broker_limit.sample_size()}-byte `complaint.received` messages, "
        f"quorum queue, {plan.limit_n:,} messages):",
        "",
        "| what | rate |",
        "|---|---:|",
        *(f"| {what} | {rate:,.0f}/s |" for what, rate in report.limits.items()),
        "",
        f"**(b, c) SIGAP end to end**: {plan.n:,} complaints posted at concurrency "
        f"{plan.concurrency}, until each is stored by triage and counted by reporting "
        "(latencies in ms, p50 / p95 / p99):",
        "",
        "| run | accepted | accept rate | stored | counted (throughput) "
        "| accept → stored | accept → counted |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(_row(f"triage × {k}", r) for k, r in report.replicas.items()),
        _row(f"fixed {report.at_target.rate:.0f}/s, triage × 1", report.at_target),
        _row(f"fixed {report.at_half.rate:.0f}/s, triage × 1", report.at_half),
        "",
        "Ratio (b)/(a): "
        f"{report.replicas[1].throughput / report.limits['publish, 1,000 confirms in flight']:.3f}"
        " of the broker's publish limit.",
        "",
        "CPU per complaint, by process (ms, from /proc; triage × 1):",
        "",
        "| " + " | ".join(report.replicas[1].cpu_ms) + " |",
        "|" + "---:|" * len(report.replicas[1].cpu_ms),
        "| " + " | ".join(f"{v:.1f}" for v in report.replicas[1].cpu_ms.values()) + " |",
        "",
        "Database operations per complaint (server counters; triage × 1): "
        + ", ".join(f"{k} {v:.1f}" for k, v in report.replicas[1].db_ops.items())
        + ".",
        "",
        f"**(d) Intake alone** under wrk, {plan.concurrency} connections, "
        f"{plan.intake_seconds} s: {report.alone.rate:,.0f} requests/s "
        f"({report.alone.non_2xx} not 2xx); latency "
        + ", ".join(f"{k} {v:,.0f} ms" for k, v in report.alone.percentiles_ms.items())
        + "; CPU per request "
        + ", ".join(f"{k} {v:.1f} ms" for k, v in report.alone.cpu_ms.items())
        + ".",
        "",
        "**Goals**",
        "",
        *goals(report),
        "",
        "Profiles (py-spy, 100 samples/s of each process's active threads, first 20 s of the "
        "triage × 1 run; under CPU contention a waiting thread counts as active):",
        "",
    ]
    profiles = {**report.replicas[1].profiles, "intake alone": report.alone.profile}
    for name, text in profiles.items():
        lines += [f"<details><summary>{name}</summary>", "", "```", text, "```", "</details>", ""]
    lines.append(END)
    return "\n".join(lines)


def write_docs(section: str) -> None:
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        text = before + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Latest `make bench`\n\n" + section + "\n"
    DOCS.write_text(text)


async def main_async(args: argparse.Namespace) -> None:
    plan = QUICK if args.quick else FULL
    with database(args.mongodb) as mongodb:
        report = await measure(args.rabbitmq, mongodb, plan)
    section = render(report, "make bench" + (" BENCH_ARGS=--quick" if args.quick else ""))
    print(section)
    if not args.no_docs:
        write_docs(section)
        print(f"written to {DOCS}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer complaints, a few minutes")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    parser.add_argument("--rabbitmq", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--mongodb", default=None, help="default: :27018, else started here")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
