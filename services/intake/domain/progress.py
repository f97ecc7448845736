"""What the complainant sees of their complaint's progress (the tracking page).

Intake keeps a small read model per tracking number, moved along by triage's events. This
table says which status each event leaves the complaint in and how it is named to the public.
"""

from __future__ import annotations

from typing import Final

__all__ = ["STATUS_AFTER", "STATUS_LABELS", "status_after", "status_label"]

STATUS_AFTER: Final[dict[str, str]] = {
    "complaint.triaged": "triaged",
    "complaint.plan_recorded": "planned",
    "complaint.progress_started": "in_progress",
    "complaint.escalated": "escalated",
    "complaint.waiting_reporter": "waiting_reporter",
    "complaint.reporter_replied": "in_progress",
    "complaint.responded": "responded",
    "complaint.closed": "closed",
    "complaint.reopened": "reopened",
    "complaint.rejected": "rejected",
}

STATUS_LABELS: Final[dict[str, str]] = {
    "received": "Diterima",
    "triaged": "Diverifikasi",
    "planned": "Rencana tindak lanjut dibuat",
    "in_progress": "Sedang ditindaklanjuti",
    "escalated": "Diteruskan ke Kepala Puskesmas",
    "waiting_reporter": "Menunggu keterangan dari Anda",
    "responded": "Sudah dijawab",
    "closed": "Selesai",
    "reopened": "Dibuka kembali",
    "rejected": "Tidak dapat diproses",
}


def status_after(event_type: str, automatic: bool = False) -> str | None:
    """The status an event leaves the complaint in, or None for events that change nothing.

    The automatic classification at receipt is no verification: until a person confirms it,
    the complainant still sees "Diterima".
    """
    if event_type == "complaint.triaged" and automatic:
        return None
    return STATUS_AFTER.get(event_type)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
