"""The public response board (papan tanggapan) as pages of the public portal: on screen in the
portal's layout, and printable on A4 (/cetak: style inline, no scripts, no external assets).

Jinja escapes every value. An entry shows only the public fields listed in ``BoardEntry``; the
text and reply were already scrubbed of names, phone numbers and e-mail addresses when the
entry was stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from fastapi import Request
from fastapi.responses import HTMLResponse

from services.notify.domain.messages import kind_label, local_time_label
from services.notify.templates import PACKAGED
from shared.directory import Clinic
from shared.storage import Document
from shared.web.pages import Pages


@dataclass(frozen=True)
class BoardEntry:
    kind: str
    tracking_number: str
    received: str
    responded: str
    unit: str | None
    question: str
    reply: str


def board_pages() -> Pages:
    return Pages("notify", PACKAGED)


def board_entries(entries: Sequence[Document], timezone: str) -> list[BoardEntry]:
    return [
        BoardEntry(
            kind=kind_label(entry.get("kind")),
            tracking_number=str(entry["tracking_number"]),
            received=_day(entry["received_at"], timezone),
            responded=_day(entry["responded_at"], timezone),
            unit=entry.get("unit"),
            question=str(entry["question"]),
            reply=str(entry["reply"]),
        )
        for entry in entries
    ]


def render_board(
    pages: Pages,
    request: Request,
    clinic: Clinic,
    entries: Sequence[Document],
    now: datetime,
    *,
    printable: bool,
) -> HTMLResponse:
    return pages.render(
        request,
        "papan_tanggapan_cetak.html" if printable else "papan_tanggapan.html",
        clinic=clinic,
        entries=board_entries(entries, clinic.timezone),
        updated=local_time_label(now, clinic.timezone),
    )


def _day(moment: datetime, timezone: str) -> str:
    return local_time_label(moment, timezone)[:10]
