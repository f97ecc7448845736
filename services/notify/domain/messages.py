"""Message texts: operator-editable templates filled with a complaint's values.

A template file is a title line (the e-mail subject), a blank line, and the body. Values are
written ``$nomor_tiket`` or ``${nomor_tiket}``; an unknown name stays as it is written, so a
typo in an edited template shows in the message instead of stopping every message.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

KIND_LABELS = {
    "keluhan": "Pengaduan",
    "saran": "Saran",
    "pujian": "Pujian",
    "pertanyaan": "Pertanyaan",
}
CHANNEL_LABELS = {
    "langsung": "tatap muka",
    "telepon": "telepon",
    "sms": "SMS",
    "whatsapp": "WhatsApp",
    "kotak_saran": "kotak saran",
    "buku_keluhan": "buku keluhan",
    "media_sosial": "media sosial",
    "lokmin": "lokakarya mini",
    "web": "formulir web",
    "survei": "survei",
}
# A WhatsApp template parameter may not hold newlines, tabs or more than 4 spaces in a row.
WHATSAPP_PARAMETER_MAX = 1024


@dataclass(frozen=True, slots=True)
class MessageTemplate:
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    title: str
    body: str


def parse_template(text: str) -> MessageTemplate:
    title, _, body = text.replace("\r\n", "\n").partition("\n")
    return MessageTemplate(title=title.strip(), body=body.strip("\n").rstrip())


def placeholders(template: MessageTemplate) -> set[str]:
    names: set[str] = set()
    for part in (template.title, template.body):
        for match in string.Template.pattern.finditer(part):
            name = match.group("named") or match.group("braced")
            if name:
                names.add(name)
    return names


def render(template: MessageTemplate, values: Mapping[str, object]) -> RenderedMessage:
    texts = {k: "" if v is None else str(v) for k, v in values.items()}
    return RenderedMessage(
        title=string.Template(template.title).safe_substitute(texts),
        body=string.Template(template.body).safe_substitute(texts),
    )


def single_line(text: str, limit: int = WHATSAPP_PARAMETER_MAX) -> str:
    """The text as one line, for a WhatsApp template parameter."""
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", "Aduan")


def channel_label(channel: str | None) -> str:
    return CHANNEL_LABELS.get(channel or "", channel or "-")


ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
DEADLINE_LABELS = {"triage": "verifikasi", "response": "tanggapan", "close": "penutupan"}


def local_time_label(moment: datetime, timezone: str) -> str:
    """A moment as the clinic reads it: "05-01-2026 14:30 WIB"."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%d-%m-%Y %H:%M} {ZONE_LABELS.get(timezone, timezone)}"
