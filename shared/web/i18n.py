"""Bahasa Indonesia first; English as the second language, chosen by a cookie."""

from __future__ import annotations

from fastapi import Request

LANG_COOKIE = "sigap_lang"
LANGUAGES = ("id", "en")

# Only the shared layout's words live here; pages keep their own text in their templates,
# written in Indonesian with `t('…')` lookups for the English switch.
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "Layanan Pengaduan Puskesmas": "Community Health Centre Feedback Service",
        "Lapor": "Report",
        "Lacak": "Track",
        "Survei": "Survey",
        "Papan Tanggapan": "Response Board",
        "Masuk": "Sign in",
        "Keluar": "Sign out",
        "Kirim": "Send",
        "Bahasa": "Language",
        "Wajib diisi": "Required",
        "Periksa isian yang ditandai.": "Please check the marked fields.",
        "Halaman tidak ditemukan": "Page not found",
        "Sesi formulir kedaluwarsa. Silakan kirim ulang.": "The form expired. Please send again.",
    }
}


def language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE, "id")
    return chosen if chosen in LANGUAGES else "id"


def translate(lang: str, text: str) -> str:
    return MESSAGES.get(lang, {}).get(text, text)
