"""SMS through a Twilio-compatible gateway: signatures, form fields, phone numbers."""

from __future__ import annotations

import pytest

from services.intake.domain.sms import (
    InboundSms,
    InvalidSmsError,
    compute_twilio_signature,
    is_opt_out,
    normalise_phone,
    parse_inbound_sms,
    verify_twilio_signature,
)

# Twilio's "Validating requests" worked example (current edition of the page).
DOC_TOKEN = "12345"
DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
DOC_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}
DOC_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="

# The same example in the older edition of the page, with other caller numbers.
OLD_DOC_PARAMS = {**DOC_PARAMS, "Caller": "+14158675310", "From": "+14158675310"}
OLD_DOC_SIGNATURE = "GvWf1cFY/Q7PnoempGyD5oXAezc="

WEBHOOK_URL = "https://sigap.example.go.id/webhooks/sms"
AUTH_TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
INBOUND_FORM = {
    "ToCountry": "ID",
    "SmsMessageSid": "SM5f1e0a9b8c7d6e5f4a3b2c1d0e9f8a7b",
    "NumMedia": "0",
    "FromCountry": "ID",
    "SmsSid": "SM5f1e0a9b8c7d6e5f4a3b2c1d0e9f8a7b",
    "SmsStatus": "received",
    "Body": "Petugas loket membentak ibu saya tadi pagi.",
    "To": "+6281100001111",
    "NumSegments": "1",
    "MessageSid": "SM5f1e0a9b8c7d6e5f4a3b2c1d0e9f8a7b",
    "AccountSid": "AC0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    "From": "+6281200002222",
    "ApiVersion": "2010-04-01",
}


# --- X-Twilio-Signature --------------------------------------------------------


def test_twilio_documented_example_reproduces() -> None:
    assert compute_twilio_signature(DOC_URL, DOC_PARAMS, DOC_TOKEN) == DOC_SIGNATURE
    assert verify_twilio_signature(DOC_URL, DOC_PARAMS, DOC_SIGNATURE, DOC_TOKEN)


def test_older_twilio_documented_example_reproduces() -> None:
    assert compute_twilio_signature(DOC_URL, OLD_DOC_PARAMS, DOC_TOKEN) == OLD_DOC_SIGNATURE


def test_signature_does_not_depend_on_the_order_fields_arrive_in() -> None:
    reversed_pairs = list(reversed(DOC_PARAMS.items()))
    assert compute_twilio_signature(DOC_URL, reversed_pairs, DOC_TOKEN) == DOC_SIGNATURE


def test_repeated_field_names_are_signed_with_their_values_sorted() -> None:
    pairs = [("MediaUrl", "b"), ("Body", "x"), ("MediaUrl", "a")]
    signature = compute_twilio_signature(WEBHOOK_URL, pairs, AUTH_TOKEN)
    assert verify_twilio_signature(WEBHOOK_URL, list(reversed(pairs)), signature, AUTH_TOKEN)


def test_genuine_gateway_request_is_accepted() -> None:
    signature = compute_twilio_signature(WEBHOOK_URL, INBOUND_FORM, AUTH_TOKEN)
    assert verify_twilio_signature(WEBHOOK_URL, INBOUND_FORM, signature, AUTH_TOKEN)


@pytest.mark.parametrize(
    ("url", "params", "token"),
    [
        (DOC_URL, {**DOC_PARAMS, "Digits": "9999"}, DOC_TOKEN),  # field altered
        (DOC_URL, {**DOC_PARAMS, "Extra": "1"}, DOC_TOKEN),  # field added
        (DOC_URL, {k: v for k, v in DOC_PARAMS.items() if k != "To"}, DOC_TOKEN),  # removed
        ("https://mycompany.com/myapp.php?foo=1&bar=3", DOC_PARAMS, DOC_TOKEN),  # other URL
        ("http://mycompany.com/myapp.php?foo=1&bar=2", DOC_PARAMS, DOC_TOKEN),  # other scheme
        (DOC_URL, DOC_PARAMS, "54321"),  # other auth token
    ],
)
def test_forged_twilio_signature_is_refused(url: str, params: dict[str, str], token: str) -> None:
    assert not verify_twilio_signature(url, params, DOC_SIGNATURE, token)


@pytest.mark.parametrize(
    "header",
    [None, "", "   ", "not base64 at all", "0/KCTR6DLpKmkAf8muzZqo1nDgQ", "AAAA", "é" * 28],
)
def test_missing_or_malformed_twilio_signature_is_refused(header: str | None) -> None:
    assert not verify_twilio_signature(DOC_URL, DOC_PARAMS, header, DOC_TOKEN)


def test_twilio_signature_is_refused_when_no_auth_token_is_configured() -> None:
    signature = compute_twilio_signature(DOC_URL, DOC_PARAMS, "")
    assert not verify_twilio_signature(DOC_URL, DOC_PARAMS, signature, "")


