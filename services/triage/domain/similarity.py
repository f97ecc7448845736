"""Keywords of a complaint text, for search and for spotting possible duplicates.

Search cannot use a text index (SecantusDB has none), so every complaint keeps the set of its
normalised, stemmed words; a query is reduced the same way and matches complaints holding all
its words. The same sets compare two texts: a complainant who sends the same complaint twice
("antrian lama bgt" by WhatsApp, then "antriannya lamaaa" by SMS) shares most of its words.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.triage.domain.text_normalize import tokenize

DUPLICATE_WINDOW = timedelta(days=7)
DUPLICATE_SIMILARITY = 0.5  # share of words in common (Jaccard) that makes texts alike


def keywords(text: str) -> list[str]:
    """The distinct stemmed words of ``text``, sorted (numbers and "?" left out)."""
    return sorted({stem for stem in tokenize(text) if stem.isalpha() and len(stem) > 1})


def reporter_key(phone: str | None, email: str | None) -> str | None:
    """A stable pseudonym of the complainant's contact: the same person matches, the contact
    itself is not repeated in an index."""
    contact = phone or (email.strip().lower() if email else None)
    if not contact:
        return None
    return hashlib.sha256(contact.encode()).hexdigest()[:32]


def similarity(first: Iterable[str], second: Iterable[str]) -> float:
    """Jaccard similarity of two keyword sets, 0 (nothing shared) to 1 (the same words)."""
    a, b = set(first), set(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Earlier:
    """An earlier complaint of the same complainant, as the duplicate check sees it."""

    complaint_id: str
    received_at: datetime
    keywords: Sequence[str]


def possible_duplicate_of(
    words: Sequence[str], received_at: datetime, earlier: Iterable[Earlier]
) -> str | None:
    """The most similar earlier complaint received within the window before this one, if alike
    enough to show a person who may merge them."""
    best: tuple[float, str] | None = None
    for other in earlier:
        if not (received_at - DUPLICATE_WINDOW <= other.received_at <= received_at):
            continue
        score = similarity(words, other.keywords)
        if score >= DUPLICATE_SIMILARITY and (best is None or score > best[0]):
            best = (score, other.complaint_id)
    return best[1] if best else None
