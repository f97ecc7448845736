"""Tracking numbers and PINs handed to every accepted submission."""

from __future__ import annotations

import math
import re
import secrets
from datetime import date

import pytest

from services.intake.domain.tracking import (
    ALPHABET,
    ENTROPY_BITS,
    RANDOM_LENGTH,
    InvalidTrackingNumberError,
    generate_pin,
    generate_tracking_number,
    hash_pin,
    is_well_formed,
    normalise_tracking_number,
    parse_tracking_number,
    verify_pin,
)

PEPPER = b"pepper-from-settings-not-the-database"
FORMAT = re.compile(r"(?P<clinic>[A-Z][A-Z0-9]{1,7})-(?P<yymm>\d{4})-(?P<a>[^-]{4})-(?P<b>[^-]{4})")
DIGITS = "0123456789"
ALPHANUMERIC = DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def issued(clinic: str = "PKMRN", on: date = date(2025, 1, 15)) -> str:
    return generate_tracking_number(clinic, on)


# --- Format, alphabet, entropy -------------------------------------------------


def test_number_carries_clinic_code_and_month_of_issue() -> None:
    number = issued("MDRJ1", date(2025, 1, 31))
    match = FORMAT.fullmatch(number)
    assert match is not None, number
    assert match["clinic"] == "MDRJ1"
    assert match["yymm"] == "2501"


def test_random_part_and_check_use_only_unambiguous_characters() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 31
    assert not set("01OIL") & set(ALPHABET)
    for _ in range(200):
        tail = issued().split("-", 2)[2].replace("-", "")
        assert len(tail) == RANDOM_LENGTH + 1
        assert set(tail) <= set(ALPHABET)


def test_random_part_has_at_least_30_bits_of_entropy() -> None:
    assert pytest.approx(RANDOM_LENGTH * math.log2(31)) == ENTROPY_BITS
    assert ENTROPY_BITS >= 30


def test_numbers_do_not_repeat_and_use_the_whole_alphabet() -> None:
    numbers = [issued() for _ in range(5000)]
    random_parts = [parse_tracking_number(n).random_part for n in numbers]
    assert len(set(random_parts)) == len(random_parts)
    assert set("".join(random_parts)) == set(ALPHABET)


@pytest.mark.parametrize("clinic", ["", "P", "pkmrn", "1PKM", "PKM-RN", "PUSKESMAS1"])
def test_clinic_code_must_be_2_to_8_uppercase_letters_or_digits(clinic: str) -> None:
    with pytest.raises(ValueError, match="clinic code"):
        generate_tracking_number(clinic, date(2025, 1, 1))


# --- Check character -----------------------------------------------------------


def test_every_issued_number_is_well_formed() -> None:
    for clinic in ["PK", "MDRJ1", "RANAI", "BNJ2PKM9"]:
        number = issued(clinic, date(2031, 12, 1))
        assert is_well_formed(number)
        assert normalise_tracking_number(number) == number


def _compact_positions(number: str) -> list[tuple[int, str]]:
    """Each character position of the number with the characters allowed there."""
    clinic_length = len(number.split("-")[0])
    compact = number.replace("-", "")
    allowed = []
    for index in range(len(compact)):
        if index < clinic_length:
            allowed.append((index, ALPHANUMERIC))
        elif index < clinic_length + 4:
            allowed.append((index, DIGITS))
        else:
            allowed.append((index, ALPHABET))
    return allowed


def test_every_single_mistyped_character_is_detected() -> None:
    number = issued("PKMRN")
    compact = number.replace("-", "")
    for index, allowed in _compact_positions(number):
        for substitute in allowed:
            if substitute == compact[index]:
                continue
            typo = compact[:index] + substitute + compact[index + 1 :]
            assert not is_well_formed(typo), (number, typo)


def test_every_swap_of_two_neighbouring_characters_is_detected() -> None:
    for _ in range(50):
        number = issued("MDRJ7")
        compact = number.replace("-", "")
        for index in range(len(compact) - 1):
            if compact[index] == compact[index + 1]:
                continue
            swapped = compact[:index] + compact[index + 1] + compact[index] + compact[index + 2 :]
            assert not is_well_formed(swapped), (number, swapped)


