"""Print a service's AsyncAPI document (what `make docs` writes under docs/asyncapi/)."""

from __future__ import annotations

import importlib
import sys

from faststream.specification import AsyncAPI

from ops.routes import SERVICES
from shared.settings import Settings


def document(service: str) -> str:
    if service not in SERVICES:
        raise SystemExit(f"unknown service {service!r}; one of {', '.join(SERVICES)}")
    module = importlib.import_module(f"services.{service}.main")
    app = module.create_app(Settings())  # builds the broker's subscribers; connects nothing
    spec = AsyncAPI(*app.schema.brokers, title=f"SIGAP {service}", version="1")
    return str(spec.to_specification().to_json())


if __name__ == "__main__":
    print(document(sys.argv[1]))
