"""The complainant's answer to the closing question "Apakah jawaban kami membantu? Balas YA
atau TIDAK." read from a short chat reply.

Only a short reply that starts with a yes or no word is an answer; anything else (a new
complaint, a question, a yes followed by a negation such as "sudah 2 minggu belum ada kabar")
is ordinary feedback and is handled as such.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["ANSWER_MAX_WORDS", "NO_WORDS", "YES_WORDS", "interpret_feedback_answer"]

ANSWER_MAX_WORDS: Final = 6
YES_WORDS: Final = frozenset({"ya", "iya", "y", "yes", "sudah", "membantu", "puas", "ok", "oke"})
NO_WORDS: Final = frozenset(
    {
        "tidak",
        "tdk",
        "tak",
        "gak",
        "ga",
        "nggak",
        "ngga",
        "enggak",
        "no",
        "n",
        "belum",
        "blm",
        "kurang",
    }
)


def interpret_feedback_answer(text: str) -> bool | None:
    """True for YA, False for TIDAK, None when the reply is neither."""
    words = re.findall(r"[a-z]+", text.casefold())
    if not words or len(words) > ANSWER_MAX_WORDS:
        return None
    if words[0] in NO_WORDS:
        return False
    if words[0] in YES_WORDS and not NO_WORDS.intersection(words[1:]):
        return True
    return None
