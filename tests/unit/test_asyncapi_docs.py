"""The AsyncAPI documents under docs/asyncapi/ are the ones the code generates today."""

from __future__ import annotations

from pathlib import Path

import pytest

from ops.asyncapi import document
from ops.routes import SERVICES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "asyncapi"


@pytest.mark.parametrize("service", SERVICES)
def test_published_asyncapi_document_is_current(service: str) -> None:
    published = (DOCS / f"{service}.json").read_text()
    assert published == document(service) + "\n", "run: make docs"
