"""Tracking numbers and PINs given to every accepted submission.

Tracking number: ``<CLINIC>-<YYMM>-<XXXX>-<XXXC>``, e.g. ``MDRJ1-2501-7KQ4-M9XP``.

* ``CLINIC`` is the clinic's short code (2–8 letters/digits, starting with a
  letter), ``YYMM`` the year and month of issue in the clinic's own time zone.
* ``XXXXXXX`` are 7 characters drawn with :mod:`secrets` from a 31-symbol
  alphabet without the characters people confuse on paper and over the phone:
  no ``0``/``O``, no ``1``/``I``/``L``. Entropy: 7 × log2(31) ≈ 34.7 bits per
  number (≥ 30 bits), fresh for every clinic and month, so a number cannot be
  guessed, and the PIN is still needed to read a complaint. Six characters
  would give only 29.7 bits, hence seven.
* ``C`` is a check character (weighted sum modulo 31 over the whole number):
  it detects every single mistyped character and every swap of two adjacent
  characters before any database lookup. The only exceptions are inside the
  clinic code, between ``0``/``V``, ``1``/``W``, ``2``/``X``, ``3``/``Y`` and
  ``4``/``Z``, which are not typing or hearing mistakes; the clinic code is
  looked up anyway. A dropped or added character usually also shifts ``YYMM``
  out of place; when it does not, the check character catches about 30 in 31.

Uniqueness is the store's job: insert under a unique index and draw again on a
duplicate key (with 10,000 numbers in one clinic and month the chance that a
new draw collides is about 1 in 2.7 million).

Input is forgiving: lowercase, spaces, dots, underscores, any dash, or no
separators at all are accepted. ``O`` is read as ``0`` and ``I``/``L`` as ``1``
only in the ``YYMM`` part, which holds digits alone; in the random part these
characters cannot occur, so they are refused rather than guessed.

PIN: 6 digits from :mod:`secrets` (10^6 values), issued with the number and
stored only as a salted, peppered scrypt hash. A 6-digit PIN is brute-forced
offline in seconds from its hash alone; the pepper (a server secret kept out
of the database) is what protects a leaked table, and the caller must limit
online attempts per tracking number.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass
from datetime import date

__all__ = [
    "ALPHABET",
    "ENTROPY_BITS",
    "PIN_LENGTH",
    "RANDOM_LENGTH",
    "InvalidTrackingNumberError",
    "TrackingNumber",
    "generate_pin",
    "generate_tracking_number",
    "hash_pin",
    "is_well_formed",
    "normalise_tracking_number",
    "parse_tracking_number",
    "verify_pin",
]

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 7
ENTROPY_BITS = RANDOM_LENGTH * math.log2(len(ALPHABET))
PIN_LENGTH = 6

_MODULUS = len(ALPHABET)  # 31, a prime: every weight below it is invertible
_SYMBOL_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
_CHAR_VALUE = {char: value for value, char in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_CLINIC_CODE = re.compile(r"[A-Z][A-Z0-9]{1,7}")
_PERIOD = re.compile(r"[0-9]{2}(0[1-9]|1[0-2])")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_.]")
_PERIOD_CONFUSIONS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_TAIL_LENGTH = 4 + RANDOM_LENGTH + 1  # YYMM, random part, check character

_PIN_SCHEME = "scrypt"
# N = 2**10, r = 8 (1 MiB, ~2.3 ms of a core): every accepted submission hashes a PIN on the
# request path, and at 2**12 scrypt was over half of intake's CPU (docs/benchmarks.md). No cost
# protects a 6-digit PIN from someone holding its hash and the pepper (10**6 guesses: ~40
# core-minutes here, ~3 core-hours at 2**12); the pepper, kept out of the database, protects a
# leaked table, and online guessing is throttled. Salt and memory-hardness stay. Stored hashes
# carry their own N, so older ones still verify.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**10, 8, 1
_SCRYPT_MAXMEM = 64 * 1024 * 1024  # refuses stored hashes that would demand more
_SALT_BYTES = 16
_KEY_BYTES = 32


class InvalidTrackingNumberError(ValueError):
    """The text is not a tracking number SIGAP could have issued."""

    USER_MESSAGE = "Nomor pelacakan tidak valid. Periksa kembali penulisannya."


@dataclass(frozen=True, slots=True)
class TrackingNumber:
    """A well-formed tracking number, split into its parts."""

    clinic_code: str
    period: str  # YYMM
    random_part: str
    check: str

    def __str__(self) -> str:
        r = self.random_part
        return f"{self.clinic_code}-{self.period}-{r[:4]}-{r[4:]}{self.check}"


def generate_tracking_number(clinic_code: str, issued_on: date) -> str:
    """A new tracking number for ``clinic_code``, issued on the clinic's local date."""
    if not _CLINIC_CODE.fullmatch(clinic_code):
        raise ValueError("clinic code must be 2-8 uppercase letters/digits starting with a letter")
    period = f"{issued_on.year % 100:02d}{issued_on.month:02d}"
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    check = _check_character(clinic_code, period, random_part)
    return str(TrackingNumber(clinic_code, period, random_part, check))


