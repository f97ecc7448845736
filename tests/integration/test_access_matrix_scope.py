"""Every staff JSON route of every service × every role × own clinic / other clinic of the
district / other district (and, for complaints, another unit of the own clinic), each call with
a valid request about a real object: the exact status derived from the permission table and
the scope rule (tests/support/access_cases.py). Lists hold nothing outside the caller's scope,
and the reporter's contact shows only to the roles that reply to them."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import aio_pika
import httpx
import openpyxl
import pytest
from pydantic import SecretStr

from services.triage.domain.complaint import Status
from shared.auth import Action, Principal, Role
from shared.events import encode
from shared.settings import Settings
from tests.integration.test_access_matrix import SERVICES, Route, codec, staff_routes
from tests.support.access_cases import CASES, Case
from tests.support.access_world import FOREIGN, OWN, SIBLING, Target, World, leaks
from tests.support.lifespan import Running
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration
UNREACHABLE = "http://127.0.0.1:9"  # no message may leave the test
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def matrix_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "whatsapp_api_base_url": UNREACHABLE,
            "whatsapp_access_token": SecretStr("wa-token"),
            "sms_api_base_url": UNREACHABLE,
            "smtp_host": "127.0.0.1",
            "smtp_port": 9,
            # A retried message stays queued: the sender does not run again during the test.
            "notify_sender_interval_seconds": 3600.0,
        }
    )


@pytest.fixture
async def world(settings: Settings, amqp: object, mongo: object) -> AsyncIterator[World]:
    world = World(matrix_settings(settings))
    await world.seed_accounts()
    try:
        yield world
    finally:
        await world.close()


async def feed_reporting(world: World, amqp: aio_pika.abc.AbstractRobustConnection) -> None:
    """One complaint per target clinic through the broker, folded into the reports."""
    events = [world.received(target) for target in (OWN, SIBLING, FOREIGN)]
    async with amqp.channel() as channel:
        exchange = await channel.get_exchange(world.settings.exchange_name)
        for event in events:
            await exchange.publish(aio_pika.Message(encode(event)), routing_key=event.type)
    facts = world.db("reporting")["complaint_facts"]
    await eventually(
        lambda: facts.count_documents({"tracking_number": {"$ne": None}}),
        until=lambda count: count >= len(events),
        what="reporting folded the complaints",
    )


async def seed_objects(world: World) -> None:
    """Something of every kind at every target, so that a leaking list shows it."""
    for target in (OWN, SIBLING, FOREIGN):
        await world.complaint(target, frozenset({Status.TRIAGED}))
        await world.failed_notification(target)


@dataclass
class Outcome:
    """What the matrix found: the wrong answers, and what it saw at all."""

    wrong: list[str] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)
    contact_seen_by: set[Role] = field(default_factory=set)


async def probe(
    client: httpx.AsyncClient,
    world: World,
    route: Route,
    case: Case,
    who: Principal,
    target: Target,
    outcome: Outcome,
) -> None:
    """One valid call about ``target`` as ``who``, checked against the derived status."""
    request = await case.prepare(world, target, who)
    # A fresh session per call: a permitted logout ends only its own.
    token = codec(world.settings).issue(who, timedelta(minutes=5))
    answer = await client.request(
        route.method,
        route.path.format(**(request.path or {})),
        params=request.params,
        json=request.json,
        headers={"authorization": f"Bearer {token}"},
    )
    want = case.expected(route.actions, who, target)
    outcome.statuses.add(answer.status_code)
    where = f"{route.method} {route.path} {case.variant} as {who.role} on {target.name}"
    if answer.status_code != want:
        outcome.wrong.append(f"{where}: {answer.status_code}, not {want}: {answer.text[:200]}")
        return
    if answer.status_code >= 300:
        return
    if leaked := leaks(readable_text(answer)):
        outcome.contact_seen_by.add(who.role)
        if not who.sees_identity:
            outcome.wrong.append(f"{where}: shows the reporter's {leaked}")
    if outside := case.outside_scope(who, _json(answer)):
        outcome.wrong.append(f"{where}: lists {len(outside)} item(s) outside its scope")


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_every_role_on_every_target_gets_exactly_the_status_the_tables_derive(
    service: str, world: World, amqp: aio_pika.abc.AbstractRobustConnection
) -> None:
    app = SERVICES[service](world.settings)
    outcome = Outcome()
    async with (
        Running(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app, raise_app_exceptions=False),
            base_url="http://sigap.test",
        ) as client,
    ):
        if service == "reporting":
            await feed_reporting(world, amqp)
        await seed_objects(world)
        for route in staff_routes(service, app):
            for case in CASES[route.key]:
                for who in world.principals.values():
                    for target in case.targets():
                        await probe(client, world, route, case, who, target, outcome)
    assert outcome.wrong == [], "\n".join(outcome.wrong)
    statuses = outcome.statuses
    assert {403, 404} <= statuses and any(s < 300 for s in statuses), statuses
    if service == "triage":  # the leak check can fail: the replying roles do see the contact
        replying = {r for r, who in world.principals.items() if who.may(Action.IDENTITY_READ)}
        assert outcome.contact_seen_by == replying == {Role.COMPLAINT_TEAM, Role.HEAD}


def readable_text(answer: httpx.Response) -> str:
    """What a person would read in the answer: a workbook's cells, or the text itself."""
    if answer.headers.get("content-type", "").startswith(XLSX):
        workbook = openpyxl.load_workbook(io.BytesIO(answer.content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return answer.text


def _json(answer: httpx.Response) -> Any:
    if answer.headers.get("content-type", "").startswith("application/json"):
        return answer.json()
    return None
