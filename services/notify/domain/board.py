"""The public response board (papan tanggapan): which answers go on it, and how the texts are
stripped of anything that identifies a person before they are shown to everyone."""

from __future__ import annotations

import re
from collections.abc import Iterable

PHONE_MARK = "[nomor disamarkan]"
EMAIL_MARK = "[email disamarkan]"
NAME_MARK = "[nama disamarkan]"
# What an entry shows of the complaint's triage, kept current when it changes after the answer.
BOARD_FIELDS = ("category", "unit")
# Anything that looks like a phone number: 8+ digits, allowing +, spaces, dots and dashes.
_PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d\s().\-]{6,}\d(?![\w])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+\s*(?:@|\(at\)|\[at\])\s*[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_NAME_WORD = r"[A-Z][a-zA-Z'’.\-]+"
# "nama saya Siti Aminah", "saya Budi", "atas nama Budi", "Bu Siti", "Pak Budi Santoso"…
_INTRODUCED_NAME = re.compile(
    r"(?i:\b(nama\s+saya|saya\s+bernama|nama\s+sy|atas\s+nama|a\.?\s?n\.)\s+)"
    rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})"
)
_TITLED_NAME = re.compile(
    r"\b((?i:bapak|ibu|bpk|pak|bu|sdr|sdri|saudara|saudari|mas|mbak|kak|dr|ny|tn)\.?\s+)"
    rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
)
# Capitalised words after a title that are not names but the start of a sentence or a unit.
_NOT_NAMES = frozenset(
    {"Kepala", "Dokter", "Bidan", "Perawat", "Petugas", "Poli", "Yang", "Dan", "Di", "Ke"}
)


def belongs_on_board(identity: str, source_channel: str, publish_on_board: bool) -> bool:
    """Anonymous feedback and the suggestion box can only be answered here (SPEC §3); any
    other answer only when the clinic chooses to publish it."""
    return identity == "anonim" or source_channel == "kotak_saran" or publish_on_board


def scrub(text: str, known_names: Iterable[str] = ()) -> str:
    """The text with e-mail addresses, phone numbers and personal names replaced."""
    text = _EMAIL.sub(EMAIL_MARK, text)
    text = _PHONE.sub(_phone_mark, text)
    for name in sorted({n.strip() for n in known_names if n and n.strip()}, key=len, reverse=True):
        text = _remove_name(text, name)
    text = _INTRODUCED_NAME.sub(lambda m: m.group(1) + " " + NAME_MARK, text)
    return _TITLED_NAME.sub(_titled, text)


def _phone_mark(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    # Dates ("12-01-2026") and amounts stay: a phone number has at least 8 digits.
    return PHONE_MARK if len(digits) >= 8 and not _looks_like_date(match.group(0)) else match[0]


def _looks_like_date(text: str) -> bool:
    return re.fullmatch(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}", text.strip()) is not None


def _remove_name(text: str, name: str) -> str:
    """The whole name, then each of its words of 3+ letters (people repeat a first name)."""
    text = re.sub(rf"(?i)\b{re.escape(name)}\b", NAME_MARK, text)
    for word in name.split():
        if len(word) >= 3:
            text = re.sub(rf"(?i)\b{re.escape(word)}\b", NAME_MARK, text)
    return re.sub(rf"{re.escape(NAME_MARK)}(\s+{re.escape(NAME_MARK)})+", NAME_MARK, text)


def _titled(match: re.Match[str]) -> str:
    title, name = match.group(1), match.group(2)
    first = name.split()[0]
    return match.group(0) if first in _NOT_NAMES else title + NAME_MARK
