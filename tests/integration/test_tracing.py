"""Tracing through the real broker: one trace from the HTTP request at intake through the
consumers of triage, notify and reporting (spans caught by an in-memory exporter), nothing
installed without an endpoint, and spans exported over OTLP/HTTP to a stand-in collector when
one is configured."""

from __future__ import annotations

import http.server
import threading
import uuid
from collections.abc import Iterator
from typing import ClassVar

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

import shared.tracing
from services.intake.main import create_app as create_intake
from services.notify.main import create_app as create_notify
from services.reporting.main import create_app as create_reporting
from shared.events import Actor, NotificationSent, NotificationSentData
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from tests.integration.test_intake_fixtures import intake_settings, seed
from tests.integration.test_intake_public import complaint
from tests.integration.triage_harness import running_triage
from tests.support.lifespan import Running
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


class SharedSpanProcessor(SimpleSpanProcessor):
    """Every service of the test exports to one memory; a service stopping must not close it."""

    def shutdown(self) -> None:
        pass


@pytest.fixture
def exporter(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    memory = InMemorySpanExporter()

    def in_memory(_settings: Settings) -> SpanProcessor:
        return SharedSpanProcessor(memory)

    monkeypatch.setattr(shared.tracing, "span_processor", in_memory)
    yield memory
    memory.clear()


def service_of(span: ReadableSpan) -> str:
    return str(span.resource.attributes["service.name"])


def consumer_spans(exporter: InMemorySpanExporter, service: str) -> list[ReadableSpan]:
    return [
        s
        for s in exporter.get_finished_spans()
        if service_of(s) == f"sigap-{service}" and s.kind is SpanKind.CONSUMER
    ]


async def test_a_complaint_posted_over_http_is_one_trace_through_every_consumer(
    settings: Settings, amqp: object, mongo: object, exporter: InMemorySpanExporter
) -> None:
    traced = intake_settings(settings, otel_endpoint="http://collector.invalid:4318")
    await seed(traced)
    async with (
        running_triage(traced) as triage,
        Running(create_notify(traced)),
        Running(create_reporting(traced)),
    ):
        app = create_intake(traced)
        async with Running(app) as running:
            transport = httpx.ASGITransport(app=running.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
                reply = await client.post("/api/v1/complaints", json=complaint())
                assert reply.status_code == 202, reply.text
        # Triage stored it and published complaint.triaged; its consumer span ends right after.
        await triage.tap.wait_for("complaint.triaged")
        [request] = [
            s
            for s in exporter.get_finished_spans()
            if service_of(s) == "sigap-intake" and s.kind is SpanKind.SERVER
        ]
        assert request.context is not None
        trace_id = request.context.trace_id

        def in_trace(spans: list[ReadableSpan]) -> list[ReadableSpan]:
            return [s for s in spans if s.context is not None and s.context.trace_id == trace_id]

        async def consumed_in_trace() -> dict[str, int]:
            return {
                service: len(in_trace(consumer_spans(exporter, service)))
                for service in ("triage", "notify", "reporting")
            }

        # Notify and reporting consume complaint.received (from intake) and complaint.triaged
        # (from triage's consumer): each of them is in the request's trace.
        await eventually(
            consumed_in_trace,
            until=lambda counts: (
                counts["triage"] >= 1 and counts["notify"] >= 2 and counts["reporting"] >= 2
            ),
            what="triage's, notify's and reporting's consumer spans in the request's trace",
        )

    spans = exporter.get_finished_spans()
    assert request.attributes is not None
    assert request.attributes.get("http.route") == "/api/v1/complaints"
    published = [
        s for s in spans if service_of(s) == "sigap-intake" and s.kind is SpanKind.PRODUCER
    ]
    assert published, "intake's publish has its own span"
    assert all(s.context is not None and s.context.trace_id == trace_id for s in published)
    # Triage's own publishes (complaint.triaged, through the outbox) continue the same trace.
    triage_publishes = [
        s for s in spans if service_of(s) == "sigap-triage" and s.kind is SpanKind.PRODUCER
    ]
    assert triage_publishes
    assert {s.context.trace_id for s in triage_publishes if s.context} == {trace_id}
    # Every consumer span of the complaint's two events hangs under a producer span of the trace.
    producers = {s.context.span_id for s in in_trace(list(spans)) if s.kind is SpanKind.PRODUCER}
    for service in ("triage", "notify", "reporting"):
        for span in in_trace(consumer_spans(exporter, service)):
            assert span.parent is not None and span.parent.span_id in producers, span.name


async def test_without_an_endpoint_nothing_is_traced_or_installed(
    settings: Settings, amqp: object, mongo: object, exporter: InMemorySpanExporter
) -> None:
    runtime = ServiceRuntime("notify", settings, consumes=False)
    assert runtime.tracer_provider is None
    names = [type(m).__name__ for m in runtime.broker.config.broker_middlewares]
    assert not any("Telemetry" in name for name in names), names
    app = runtime.asgi(title="untraced")
    async with Running(app) as running:
        transport = httpx.ASGITransport(app=running.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            assert (await client.get("/health")).status_code == 200
    assert exporter.get_finished_spans() == ()


class Collector(http.server.BaseHTTPRequestHandler):
    """A stand-in OpenTelemetry collector: keeps every OTLP/HTTP trace export it receives."""

    received: ClassVar[list[tuple[str, str, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Collector.received.append((self.path, self.headers["Content-Type"], body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()
        self.wfile.write(ExportTraceServiceResponse().SerializeToString())

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Collector.received.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def test_with_an_endpoint_spans_are_exported_over_otlp_http(
    settings: Settings, amqp: object, mongo: object, collector: str
) -> None:
    traced = Settings(**{**settings.model_dump(), "otel_endpoint": collector})
    runtime = ServiceRuntime("notify", traced, consumes=False)
    app = runtime.asgi(title="traced")
    async with Running(app):
        event = NotificationSent.create(
            NotificationSentData(
                notification_id=uuid.uuid4(),
                cause_event_id=uuid.uuid4(),
                channel="email",
                recipient_kind="reporter",
                recipient="s***@example.id",
                template="tanda_terima",
            ),
            district="banjarnegara",
            clinic="MDRJ1",
            actor=Actor.system("notify"),
            correlation_id=str(uuid.uuid4()),
        )
        await runtime.publisher.publish(event)
    # Stopping the service flushed its spans to the collector.
    [(path, content_type, body)] = Collector.received
    assert path == "/v1/traces"
    assert content_type == "application/x-protobuf"
    export = ExportTraceServiceRequest.FromString(body)
    [resource_spans] = export.resource_spans
    resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
    assert resource["service.name"] == "sigap-notify"
    names = {span.name for scope in resource_spans.scope_spans for span in scope.spans}
    assert f"{traced.exchange_name}.notification.sent publish" in names
