from __future__ import annotations

from pathlib import Path

from ops.event_docs import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def test_event_documentation_is_current() -> None:
    assert DOC.read_text() == render(), "run: python -m ops.event_docs > docs/events.md"
