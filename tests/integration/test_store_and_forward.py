"""Store and forward for a clinic with a weak link: an intake node on its own broker keeps
accepting complaints while the link is cut, and RabbitMQ's dynamic shovels (set up by
deploy/edge/shovels.sh, the script an edge node runs) carry them to the district once it is
back — each one exactly once — where the district's portal tracks them with their PINs.

Two vhosts of the local broker stand for the two sites; the test creates and deletes them.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import aio_pika
import httpx
import pytest

from services.intake.main import create_app as create_intake
from shared.settings import Settings
from tests.integration.test_intake_fixtures import intake_settings, seed
from tests.integration.test_intake_public import complaint
from tests.integration.triage_harness import Harness, running_triage
from tests.support.infra import Infrastructure
from tests.support.lifespan import Running
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

SHOVELS = Path(__file__).resolve().parents[2] / "deploy" / "edge" / "shovels.sh"
FORWARDED = ("triage", "notify", "reporting")
UPLINKS = (*FORWARDED, "intake")


def rabbitmqctl(*args: str) -> str:
    done = subprocess.run(
        ["rabbitmqctl", "-q", *args], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


@dataclass(frozen=True)
class Sites:
    edge_url: str
    district_url: str
    edge_vhost: str
    uri_file: Path


@pytest.fixture
def sites(infra: Infrastructure, tmp_path: Path) -> Iterator[Sites]:
    if infra.kind != "local" or shutil.which("rabbitmqctl") is None:
        # Vhosts, a user and shovels are set with rabbitmqctl on the broker the tests use.
        pytest.fail("store and forward is tested on the local RabbitMQ with rabbitmqctl (.ci/run)")
    base = urlsplit(infra.rabbitmq_url)
    name = f"sigap-sf-{uuid.uuid4().hex[:8]}"
    urls = {}
    for site in ("edge", "district"):
        vhost = f"{name}-{site}"
        rabbitmqctl("add_vhost", vhost)
        rabbitmqctl("set_permissions", "-p", vhost, base.username or "guest", ".*", ".*", ".*")
        urls[site] = urlunsplit(base._replace(path="/" + quote(vhost, safe="")))
    # The clinic's own district user, with the permissions docs/operations.md gives it: it can
    # put messages into the three queues and do nothing else.
    clinic, password = f"{name}-clinic", uuid.uuid4().hex
    rabbitmqctl("add_user", clinic, password)
    rabbitmqctl(
        "set_permissions", "-p", f"{name}-district", clinic,
        r"^[^.]+\.(intake|triage|notify|reporting)$", r"^amq\.default$", "^$",
    )  # fmt: skip
    netloc = f"{clinic}:{password}@{base.hostname}:{base.port or 5672}"
    uri_file = tmp_path / "district_amqp_uri"  # a secret file at a real edge node
    uri_file.write_text(urlsplit(urls["district"])._replace(netloc=netloc).geturl())
    try:
        yield Sites(urls["edge"], urls["district"], f"{name}-edge", uri_file)
    finally:
        rabbitmqctl("delete_user", clinic)
        for site in ("edge", "district"):
            rabbitmqctl("delete_vhost", f"{name}-{site}")


async def shovels(sites: Sites, settings: Settings, action: str) -> None:
    """Run the edge node's own script against the edge vhost."""
    env = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "DISTRICT_URI_FILE": str(sites.uri_file),
        "EDGE_URI": sites.edge_url,
        "EDGE_VHOST": sites.edge_vhost,
        "SIGAP_AMQP_PREFIX": settings.amqp_prefix,
    }
    command = ["sh", str(SHOVELS), action]
    await asyncio.to_thread(subprocess.run, command, env=env, check=True, timeout=120)


def running_shovels(vhost: str) -> set[str]:
    status = json.loads(rabbitmqctl("shovel_status", "--formatter", "json") or "[]")
    return {s["name"] for s in status if s.get("vhost") == vhost and s.get("state") == "running"}


async def queue_depth(url: str, queue: str) -> int:
    connection = await aio_pika.connect(url)
    async with connection, connection.channel() as channel:
        declared = await channel.declare_queue(queue, passive=True)
        return int(declared.declaration_result.message_count or 0)


async def drain(url: str, queue: str) -> list[dict[str, Any]]:
    """Every message waiting in ``queue`` (taken off it), with its message id."""
    taken = []
    connection = await aio_pika.connect(url)
    async with connection, connection.channel() as channel:
        source = await channel.declare_queue(queue, passive=True)
        while (message := await source.get(fail=False)) is not None:
            await message.ack()
            taken.append({"message_id": message.message_id, **json.loads(message.body)})
    return taken


@dataclass
class EdgeNode:
    client: httpx.AsyncClient
    settings: Settings
    pins: dict[str, str]

    async def submit(self, text: str) -> str:
        reply = await self.client.post("/api/v1/complaints", json=complaint(text=text))
        assert reply.status_code == 202, reply.text  # accepted at the clinic, link or not
        receipt = reply.json()
        self.pins[receipt["tracking_number"]] = receipt["pin"]
        return str(receipt["tracking_number"])