def parse_tracking_number(raw: str) -> TrackingNumber:
    """Parse forgiving input; raises :class:`InvalidTrackingNumberError` when malformed."""
    compact = _SEPARATORS.sub("", raw).upper()
    if len(compact) < _TAIL_LENGTH + 2:
        raise InvalidTrackingNumberError("too short")
    clinic_code = compact[:-_TAIL_LENGTH]
    period = compact[-_TAIL_LENGTH:][:4].translate(_PERIOD_CONFUSIONS)
    random_part = compact[-RANDOM_LENGTH - 1 : -1]
    check = compact[-1]
    if not _CLINIC_CODE.fullmatch(clinic_code):
        raise InvalidTrackingNumberError("clinic code is not 2-8 letters/digits, letter first")
    if not _PERIOD.fullmatch(period):
        raise InvalidTrackingNumberError("YYMM is not a year and month")
    if any(symbol not in _SYMBOL_VALUE for symbol in random_part + check):
        raise InvalidTrackingNumberError("random part has a character outside the alphabet")
    if _check_character(clinic_code, period, random_part) != check:
        raise InvalidTrackingNumberError("check character does not match")
    return TrackingNumber(clinic_code, period, random_part, check)


def normalise_tracking_number(raw: str) -> str:
    """The canonical form of a well-formed number; raises :class:`InvalidTrackingNumberError`."""
    return str(parse_tracking_number(raw))


def is_well_formed(raw: str) -> bool:
    """True when ``raw`` parses and its check character matches."""
    try:
        parse_tracking_number(raw)
    except InvalidTrackingNumberError:
        return False
    return True


def _check_character(clinic_code: str, period: str, random_part: str) -> str:
    """The symbol that makes the weighted sum of the whole number 0 modulo 31.

    Position ``i`` (1-based, left to right, separators removed) has weight
    ``i``; the check character is the last position. With at most 20
    positions all weights are distinct and non-zero modulo the prime 31, so a
    single changed character, or two swapped neighbours, always changes the
    sum. Random symbols count by their alphabet index; clinic code and YYMM
    characters by their value in 0-9A-Z.
    """
    values = [_CHAR_VALUE[c] for c in clinic_code + period]
    values += [_SYMBOL_VALUE[s] for s in random_part]
    total = sum(weight * value for weight, value in enumerate(values, start=1))
    check_weight = len(values) + 1
    return ALPHABET[(-total * pow(check_weight, -1, _MODULUS)) % _MODULUS]


def generate_pin() -> str:
    """A new 6-digit PIN (leading zeros kept)."""
    return f"{secrets.randbelow(10**PIN_LENGTH):0{PIN_LENGTH}d}"


def hash_pin(pin: str, pepper: bytes) -> str:
    """Hash a PIN for storage: ``scrypt$N$r$p$<salt>$<key>`` (base64 parts).

    The PIN is first keyed with the pepper (HMAC-SHA256), then stretched with
    scrypt under a random 16-byte salt. Raises ``ValueError`` for a PIN that
    is not 6 digits or an empty pepper.
    """
    if not _is_pin(pin):
        raise ValueError("PIN must be 6 digits")
    if not pepper:
        raise ValueError("a non-empty pepper is required")
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _derive(pin, pepper, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    encoded = (base64.b64encode(part).decode("ascii") for part in (salt, key))
    return "$".join([_PIN_SCHEME, str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P), *encoded])


def verify_pin(pin: str, stored_hash: str, pepper: bytes) -> bool:
    """True when ``pin`` (surrounding blanks ignored) matches ``stored_hash``.

    A malformed PIN, a malformed stored hash or an empty pepper give False.
    Cost parameters are read from the stored hash, so they can be raised for
    new PINs without breaking old ones.
    """
    pin = pin.strip()
    if not _is_pin(pin) or not pepper:
        return False
    parts = stored_hash.split("$")
    if len(parts) != 6 or parts[0] != _PIN_SCHEME:
        return False
    try:
        n, r, p = (int(value) for value in parts[1:4])
        salt, expected = (base64.b64decode(value, validate=True) for value in parts[4:6])
        actual = _derive(pin, pepper, salt, n, r, p)
    except (ValueError, OverflowError, binascii.Error):
        return False
    return hmac.compare_digest(actual, expected)


def _is_pin(pin: str) -> bool:
    return len(pin) == PIN_LENGTH and pin.isascii() and pin.isdigit()


def _derive(pin: str, pepper: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    peppered = hmac.new(pepper, pin.encode("ascii"), hashlib.sha256).digest()
    return hashlib.scrypt(
        peppered, salt=salt, n=n, r=r, p=p, maxmem=_SCRYPT_MAXMEM, dklen=_KEY_BYTES
    )
