"""Write docs/events.md: every event, its producer, its consumers and its schema version, from
the registry and the topology themselves (`python -m ops.event_docs > docs/events.md`)."""

from __future__ import annotations

import sys
from typing import Any

from pydantic import BaseModel

from shared.events import EVENT_MODELS
from shared.topology import SUBSCRIPTIONS, UPLINK_BINDINGS

# Which service publishes each event (by type prefix where the whole family has one producer).
PRODUCERS: dict[str, str] = {
    "complaint.received": "intake",
    "survey.submitted": "intake",
    "notification.delivery_updated": "intake",
    "reporter.opted_out": "intake",
    "complaint.reporter_replied": "intake",
    "complaint.feedback_received": "intake",
    "notification.sent": "notify",
    "notification.failed": "notify",
    "complaint.": "triage",
}

GUIDE = """
## Evolving a schema without breaking consumers

- Adding an optional field (with a default) is compatible: keep `schema_version`, consumers that
  do not know the field ignore nothing — models refuse unknown fields, so deploy consumers first,
  then the producer.
- Anything else (renaming, removing, changing a type or a meaning) is a new version: add a new
  model with `schema_version: Literal[2]` beside the old one and register both. Consumers accept
  both until no producer sends version 1 and no version-1 message is left in any queue or
  dead-letter queue; then remove the old model.
- A message whose type and version no model knows is refused at once into the consumer's
  dead-letter queue (never retried), where an operator can inspect and replay it.
"""


def producer_of(event_type: str) -> str:
    if event_type in PRODUCERS:
        return PRODUCERS[event_type]
    return next(p for prefix, p in PRODUCERS.items() if event_type.startswith(prefix))


def consumers_of(event_type: str) -> list[str]:
    def matches(pattern: str) -> bool:
        head, _, tail = pattern.partition(".")
        key_head, _, key_tail = event_type.partition(".")
        return head == key_head and tail in ("*", "#", key_tail)

    bound = [s for s, patterns in SUBSCRIPTIONS.items() if any(matches(p) for p in patterns)]
    # A clinic edge node's uplink brings these into the district's intake queue.
    uplinked = "intake" not in bound and any(matches(p) for p in UPLINK_BINDINGS)
    return [*bound, "intake"] if uplinked else bound


def _fields(model: type[BaseModel]) -> list[str]:
    rows = []
    for name, info in model.model_fields.items():
        annotation: Any = info.annotation
        text = getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")
        rows.append(f"`{name}` ({text}{'' if info.is_required() else ', optional'})")
    return rows


def render() -> str:
    lines = [
        "# Events",
        "",
        "Generated from `shared/events` and `shared/topology.py` by `python -m ops.event_docs`;",
        "a test checks that this page is current. Every event travels in the same envelope:",
        "`event_id`, `type` (also the routing key), `schema_version`, `occurred_at` (UTC),",
        "`district`, `clinic`, `correlation_id`, `causation_id`, `actor`, `data`.",
        "",
        "| event | version | producer | consumers |",
        "|---|---|---|---|",
    ]
    models = sorted(EVENT_MODELS.items())
    for (event_type, version), _model in models:
        consumers = ", ".join(consumers_of(event_type)) or "—"
        if event_type in UPLINK_BINDINGS:
            consumers = consumers.replace("intake", "intake (from edge nodes)")
        lines.append(f"| `{event_type}` | {version} | {producer_of(event_type)} | {consumers} |")
    lines.append("")
    for (event_type, version), model in models:
        data_model = model.model_fields["data"].annotation
        lines += [f"### `{event_type}` v{version}", ""]
        if isinstance(data_model, type) and issubclass(data_model, BaseModel):
            lines += [f"- {row}" for row in _fields(data_model)]
        lines.append("")
    return "\n".join(lines) + GUIDE


if __name__ == "__main__":
    sys.stdout.write(render())
