"""Nothing lost, nothing doubled: complaints flow in over the public form and the WhatsApp and SMS
webhooks while each service is SIGKILLed mid-message and started again, the broker restarts and
the database is killed and restarted. At the end every accepted complaint is stored once, the
reports equal a recount, nothing waits outside a dead-letter queue, and replaying the dead-letter
queues with the operator's command reaches the same state."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field

import httpx
import pytest
from pymongo import AsyncMongoClient

from ops.dead_letters import replay_dead_letters
from shared.topology import SUBSCRIPTIONS
from tests.reliability.checks import (
    aggregate_mismatches,
    dead_letter_queues,
    missing,
    stored_complaints,
    wait_until_at_rest,
)
from tests.reliability.conftest import Stack, complaints_to_send
from tests.reliability.traffic import Ledger, Sender
from tests.support.waiting import eventually

pytestmark = [pytest.mark.integration, pytest.mark.reliability]

CONCURRENCY = 16
# Complaints sent during each fault, one every SPACING seconds from when it is armed.
DURING_FAULT = 40
SPACING = 0.3
READY_AFTER_FAULT_SECONDS = 600
# (share of the complaints accepted, what fails then)
FAULTS = (
    (0.10, "triage"),
    (0.20, "notify"),
    (0.30, "reporting"),
    (0.40, "intake"),
    (0.55, "rabbitmq"),
    (0.70, "database"),
)


@dataclass
class FaultDriver:
    """Injects each fault once its share of complaints is accepted. The next DURING_FAULT
    complaints trickle in while it happens; the rest wait until it is over, so that every
    fault hits a flow however long it takes on the machine at hand."""

    stack: Stack
    ledger: Ledger
    total: int
    armed: list[asyncio.Event] = field(default_factory=list)
    done: list[asyncio.Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.armed = [asyncio.Event() for _ in FAULTS]
        self.done = [asyncio.Event() for _ in FAULTS]

    async def gate(self, index: int) -> None:
        for (share, _), armed, finished in zip(FAULTS, self.armed, self.done, strict=True):
            first = share * self.total
            if index >= first + DURING_FAULT:
                await finished.wait()
            elif index >= first:
                # Sent while the fault happens, a few at a time, so that it hits a flow.
                await armed.wait()
                await asyncio.sleep((index - first) * SPACING)

    async def run(self) -> None:
        for (share, target), armed, finished in zip(FAULTS, self.armed, self.done, strict=True):
            await eventually(
                self._accepted,
                until=lambda count, share=share: count >= share * self.total,
                # Room for a slow machine: a stage's complaints at one a second, at least.
                timeout=max(600.0, self.total * 0.2),
                what=f"{share:.0%} of the complaints accepted",
            )
            started = time.monotonic()
            armed.set()
            if target in self.stack.services:
                # Intake is killed with requests in flight; a consumer with messages in hand.
                in_hand = 0 if target == "intake" else await self._in_hand(target)
                await asyncio.to_thread(self._kill_and_start, target)
                self.notes.append(f"{target} SIGKILLed with {in_hand} message(s) in hand")
            elif target == "rabbitmq":
                await asyncio.to_thread(self.stack.broker.restart)
            else:
                await asyncio.to_thread(self.stack.database.restart, self._until_dead_letter)
            # The services must find the broker and the database again by themselves (on a
            # loaded machine a backlog can keep a readiness probe waiting for minutes).
            for service in self.stack.services.values():
                await asyncio.to_thread(service.wait_ready, READY_AFTER_FAULT_SECONDS)
            self.notes.append(f"{target} back after {time.monotonic() - started:.1f}s")
            finished.set()

    def _until_dead_letter(self, timeout: float = 45.0) -> None:
        """Keep the database down until a message has failed every attempt (so that the
        dead-letter queues have something to replay), or ``timeout`` passed."""
        queues = dead_letter_queues(self.stack.settings).values()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            depths = self.stack.broker.queue_depths()  # a CLI call: paces the loop
            if any(sum(depths.get(queue, (0, 0))) for queue in queues):
                return

    async def _accepted(self) -> int:
        return self.ledger.accepted

    def _kill_and_start(self, target: str) -> None:
        service = self.stack.services[target]
        service.kill()
        service.start()

    async def _in_hand(self, service: str) -> int:
        """Messages delivered to ``service`` and not yet acknowledged, waiting a little for
        some, so that the kill cuts through messages being handled."""
        queue = f"{self.stack.settings.amqp_prefix}.{service}"

        async def unacknowledged() -> int:
            depths = await asyncio.to_thread(self.stack.broker.queue_depths)
            return depths.get(queue, (0, 0))[1]

        try:
            return await eventually(unacknowledged, timeout=8, interval=0, what="in hand")
        except AssertionError:
            return 0


async def send_all(stack: Stack, ledger: Ledger, driver: FaultDriver, total: int) -> None:
    semaphore = asyncio.Semaphore(CONCURRENCY)
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(
        base_url=stack.services["intake"].url, timeout=30, limits=limits
    ) as http:
        sender = Sender(http, ledger, give_up_after=600)

        async def one(index: int) -> None:
            await driver.gate(index)
            async with semaphore:
                await sender.send(index)

        await asyncio.gather(*(one(index) for index in range(total)))


async def dead_letter_sizes(stack: Stack) -> dict[str, int]:
    depths = await asyncio.to_thread(stack.broker.queue_depths)
    return {
        service: sum(depths.get(queue, (0, 0)))
        for service, queue in dead_letter_queues(stack.settings).items()
    }


async def test_no_complaint_is_lost_or_doubled_while_services_broker_and_database_restart(
    stack: Stack,
) -> None:
    total = complaints_to_send()
    ledger = Ledger()
    driver = FaultDriver(stack, ledger, total)
    started = time.monotonic()
    # One task group: a fault that fails (a service that does not come back, say) fails the
    # test at once instead of leaving the senders waiting for it to end.
    async with asyncio.TaskGroup() as flow:
        flow.create_task(driver.run())
        flow.create_task(send_all(stack, ledger, driver, total))
    flowed = time.monotonic() - started

    settings = stack.settings
    mongo: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
        settings.mongodb_url.get_secret_value(), tz_aware=True, uuidRepresentation="standard"
    )
    try:
        at_rest_timeout = 300 + total * 0.3
        await wait_until_at_rest(stack.broker, mongo, settings, at_rest_timeout)
        rested = time.monotonic() - started
        dead_before = await dead_letter_sizes(stack)
        replayed = {
            service: await replay_dead_letters(settings, service) for service in SUBSCRIPTIONS
        }
        await wait_until_at_rest(stack.broker, mongo, settings, at_rest_timeout)
        dead_after = await dead_letter_sizes(stack)
        stored = await stored_complaints(mongo, settings)
        mismatches = await aggregate_mismatches(mongo, settings, stored)
    finally:
        await mongo.close()

    duplicates = stored.duplicates(ledger)
    lost = missing(stored, ledger)
    counts = {
        "sent": total,
        "accepted": ledger.accepted,
        "accepted_web_202": len(ledger.web),
        "accepted_webhooks_200": len(ledger.webhooks),
        "attempts": ledger.attempts,
        "answers_lost": sum(ledger.lost_answers.values()),
        "refusals_and_errors": dict(ledger.statuses),
        "stored": stored.total,
        "missing": {k: len(v) for k, v in lost.items()},
        "duplicates": duplicates,
        "dead_letters_before_replay": dead_before,
        "replayed": replayed,
        "dead_letters_after_replay": dead_after,
        "aggregate_mismatches": len(mismatches),
        "restarts": {
            **{name: s.kills for name, s in stack.services.items()},
            "rabbitmq": stack.broker.restarts,
            "database": stack.database.restarts,
        },
        "faults": driver.notes,
        "seconds": {"flow": round(flowed), "at_rest": round(rested)},
    }
    print("\nreliability counts:", json.dumps(counts, indent=2))

    assert ledger.accepted == total
    assert lost == {"web": [], "webhooks": []}
    assert duplicates == {
        "tracking_number": 0,
        "provider_message_id": 0,
        "web_beyond_lost_answers": 0,
    }
    # Every dead letter the faults left was replayed by the operator's command, and applied.
    assert replayed == dead_before, (replayed, dead_before)
    assert all(size == 0 for size in dead_after.values()), dead_after
    assert mismatches == [], mismatches[:20]
    assert all(s.kills == 1 for s in stack.services.values())
    assert (stack.broker.restarts, stack.database.restarts) == (1, 1)
