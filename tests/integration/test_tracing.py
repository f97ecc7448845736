"""Tracing through the real broker: one trace from the HTTP request at intake to triage's
consumer (spans caught by an in-memory exporter), nothing installed without an endpoint, and
spans exported over OTLP/HTTP to a stand-in collector when one is configured."""

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


async def test_a_complaint_posted_over_http_is_one_trace_from_intake_to_triages_consumer(
    settings: Settings, amqp: object, mongo: object, exporter: InMemorySpanExporter
) -> None:
    traced = intake_settings(settings, otel_endpoint="http://collector.invalid:4318")
    await seed(traced)
    async with running_triage(traced) as triage:
        app = create_intake(traced)
        async with Running(app) as running:
            transport = httpx.ASGITransport(app=running.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
                reply = await client.post("/api/v1/complaints", json=complaint())
                assert reply.status_code == 202, reply.text
        # Triage stored it and published complaint.triaged; its consumer span ends right after.
        await triage.tap.wait_for("complaint.triaged")

        async def consumer_spans() -> list[ReadableSpan]:
            return [
                s
                for s in exporter.get_finished_spans()
                if service_of(s) == "sigap-triage" and s.kind is SpanKind.CONSUMER
            ]

        [consumed] = await eventually(consumer_spans, what="triage consumer span")

    spans = exporter.get_finished_spans()
    [request] = [s for s in spans if service_of(s) == "sigap-intake" and s.kind is SpanKind.SERVER]
    assert request.attributes is not None
    assert request.attributes.get("http.route") == "/api/v1/complaints"
    published = [
        s for s in spans if service_of(s) == "sigap-intake" and s.kind is SpanKind.PRODUCER
    ]
    assert published, "intake's publish has its own span"
    assert request.context is not None and consumed.context is not None
    trace_id = request.context.trace_id
    assert consumed.context.trace_id == trace_id
    assert all(s.context is not None and s.context.trace_id == trace_id for s in published)
    # Triage's own publishes (complaint.triaged, through the outbox) continue the same trace.
    triage_publishes = [
        s for s in spans if service_of(s) == "sigap-triage" and s.kind is SpanKind.PRODUCER
    ]
    assert triage_publishes
    assert {s.context.trace_id for s in triage_publishes if s.context} == {trace_id}


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
