"""WhatsApp Business Cloud API webhooks: the GET verification handshake and the
X-Hub-Signature-256 check over the raw body."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest

from services.intake.domain.whatsapp import verify_handshake, verify_signature

DATA = Path(__file__).resolve().parents[1] / "data" / "whatsapp"
APP_SECRET = "f0e1d2c3b4a5968778695a4b3c2d1e0f"
VERIFY_TOKEN = "sigap-verify-7d3f"


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- GET verification handshake ----------------------------------------------


def test_handshake_with_the_configured_token_echoes_the_challenge() -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    assert verify_handshake(params, VERIFY_TOKEN) == "1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1158201444"},
        {
            "hub.mode": "unsubscribe",
            "hub.verify_token": VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": ""},
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN},
        {"hub.mode": "subscribe", "hub.challenge": "1158201444"},
        {"hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
        {},
    ],
)
def test_handshake_is_refused_unless_mode_token_and_challenge_are_right(
    params: dict[str, str],
) -> None:
    assert verify_handshake(params, VERIFY_TOKEN) is None


def test_handshake_is_refused_when_no_verify_token_is_configured() -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1158201444"}
    assert verify_handshake(params, "") is None


# --- X-Hub-Signature-256 -------------------------------------------------------


def test_signature_over_the_raw_body_is_accepted() -> None:
    body = (DATA / "text_message.json").read_bytes()
    assert verify_signature(body, sign(body), APP_SECRET)


def test_signature_is_checked_on_raw_bytes_not_on_reserialised_json() -> None:
    body = b'{"object":"whatsapp_business_account","entry":[{"note":"ruang tunggu \\u00e9"}]}'
    header = sign(body)
    reserialised = json.dumps(json.loads(body), ensure_ascii=False).encode()
    assert verify_signature(body, header, APP_SECRET)
    assert not verify_signature(reserialised, header, APP_SECRET)


def test_signature_hex_digits_may_be_uppercase() -> None:
    body = b'{"object":"whatsapp_business_account","entry":[]}'
    header = "sha256=" + sign(body).removeprefix("sha256=").upper()
    assert verify_signature(body, header, APP_SECRET)


@pytest.mark.parametrize(
    ("body", "header"),
    [
        (b'{"entry":[]}', sign(b'{"entry":[1]}')),  # body tampered
        (b'{"entry":[]}', sign(b'{"entry":[]}', secret="another-app-secret")),  # forged
    ],
)
def test_forged_signature_is_refused(body: bytes, header: str) -> None:
    assert not verify_signature(body, header, APP_SECRET)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "   ",
        "sha256=",
        "sha1=" + "a" * 40,
        hashlib.sha256(b"x").hexdigest(),  # no prefix
        "sha256=" + "z" * 64,  # not hexadecimal
        "sha256=" + "ab" * 31,  # too short
        "sha256=" + "ab" * 33,  # too long
        "sha256=ab cd",
    ],
)
def test_missing_or_malformed_signature_header_is_refused(header: str | None) -> None:
    assert not verify_signature(b'{"entry":[]}', header, APP_SECRET)


def test_signature_is_refused_when_no_app_secret_is_configured() -> None:
    body = b'{"entry":[]}'
    assert not verify_signature(body, sign(body, secret=""), "")
