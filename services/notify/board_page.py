"""The public response board (papan tanggapan) as an HTML page, printable on A4: no scripts,
no external assets, every value escaped."""

from __future__ import annotations

import string
from collections.abc import Sequence
from datetime import datetime
from html import escape

from services.notify.domain.messages import kind_label, local_time_label
from services.notify.templates import PACKAGED
from shared.storage import Document

PAGE = string.Template((PACKAGED / "papan_tanggapan.html").read_text(encoding="utf-8"))


def render_board(
    clinic_name: str, clinic_code: str, timezone: str, entries: Sequence[Document], now: datetime
) -> str:
    items = "\n".join(_entry(entry, timezone) for entry in entries) or (
        '<p class="empty">Belum ada tanggapan yang dipublikasikan.</p>'
    )
    return PAGE.substitute(
        puskesmas=escape(clinic_name),
        tautan_cetak=f"/papan-tanggapan/{escape(clinic_code)}/cetak",
        entri=items,
        diperbarui=escape(local_time_label(now, timezone)),
    )


def _entry(entry: Document, timezone: str) -> str:
    meta = [
        kind_label(entry.get("kind")),
        f"No. {entry['tracking_number']}",
        f"diterima {local_time_label(entry['received_at'], timezone)[:10]}",
        f"dijawab {local_time_label(entry['responded_at'], timezone)[:10]}",
    ]
    if entry.get("unit"):
        meta.append(f"unit {entry['unit']}")
    return (
        "<article>"
        f'<p class="meta">{escape(" · ".join(meta))}</p>'
        f"<h2>{escape(kind_label(entry.get('kind')))}</h2>"
        f'<p class="text">{escape(entry["question"])}</p>'
        "<h2>Tanggapan</h2>"
        f'<p class="text">{escape(entry["reply"])}</p>'
        "</article>"
    )
