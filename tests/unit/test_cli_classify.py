from __future__ import annotations

import json

from typer.testing import CliRunner

from ops.cli import app


def test_sigap_classify_json_prints_one_object_per_input_line() -> None:
    texts = "antrian lama bgt di pendaftaran\nobat di farmasi kosong terus\n"
    result = CliRunner().invoke(app, ["classify", "--json"], input=texts)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [row["category"] for row in rows] == ["waktu_tunggu", "obat_farmasi"]
    assert set(rows[0]) == {"category", "unit", "urgent", "confidence"}