def test_a_dropped_character_after_the_clinic_code_is_detected() -> None:
    for _ in range(50):
        compact = issued("PKMRN").replace("-", "")
        for index in range(len("PKMRN"), len(compact)):
            dropped = compact[:index] + compact[index + 1 :]
            assert not is_well_formed(dropped), (compact, dropped)


# --- Normalising what people type ----------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "{n}",
        "{lower}",
        "{compact}",
        "{spaced}",
        "  {n}  ",
        "{n_en_dash}",
        "{n_dots}",
    ],
)
def test_lowercase_spaces_and_other_separators_are_accepted(typed: str) -> None:
    number = issued("MDRJ1", date(2025, 10, 3))
    text = typed.format(
        n=number,
        lower=number.lower(),
        compact=number.replace("-", ""),
        spaced=number.replace("-", " "),
        n_en_dash=number.replace("-", "\u2013"),
        n_dots=number.replace("-", "."),
    )
    assert normalise_tracking_number(text) == number


def test_letters_o_i_l_typed_in_the_month_are_read_as_digits() -> None:
    number = issued("MDRJ1", date(2010, 11, 3))  # YYMM 1011
    clinic, _, rest = number.partition("-")
    typed = f"{clinic}-lOIl-{rest.split('-', 1)[1]}"
    assert normalise_tracking_number(typed) == number


@pytest.mark.parametrize("confusable", ["0", "O", "1", "I", "L"])
def test_confusable_characters_in_the_random_part_are_refused_not_guessed(
    confusable: str,
) -> None:
    number = issued()
    typo = number[:-3] + confusable + number[-2:]
    with pytest.raises(InvalidTrackingNumberError, match="alphabet"):
        parse_tracking_number(typo)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "too short"),
        ("PKMRN-2501", "too short"),
        ("PKMRN-2513-ABCD-EFGH", "year and month"),
        ("PKMRN-2500-ABCD-EFGH", "year and month"),
        ("PUSKESMAS1-2501-ABCD-EFGH", "clinic code"),
        ("9PKM-2501-ABCD-EFGH", "clinic code"),
    ],
)
def test_malformed_numbers_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidTrackingNumberError, match=reason):
        normalise_tracking_number(text)
    assert not is_well_formed(text)


def test_refusal_has_a_message_for_the_public_in_indonesian() -> None:
    assert "Nomor pelacakan tidak valid" in InvalidTrackingNumberError.USER_MESSAGE


# --- PIN -------------------------------------------------------------------------


def test_pin_is_six_digits_and_keeps_leading_zeros(monkeypatch: pytest.MonkeyPatch) -> None:
    assert all(re.fullmatch(r"\d{6}", generate_pin()) for _ in range(500))
    monkeypatch.setattr(secrets, "randbelow", lambda _: 42)
    assert generate_pin() == "000042"


def test_pin_hash_verifies_the_right_pin_only() -> None:
    stored = hash_pin("042913", PEPPER)

    assert verify_pin("042913", stored, PEPPER)
    assert verify_pin(" 042913 ", stored, PEPPER)
    assert not verify_pin("042914", stored, PEPPER)
    assert not verify_pin("042913", stored, b"another-pepper")
    assert "042913" not in stored


def test_pin_hashes_are_salted() -> None:
    assert hash_pin("123456", PEPPER) != hash_pin("123456", PEPPER)


@pytest.mark.parametrize("pin", ["12345", "1234567", "12345a", "١٢٣٤٥٦", ""])
def test_only_six_ascii_digits_are_a_pin(pin: str) -> None:
    with pytest.raises(ValueError, match="6 digits"):
        hash_pin(pin, PEPPER)
    assert not verify_pin(pin, hash_pin("123456", PEPPER), PEPPER)


def test_hashing_needs_a_pepper() -> None:
    with pytest.raises(ValueError, match="pepper"):
        hash_pin("123456", b"")
    assert not verify_pin("123456", hash_pin("123456", PEPPER), b"")


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "123456",
        "bcrypt$16384$8$1$c2FsdA==$a2V5",
        "scrypt$16384$8$1$not-base64!$a2V5",
        "scrypt$notanumber$8$1$c2FsdA==$a2V5",
        "scrypt$1073741824$8$1$c2FsdA==$a2V5",  # would need far too much memory
        "scrypt$16384$8$1$c2FsdA==",
    ],
)
def test_malformed_stored_hash_never_verifies(stored: str) -> None:
    assert not verify_pin("123456", stored, PEPPER)