@dataclass
class District:
    triage: Harness
    portal: httpx.AsyncClient  # the district's intake, where complainants track

    async def tracked(self, number: str, pin: str) -> dict[str, Any]:
        """The tracking view, once the edge's uplink brought the complaint here."""

        async def view() -> httpx.Response:
            return await self.portal.get(f"/api/v1/complaints/track/{number}", params={"pin": pin})

        answer = await eventually(
            view, until=lambda r: r.status_code == 200, what=f"{number} tracked at the district"
        )
        return dict(answer.json())


@pytest.fixture
async def district(settings: Settings, sites: Sites, mongo: object) -> AsyncIterator[District]:
    """Triage and intake at the district; notify and reporting are left unconsumed, to count
    arrivals."""
    at_district = Settings(**{**settings.model_dump(), "rabbitmq_url": sites.district_url})
    async with (
        running_triage(at_district) as triage,
        Running(create_intake(intake_settings(at_district))) as intake,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=intake.app), base_url="http://district"
        ) as portal,
    ):
        yield District(triage, portal)


@pytest.fixture
async def edge(settings: Settings, sites: Sites, district: District) -> AsyncIterator[EdgeNode]:
    """The clinic's intake node: its own broker and its own database."""
    local = intake_settings(
        settings,
        rabbitmq_url=sites.edge_url,
        mongodb_db_prefix=f"{settings.mongodb_db_prefix}_edge",
        edge_uplink=True,
    )
    await seed(local)
    app = create_intake(local)
    async with Running(app) as running:
        transport = httpx.ASGITransport(app=running.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://edge") as client:
            try:
                yield EdgeNode(client, local, {})
            finally:
                await shovels(sites, settings, "down")


async def test_complaints_accepted_while_the_link_is_cut_reach_the_district_exactly_once(
    settings: Settings, sites: Sites, district: District, edge: EdgeNode
) -> None:
    names = {f"sigap-uplink-{service}" for service in UPLINKS}
    prefix = settings.amqp_prefix

    # Link up: a complaint goes straight through.
    await shovels(sites, settings, "up")
    first = await edge.submit("Antrean pendaftaran lama sekali, sudah dua jam")
    await district.triage.tap.wait_for("complaint.triaged")

    # The link is cut: the clinic keeps accepting, and its complaints wait at the edge.
    await shovels(sites, settings, "down")
    await eventually(
        lambda: asyncio.to_thread(running_shovels, sites.edge_vhost),
        until=lambda running: not running,
        what="every shovel stopped",
    )
    offline = [await edge.submit(f"Obat di farmasi kosong, keluhan nomor {n}") for n in range(5)]
    for service in FORWARDED:
        assert await queue_depth(sites.edge_url, f"{prefix}.{service}") == len(offline)
    assert await queue_depth(sites.edge_url, f"{prefix}.uplink.intake") == len(offline)
    assert len(district.triage.tap.of("complaint.triaged")) == 1

    # The link is back.
    await shovels(sites, settings, "up")
    await eventually(
        lambda: asyncio.to_thread(running_shovels, sites.edge_vhost),
        until=lambda running: running == names,
        what="every shovel running",
    )
    triaged = await district.triage.tap.wait_for("complaint.triaged", count=1 + len(offline))

    expected = {first, *offline}
    assert {e["data"]["tracking_number"] for e in triaged} == expected
    for queue in (*(f"{prefix}.{s}" for s in FORWARDED), f"{prefix}.uplink.intake"):
        await eventually(
            lambda q=queue: queue_depth(sites.edge_url, q),  # type: ignore[misc]
            until=lambda depth: depth == 0,
            what=f"edge queue {queue} drained",
        )
    # Notify and reporting have no consumer here: what reached their district queues, once each.
    for service in ("notify", "reporting"):
        arrived = [
            m
            for m in await drain(sites.district_url, f"{prefix}.{service}")
            if m["type"] == "complaint.received"
        ]
        assert sorted(m["data"]["tracking_number"] for m in arrived) == sorted(expected)
        assert len({m["message_id"] for m in arrived}) == len(expected)
    # Triage stored each complaint once.
    stored = [
        await district.triage.triage.store.get_document(uuid.UUID(e["data"]["complaint_id"]))
        for e in triaged
    ]
    assert len({doc["tracking_number"] for doc in stored if doc}) == len(expected)
    # The district's portal tracks every one of them with the PIN the clinic gave on paper.
    for number in expected:
        view = await district.tracked(number, edge.pins[number])
        assert view["tracking_number"] == number and view["status_label"] == "Diterima"
        pin = edge.pins[number]
        other_pin = str((int(pin[0]) + 1) % 10) + pin[1:]
        wrong = await district.portal.get(
            f"/api/v1/complaints/track/{number}", params={"pin": other_pin}
        )
        assert wrong.status_code == 404