@pytest.mark.parametrize(
    ("signed_url", "received_url"),
    [
        (
            "https://sigap.example.go.id:443/webhooks/sms",
            "https://sigap.example.go.id/webhooks/sms",
        ),
        (
            "https://sigap.example.go.id/webhooks/sms",
            "https://sigap.example.go.id:443/webhooks/sms",
        ),
        ("http://sigap.example.go.id/sms?k=1", "http://sigap.example.go.id:8080/sms?k=1"),
    ],
)
def test_url_is_checked_with_and_without_its_port_as_twilio_libraries_do(
    signed_url: str, received_url: str
) -> None:
    signature = compute_twilio_signature(signed_url, INBOUND_FORM, AUTH_TOKEN)
    assert verify_twilio_signature(received_url, INBOUND_FORM, signature, AUTH_TOKEN)


def test_a_non_default_port_is_not_guessed() -> None:
    signed_url = "http://sigap.example.go.id:8080/sms"
    signature = compute_twilio_signature(signed_url, INBOUND_FORM, AUTH_TOKEN)
    received_url = "http://sigap.example.go.id/sms"
    assert not verify_twilio_signature(received_url, INBOUND_FORM, signature, AUTH_TOKEN)


# --- Inbound form fields -------------------------------------------------------


def test_inbound_sms_keeps_what_sigap_uses_and_ignores_the_rest() -> None:
    sms = parse_inbound_sms(INBOUND_FORM)
    assert isinstance(sms, InboundSms)

    assert sms.message_sid == "SM5f1e0a9b8c7d6e5f4a3b2c1d0e9f8a7b"
    assert sms.account_sid == "AC0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    assert sms.from_number == "+6281200002222"
    assert sms.to_number == "+6281100001111"
    assert sms.body == "Petugas loket membentak ibu saya tadi pagi."
    assert (sms.num_media, sms.num_segments, sms.media) == (0, 1, ())
    assert not sms.opt_out


def test_inbound_sms_sender_is_normalised_to_e164() -> None:
    sms = InboundSms.model_validate({**INBOUND_FORM, "From": "0812-0000-2222"})
    assert sms.from_number == "+6281200002222"


def test_inbound_sms_to_a_short_code_is_accepted() -> None:
    assert InboundSms.model_validate({**INBOUND_FORM, "To": "1708"}).to_number == "1708"


def test_gateway_sending_only_the_legacy_sid_is_accepted() -> None:
    form = {k: v for k, v in INBOUND_FORM.items() if k not in {"MessageSid", "SmsMessageSid"}}
    assert InboundSms.model_validate(form).message_sid == INBOUND_FORM["SmsSid"]


def test_mms_attachments_are_collected_in_order() -> None:
    form = {
        **INBOUND_FORM,
        "NumMedia": "2",
        "MediaUrl0": "https://api.twilio.com/media/ME1",
        "MediaContentType0": "image/jpeg",
        "MediaUrl1": "https://api.twilio.com/media/ME2",
        "MediaContentType1": "image/png",
    }
    sms = InboundSms.model_validate(form)
    assert [(m.url, m.content_type) for m in sms.media] == [
        ("https://api.twilio.com/media/ME1", "image/jpeg"),
        ("https://api.twilio.com/media/ME2", "image/png"),
    ]


def test_inbound_sms_opt_out_flag() -> None:
    assert InboundSms.model_validate({**INBOUND_FORM, "Body": " Berhenti "}).opt_out


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"From": "TELKOMSEL"}, "From"),
        ({"From": ""}, "From"),
        ({"To": "bukan nomor"}, "To"),
        ({"NumMedia": "-1"}, "NumMedia"),
        ({"MessageSid": "", "SmsMessageSid": "", "SmsSid": ""}, "MessageSid"),
    ],
)
def test_invalid_inbound_sms_is_refused_naming_the_field(
    change: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidSmsError, match=field):
        parse_inbound_sms({**INBOUND_FORM, **change})


def test_refusal_never_repeats_personal_data() -> None:
    form = {**INBOUND_FORM, "From": "nomor rahasia 0812", "To": "x"}
    with pytest.raises(InvalidSmsError) as refused:
        parse_inbound_sms(form)
    assert "rahasia" not in str(refused.value)
    assert INBOUND_FORM["Body"] not in str(refused.value)


# --- Phone numbers and opt-out -------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("+62 (0)812 3456 7890", "+6281234567890"),
        ("62 0812 3456 7890", "+6281234567890"),
        ("006281234567890", "+6281234567890"),
        ("0811234567", "+62811234567"),
        ("(0286) 411234", "+62286411234"),
        ("+6591234567", "+6591234567"),
        ("+12349013030", "+12349013030"),
    ],
)
def test_phone_numbers_are_normalised_to_e164(raw: str, e164: str) -> None:
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "TELKOMSEL",
        "1708",
        "0800",
        "62",
        "+62",
        "+0812345678",
        "0812345678901234",
        "08１２34567890",
    ],
)
def test_what_is_not_a_phone_number_is_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="phone number"):
        normalise_phone(raw)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("STOP", True),
        ("Stop", True),
        ("berhenti", True),
        ("BERHENTI.", True),
        ("\nstop\n", True),
        (None, False),
        ("", False),
        ("STOP PELAYANAN BURUK", False),
        ("saya minta berhenti dihubungi", False),
    ],
)
def test_opt_out_is_a_whole_message_stop_or_berhenti(body: str | None, expected: bool) -> None:
    assert is_opt_out(body) is expected
