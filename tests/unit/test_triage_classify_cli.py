"""``sigap classify --json``: one text per input line, one JSON object per output line."""

from __future__ import annotations

import io
import json

from services.triage.classify_cli import run


def test_each_line_gets_category_unit_urgency_and_confidence_in_order() -> None:
    stdin = io.StringIO("Antrian pendaftaran lama bgt\n\nObat di apotek habis terus\n")
    stdout = io.StringIO()
    assert run(stdin, stdout) == 0
    first, blank, second = (json.loads(line) for line in stdout.getvalue().splitlines())
    assert (first["category"], first["unit"]) == ("waktu_tunggu", "pendaftaran")
    assert set(first) == {"category", "unit", "urgent", "confidence"}
    assert isinstance(first["urgent"], bool) and 0 <= first["confidence"] <= 1
    assert "error" in blank
    assert second["unit"] == "farmasi"


def test_empty_input_prints_nothing() -> None:
    stdout = io.StringIO()
    assert run(io.StringIO(""), stdout) == 0
    assert stdout.getvalue() == ""
