"""``sigap classify --json``: the triage classifier for other programs.

Reads one complaint text per line on standard input and writes one JSON object per line, in
the same order: ``{"category": ..., "unit": ..., "urgent": ..., "confidence": ...}``. A blank
line gets ``{"error": ...}`` in its place, so output line N always answers input line N.
"""

from __future__ import annotations

import json
from typing import TextIO

from services.triage.domain.classify import classify

BLANK_LINE = "baris kosong: tidak ada teks untuk diklasifikasi"


def run(stdin: TextIO, stdout: TextIO) -> int:
    for line in stdin:
        text = line.strip()
        if not text:
            answer: dict[str, object] = {"error": BLANK_LINE}
        else:
            result = classify(text)
            answer = {
                "category": result.category,
                "unit": result.unit,
                "urgent": result.urgent,
                "confidence": round(result.confidence, 4),
            }
        stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0
