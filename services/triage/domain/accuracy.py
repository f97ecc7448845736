"""How often people kept what the classifier suggested, measured on their confirmations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.triage.domain.values import TriageReview

FIELDS = ("kind", "category", "unit", "urgent")


@dataclass(frozen=True)
class Accuracy:
    """Share of reviewed suggestions a person kept, per field (None when nothing reviewed)."""

    reviewed: int
    kept: dict[str, float | None]


def accuracy(reviews: Iterable[TriageReview]) -> Accuracy:
    reviewed = 0
    corrected = dict.fromkeys(FIELDS, 0)
    for review in reviews:
        if review.suggested is None:
            continue  # nothing was suggested: nothing to measure
        reviewed += 1
        for name in review.corrected_fields:
            corrected[name] += 1
    kept = {
        name: (round(1 - corrected[name] / reviewed, 4) if reviewed else None) for name in FIELDS
    }
    return Accuracy(reviewed, kept)
