"""Print a service's AsyncAPI document (what `make docs` writes under docs/asyncapi/).

FastStream generates the document from the service's subscriber; the one queue carries several
event types, decoded by the registry rather than by the subscriber's signature, so the events
the service consumes (its payload, one of the event schemas) and the events it publishes to the
exchange (send operations) are added here from the registry and the topology themselves.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

from faststream.specification import AsyncAPI

from ops.event_docs import consumers_of, producer_of
from ops.routes import SERVICES
from shared.events import EVENT_MODELS
from shared.settings import Settings


def _schema_name(event_type: str, version: int) -> str:
    return f"{event_type}.v{version}"


def _event_schemas(doc: dict[str, Any], keys: list[tuple[str, int]]) -> list[dict[str, str]]:
    """Adds each event's JSON schema to the components; the references to them."""
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    refs = []
    for event_type, version in keys:
        schema = EVENT_MODELS[(event_type, version)].model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        schemas.update(schema.pop("$defs", {}))
        name = _schema_name(event_type, version)
        schemas[name] = schema
        refs.append({"$ref": f"#/components/schemas/{name}"})
    return refs


def _add_published(doc: dict[str, Any], service: str, exchange: str) -> None:
    published = sorted(key for key in EVENT_MODELS if producer_of(key[0]) == service)
    for (event_type, version), ref in zip(published, _event_schemas(doc, published), strict=True):
        name = f"{service}:publish:{event_type}"
        message = f"{name}:Message"
        doc["components"].setdefault("messages", {})[message] = {
            "title": event_type,
            "correlationId": {"location": "$message.header#/correlation_id"},
            "payload": ref,
        }
        doc["channels"][name] = {
            "address": event_type,
            "description": f"{event_type} v{version}, published to the {exchange} exchange.",
            "messages": {"Message": {"$ref": f"#/components/messages/{message}"}},
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "bindingVersion": "0.3.0",
                    "exchange": {"name": exchange, "type": "topic", "durable": True},
                }
            },
        }
        doc["operations"][name] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{name}"},
            "messages": [{"$ref": f"#/channels/{name}/messages/Message"}],
        }


def document(service: str) -> str:
    if service not in SERVICES:
        raise SystemExit(f"unknown service {service!r}; one of {', '.join(SERVICES)}")
    settings = Settings()
    module = importlib.import_module(f"services.{service}.main")
    app = module.create_app(settings)  # builds the broker's subscribers; connects nothing
    spec = AsyncAPI(*app.schema.brokers, title=f"SIGAP {service}", version="1")
    doc: dict[str, Any] = json.loads(spec.to_specification().to_json())
    consumed = sorted(key for key in EVENT_MODELS if service in consumers_of(key[0]))
    payload = f"{service}:events:Message:Payload"
    doc["components"]["schemas"][payload] = {
        "title": payload,
        "oneOf": _event_schemas(doc, consumed),
    }
    _add_published(doc, service, settings.exchange_name)
    return json.dumps(doc, indent=1, sort_keys=True)


if __name__ == "__main__":
    print(document(sys.argv[1]))
