"""OpenTelemetry tracing, on only when SIGAP_OTEL_ENDPOINT names an OTLP/HTTP collector.

One trace follows a complaint from the HTTP request at intake through every consumer: the
FastAPI instrumentation opens the server span, FastStream's telemetry middleware puts the trace
context into the headers of each published message and continues it in the consumer, and a
consumer's own publishes (through the outbox, inside the handler) carry it on. With the
endpoint empty nothing is installed: no middleware, no span, no exporter thread.

Each service gets its own tracer provider (never the global one), so several services can run
in one process, as the integration tests do.
"""

from __future__ import annotations

from fastapi import FastAPI
from faststream.rabbit import RabbitBroker
from faststream.rabbit.opentelemetry import RabbitTelemetryMiddleware
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

from shared.settings import Settings

# Probes and scrapes would drown the traces that matter.
UNTRACED_PATHS = "/health,/ready,/metrics"


def span_processor(settings: Settings) -> SpanProcessor:
    """Where finished spans go: batched to the OTLP/HTTP collector."""
    endpoint = settings.otel_endpoint.rstrip("/") + "/v1/traces"
    return BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint))


def tracer_provider(settings: Settings, service: str) -> TracerProvider | None:
    """The service's tracer provider, or None when tracing is not configured."""
    if not settings.otel_endpoint:
        return None
    resource = Resource.create(
        {
            "service.name": f"sigap-{service}",
            "service.namespace": "sigap",
            "deployment.environment": settings.environment,
        }
    )
    # ParentBased: a consumer follows the producer's decision, so a trace is whole or absent.
    sampler = ParentBased(TraceIdRatioBased(settings.otel_sample_ratio))
    provider = TracerProvider(resource=resource, sampler=sampler)
    provider.add_span_processor(span_processor(settings))
    return provider


def instrument_broker(broker: RabbitBroker, provider: TracerProvider) -> None:
    """Outermost middleware: the consumer span encloses retries, metrics and the handler."""
    broker.insert_middleware(RabbitTelemetryMiddleware(tracer_provider=provider))


def instrument_http(api: FastAPI, provider: TracerProvider) -> None:
    FastAPIInstrumentor.instrument_app(
        api,
        tracer_provider=provider,
        excluded_urls=UNTRACED_PATHS,
        exclude_spans=["receive", "send"],
    )
