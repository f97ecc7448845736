"""The Indonesian names staff read for a complaint's kind and channel (the codes of
shared.events.complaints), one table for the console and the reports."""

from __future__ import annotations

from typing import Final

KIND_LABELS: Final[dict[str, str]] = {
    "keluhan": "Keluhan",
    "saran": "Saran",
    "pujian": "Pujian",
    "pertanyaan": "Pertanyaan",
}
CHANNEL_LABELS: Final[dict[str, str]] = {
    "langsung": "Langsung",
    "telepon": "Telepon",
    "sms": "SMS",
    "whatsapp": "WhatsApp",
    "kotak_saran": "Kotak saran",
    "buku_keluhan": "Buku keluhan",
    "media_sosial": "Media sosial",
    "lokmin": "Lokmin",
    "web": "Web",
    "survei": "Survei",
}
