"""Keywords for search and the possible-duplicate check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.triage.domain.similarity import (
    Earlier,
    keywords,
    possible_duplicate_of,
    reporter_key,
    similarity,
)

NOW = datetime(2026, 3, 10, 9, tzinfo=UTC)


def test_chat_spelling_and_standard_spelling_give_the_same_keywords() -> None:
    chat = keywords("Antrian pendaftaran lama bgt, sdh 3 jam blm dipanggil")
    standard = keywords("antriannya lamaaa, sudah tiga jam belum dipanggil di pendaftaran")
    assert chat == standard
    assert "antri" in chat and "#" not in chat


def test_same_contact_gives_the_same_key_without_repeating_the_contact() -> None:
    key = reporter_key("+6281234567890", None)
    assert key == reporter_key("+6281234567890", "lain@contoh.id")
    assert key is not None and "6281234567890" not in key
    assert reporter_key(None, "Siti@Contoh.id ") == reporter_key(None, "siti@contoh.id")
    assert reporter_key(None, None) is None


def test_similarity_is_the_share_of_words_in_common() -> None:
    assert similarity(["a", "b"], ["a", "b"]) == 1.0
    assert similarity(["a", "b", "c"], ["a", "d"]) == 0.25
    assert similarity([], ["a"]) == 0.0


def test_similar_complaint_within_the_window_is_a_possible_duplicate() -> None:
    words = keywords("antrian lama sekali belum dipanggil")
    earlier = [
        Earlier("old", NOW - timedelta(days=30), words),
        Earlier("unrelated", NOW - timedelta(days=1), keywords("obat habis di apotek")),
        Earlier("recent", NOW - timedelta(days=2), keywords("antriannya lama, blm dipanggil")),
    ]
    assert possible_duplicate_of(words, NOW, earlier) == "recent"


def test_nothing_alike_or_nothing_recent_is_no_duplicate() -> None:
    words = keywords("antrian lama sekali")
    assert possible_duplicate_of(words, NOW, []) is None
    old = [Earlier("old", NOW - timedelta(days=8), words)]
    assert possible_duplicate_of(words, NOW, old) is None
    other = [Earlier("x", NOW - timedelta(hours=1), keywords("toilet kotor dan bau"))]
    assert possible_duplicate_of(words, NOW, other) is None
