"""GET /metrics of the services, through the real broker and database: HTTP and broker metrics,
the business counters, the queue lag read at scrape time, and who may scrape."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import aio_pika
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from services.intake.main import create_app as create_intake
from shared.events import (
    Actor,
    NotificationFailed,
    NotificationFailedData,
    NotificationSent,
    NotificationSentData,
)
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from shared.topology import service_queues
from tests.integration.test_intake_fixtures import (  # noqa: F401 — the fixture
    Intake,
    intake_fixture,
    intake_settings,
    seed,
)
from tests.integration.test_intake_public import complaint
from tests.integration.triage_harness import running_triage
from tests.support.lifespan import Running
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """Sum of the samples of ``name`` whose labels include ``labels`` (0 when none)."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= ls)


async def scrape(client: httpx.AsyncClient) -> Samples:
    reply = await client.get("/metrics")
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith("text/plain")
    return parse(reply.text)


async def test_a_web_complaint_is_counted_by_channel_and_its_request_by_route(
    intake: Intake,
) -> None:
    reply = await intake.client.post("/api/v1/complaints", json=complaint())
    assert reply.status_code == 202, reply.text

    samples = await scrape(intake.client)

    assert value(samples, "sigap_complaints_received_total", channel="web", kind="keluhan") == 1
    assert value(samples, "sigap_complaints_received_total", channel="whatsapp") == 0
    assert value(samples, "sigap_events_published_total", type="complaint.received") == 1
    route = {"method": "POST", "route": "/api/v1/complaints", "status": "202"}
    assert value(samples, "sigap_http_requests_total", **route) == 1
    assert value(samples, "sigap_http_request_duration_seconds_count", method="POST") >= 1
    # FastStream's own middleware counted the confirmed publish.
    assert value(samples, "faststream_published_messages_total", status="success") >= 1


async def test_a_refused_complaint_is_not_counted(intake: Intake) -> None:
    reply = await intake.client.post("/api/v1/complaints", json=complaint(text=""))
    assert reply.status_code == 422

    samples = await scrape(intake.client)

    assert value(samples, "sigap_complaints_received_total") == 0
    route = {"route": "/api/v1/complaints", "status": "422"}
    assert value(samples, "sigap_http_requests_total", **route) == 1


async def test_metrics_are_refused_to_requests_that_came_through_the_public_proxy(
    intake: Intake,
) -> None:
    # nginx and ops.gateway always set X-Forwarded-For; Prometheus scrapes without a proxy.
    reply = await intake.client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert reply.status_code == 404
    assert "sigap_" not in reply.text


async def test_a_configured_scrape_token_is_required(settings: Settings, mongo: object) -> None:
    configured = intake_settings(settings, metrics_token="scrape-token-0123456789")
    await seed(configured)
    app = create_intake(configured)
    async with Running(app) as running:
        transport = httpx.ASGITransport(app=running.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            assert (await client.get("/metrics")).status_code == 401
            wrong = {"Authorization": "Bearer not-the-token"}
            assert (await client.get("/metrics", headers=wrong)).status_code == 401
            right = {"Authorization": "Bearer scrape-token-0123456789"}
            reply = await client.get("/metrics", headers=right)
            assert reply.status_code == 200
            assert "sigap_queue_messages_ready" in reply.text


async def test_queue_lag_reports_ready_messages_of_the_dead_letter_queue_at_scrape_time(
    intake: Intake, amqp: aio_pika.abc.AbstractRobustConnection
) -> None:
    queues = service_queues(intake.settings, "intake")
    channel = await amqp.channel()
    for n in range(3):
        message = aio_pika.Message(f'{{"n": {n}}}'.encode(), delivery_mode=2)
        await channel.default_exchange.publish(message, routing_key=queues.dead_letter.name)

    def lag(samples: Samples) -> float:
        return value(
            samples, "sigap_queue_messages_ready", queue=queues.dead_letter.name, role="dead_letter"
        )

    samples = await eventually(
        lambda: scrape(intake.client), until=lambda s: lag(s) == 3, what="dead-letter lag of 3"
    )
    assert value(samples, "sigap_queue_probe_success") == 1
    assert value(samples, "sigap_queue_consumers", queue=queues.main.name, role="main") >= 1
    retry_queues = {queue.name for queue in queues.retries}
    reported_retries = {
        dict(labels)["queue"]
        for (name, labels) in samples
        if name == "sigap_queue_messages_ready" and ("role", "retry") in labels
    }
    assert reported_retries == retry_queues
    await channel.close()


async def test_a_missed_deadline_is_counted_by_the_triage_process_that_raised_it(
    settings: Settings, amqp: object, mongo: object
) -> None:
    async with running_triage(settings) as triage:
        complaint_id = (await triage.receive()).data.complaint_id
        triage.clock.advance(timedelta(days=30))
        await triage.triage.scheduler.run_once()
        await triage.tap.wait_for("complaint.deadline_missed", complaint_id)

        samples = await scrape(triage.http)

    assert value(samples, "sigap_deadlines_missed_total") >= 1
    assert value(samples, "sigap_events_published_total", type="complaint.deadline_missed") >= 1
    # The consumer side: FastStream's middleware saw triage handle complaint.received (its
    # handler label is the exchange and routing key).
    handler = f"{settings.exchange_name}.complaint.received"
    assert value(samples, "faststream_received_messages_total", handler=handler) == 1


@pytest.fixture
async def notify_runtime(
    settings: Settings, amqp: object, mongo: object
) -> AsyncIterator[tuple[ServiceRuntime, httpx.AsyncClient]]:
    runtime = ServiceRuntime("notify", settings, consumes=False)
    app = runtime.asgi(title="notify metrics")
    async with Running(app) as running:
        transport = httpx.ASGITransport(app=running.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            yield runtime, client


def delivery(model: type[NotificationSent | NotificationFailed], channel: str) -> object:
    common = {
        "notification_id": uuid.uuid4(),
        "cause_event_id": uuid.uuid4(),
        "channel": channel,
        "recipient_kind": "reporter",
        "recipient": "+62812****678",
        "template": "tanda_terima",
    }
    data = (
        NotificationFailedData(**common, error="tidak terkonfigurasi", permanent=True, attempt=1)
        if model is NotificationFailed
        else NotificationSentData(**common)
    )
    return model.create(
        data,
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor.system("notify"),
        correlation_id=str(uuid.uuid4()),
    )


async def test_failed_notifications_are_counted_per_channel_and_sent_ones_are_not(
    notify_runtime: tuple[ServiceRuntime, httpx.AsyncClient],
) -> None:
    runtime, client = notify_runtime
    for model, channel in (
        (NotificationFailed, "whatsapp"),
        (NotificationFailed, "whatsapp"),
        (NotificationFailed, "sms"),
        (NotificationSent, "email"),
    ):
        await runtime.publisher.publish(delivery(model, channel))  # type: ignore[arg-type]

    samples = await scrape(client)

    failed = "sigap_notifications_failed_total"
    assert value(samples, failed, channel="whatsapp", permanent="true") == 2
    assert value(samples, failed, channel="sms") == 1
    assert value(samples, failed, channel="email") == 0
    assert value(samples, "sigap_events_published_total", type="notification.sent") == 1
    # A runtime without a queue of its own reports no lag.
    assert value(samples, "sigap_queue_messages_ready") == 0
