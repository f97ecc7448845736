"""The public board never shows who complained: names, phone numbers and e-mails removed."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from services.notify.domain.board import belongs_on_board, scrub


def test_anonymous_box_and_chosen_answers_go_on_the_board_others_do_not() -> None:
    assert belongs_on_board("anonim", "web", False)
    assert belongs_on_board("biasa", "kotak_saran", False)
    assert belongs_on_board("biasa", "whatsapp", True)
    assert not belongs_on_board("biasa", "whatsapp", False)
    assert not belongs_on_board("rahasia", "sms", False)


def test_phone_numbers_in_every_usual_spelling_are_removed() -> None:
    for phone in (
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "+6281234567890",
        "+62 812 3456 7890",
        "62812.3456.7890",
        "(0286) 594123",
    ):
        cleaned = scrub(f"hubungi saya di {phone} ya")
        assert not re.search(r"\d{3}", cleaned), (phone, cleaned)


def test_dates_times_and_small_numbers_stay() -> None:
    text = "Tanggal 12-01-2026 jam 08.00 antri 3 jam, nomor antrian 115."
    assert scrub(text) == text


def test_e_mail_addresses_are_removed() -> None:
    assert "@" not in scrub("email saya siti.aminah+pkm@contoh.co.id")
    assert "contoh" not in scrub("kirim ke budi (at) contoh.id")


def test_the_reporters_name_and_introduced_or_addressed_names_are_removed() -> None:
    text = "Nama saya Siti Aminah. Siti sudah antri. Pak Budi Santoso membentak, Bu Rina juga."
    cleaned = scrub(text, ["Siti Aminah"])
    for name in ("Siti", "Aminah", "Budi", "Santoso", "Rina"):
        assert name not in cleaned
    assert "membentak" in cleaned


def test_roles_after_a_title_are_not_taken_for_names() -> None:
    assert scrub("Mohon Ibu Kepala Puskesmas menegur.") == "Mohon Ibu Kepala Puskesmas menegur."


@given(
    st.from_regex(r"\+628[1-9][0-9]{7,10}", fullmatch=True),
    st.from_regex(r"[a-z]{2,8}\.[a-z]{2,8}@[a-z]{3,8}\.(com|id|co\.id)", fullmatch=True),
)
def test_no_phone_or_email_survives_anywhere_in_a_complaint(phone: str, email: str) -> None:
    cleaned = scrub(f"Obat habis lagi. WA {phone} atau {email}, tolong dibalas.")
    assert phone[3:] not in cleaned
    assert email not in cleaned and "@" not in cleaned
