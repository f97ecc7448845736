"""WhatsApp Business Cloud API webhooks: reading notifications (messages, statuses, opt-out)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from services.intake.domain.whatsapp import (
    KNOWN_STATUSES,
    InvalidWhatsAppPayloadError,
    WhatsAppBatch,
    parse_notification,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "whatsapp"
APP_SECRET = "f0e1d2c3b4a5968778695a4b3c2d1e0f"
VERIFY_TOKEN = "sigap-verify-7d3f"
PHONE_NUMBER_ID = "109988776655443"
SITI = "6281200002222"
BUDI = "6281300003333"


def fixture(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return loaded


def parse_fixture(name: str) -> WhatsAppBatch:
    return parse_notification(fixture(name))


def one_message(
    message: dict[str, Any], contacts: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A notification carrying one message, shaped as Meta sends it."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100001111", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": contacts
        if contacts is not None
        else [{"profile": {"name": "Siti"}, "wa_id": SITI}],
        "messages": [{"from": SITI, "id": "wamid.TEST1", "timestamp": "1735707600", **message}],
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "114422557788990", "changes": [{"field": "messages", "value": value}]}],
    }


# --- Notifications: fixtures ---------------------------------------------------


def test_text_message_becomes_one_inbound_message() -> None:
    batch = parse_fixture("text_message.json")

    assert batch.statuses == () and batch.ignored_fields == ()
    (message,) = batch.messages
    assert message.waba_id == "114422557788990"
    assert message.phone_number_id == PHONE_NUMBER_ID
    assert message.display_phone_number == "6281100001111"
    assert message.message_id.startswith("wamid.")
    assert message.sender_wa_id == SITI
    assert message.sender_user_id is None
    assert message.sender_name == "Siti Rahayu"
    assert message.message_type == "text"
    assert message.text == (
        "Antrean di loket pendaftaran lama sekali, sudah dua jam belum dipanggil."
    )
    assert message.media is None
    assert message.timestamp == datetime(2025, 1, 1, 5, 0, tzinfo=UTC)
    assert message.timestamp.tzinfo is UTC
    assert not message.opt_out


def test_image_caption_is_the_message_text_and_the_image_a_media_reference() -> None:
    (message,) = parse_fixture("image_with_caption.json").messages

    assert message.message_type == "image"
    assert message.text == "Toilet di ruang tunggu Poli Umum kotor dan airnya mati."
    assert message.media is not None
    assert message.media.media_id == "1204567890123456"
    assert message.media.mime_type == "image/jpeg"
    assert message.media.sha256 == "p9QdRcsmzvx6rH0dbs8Yc4vQKlE1dL1R8ERzW2Y7bN4="


def test_document_without_caption_has_no_text_but_keeps_its_file() -> None:
    (message,) = parse_fixture("document_without_caption.json").messages

    assert message.text is None
    assert message.sender_name == "Budi Santoso"
    assert message.media is not None
    assert message.media.filename == "kuitansi-farmasi.pdf"
    assert message.media.mime_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "status", "timestamp"),
    [
        ("status_sent.json", "sent", datetime(2025, 1, 1, 5, 10, tzinfo=UTC)),
        ("status_delivered.json", "delivered", datetime(2025, 1, 1, 5, 10, 5, tzinfo=UTC)),
        ("status_read.json", "read", datetime(2025, 1, 1, 5, 15, tzinfo=UTC)),
    ],
)
def test_status_callbacks_become_delivery_statuses(
    name: str, status: str, timestamp: datetime
) -> None:
    batch = parse_fixture(name)

    assert batch.messages == ()
    (delivery,) = batch.statuses
    assert delivery.status == status
    assert delivery.message_id == "wamid.HBgNNjI4MTIwMDAwMjIyMhUCABEYEjQ1NkFCQzc4OURFRjAxMjM0NQA="
    assert delivery.phone_number_id == PHONE_NUMBER_ID
    assert delivery.recipient_id == SITI
    assert delivery.timestamp == timestamp
    assert delivery.error_code is None and delivery.error_title is None


def test_failed_status_carries_the_error_code_title_and_detail() -> None:
    (delivery,) = parse_fixture("status_failed.json").statuses

    assert delivery.status == "failed"
    assert delivery.error_code == 131047
    assert delivery.error_title == "Re-engagement message"
    assert delivery.error_detail is not None
    assert "24 hours" in delivery.error_detail


def test_batch_returns_every_message_with_its_own_sender_name() -> None:
    first, second = parse_fixture("batch_two_messages.json").messages

    assert (first.sender_wa_id, first.sender_name) == (SITI, "Siti Rahayu")
    assert (second.sender_wa_id, second.sender_name) == (BUDI, "Budi Santoso")
    assert first.message_id != second.message_id
    assert not first.opt_out
    assert second.opt_out  # "BERHENTI"


def test_every_entry_and_change_of_a_notification_is_read() -> None:
    batch = parse_fixture("multiple_entries.json")

    assert [m.message_id for m in batch.messages] == ["wamid.ENTRY1MSG1", "wamid.ENTRY2MSG1"]
    assert [m.phone_number_id for m in batch.messages] == [PHONE_NUMBER_ID, "109988776655444"]
    assert [m.waba_id for m in batch.messages] == ["114422557788990", "114422557788991"]
    (delivery,) = batch.statuses
    assert (delivery.message_id, delivery.phone_number_id) == ("wamid.OUTBOUND2", "109988776655444")


def test_changes_of_other_fields_are_ignored_and_named() -> None:
    batch = parse_fixture("non_messages_field.json")

    assert batch == WhatsAppBatch(
        messages=(), statuses=(), ignored_fields=("message_template_status_update",)
    )


def test_fixture_statuses_are_all_known_values() -> None:
    names = ["status_sent.json", "status_delivered.json", "status_read.json", "status_failed.json"]
    assert {parse_fixture(n).statuses[0].status for n in names} <= KNOWN_STATUSES


# --- Notifications: every message type ---------------------------------------


@pytest.mark.parametrize(
    ("message", "text"),
    [
        (
            {"type": "text", "text": {"body": "Dokter datang terlambat."}},
            "Dokter datang terlambat.",
        ),
        (
            {
                "type": "video",
                "video": {"id": "77", "mime_type": "video/mp4", "caption": "Atap bocor"},
            },
            "Atap bocor",
        ),
        (
            {
                "type": "interactive",
                "interactive": {
                    "type": "button_reply",
                    "button_reply": {"id": "ya", "title": "Ya"},
                },
            },
            "Ya",
        ),
        (
            {
                "type": "interactive",
                "interactive": {
                    "type": "list_reply",
                    "list_reply": {"id": "u3", "title": "Poli Gigi", "description": "Unit"},
                },
            },
            "Poli Gigi",
        ),
        ({"type": "button", "button": {"text": "Puas", "payload": "survei-4"}}, "Puas"),
        ({"type": "image", "image": {"id": "78", "mime_type": "image/jpeg"}}, None),
        ({"type": "audio", "audio": {"id": "79", "mime_type": "audio/ogg", "voice": True}}, None),
        ({"type": "sticker", "sticker": {"id": "80", "mime_type": "image/webp"}}, None),
        ({"type": "reaction", "reaction": {"message_id": "wamid.OUT", "emoji": "👍"}}, None),
        (
            {
                "type": "location",
                "location": {"latitude": -7.43, "longitude": 109.69, "name": "PKM"},
            },
            None,
        ),
        (
            {
                "type": "unsupported",
                "unsupported": {"type": "poll"},
                "errors": [{"code": 131051, "title": "Message type unknown"}],
            },
            None,
        ),
        ({"type": "text", "text": {"body": "   "}}, None),
    ],
)
def test_message_text_comes_from_body_caption_or_reply_label(
    message: dict[str, Any], text: str | None
) -> None:
    (parsed,) = parse_notification(one_message(message)).messages
    assert parsed.message_type == message["type"]
    assert parsed.text == text


def test_audio_and_sticker_keep_a_media_reference() -> None:
    audio = {"type": "audio", "audio": {"id": "79", "mime_type": "audio/ogg; codecs=opus"}}
    (parsed,) = parse_notification(one_message(audio)).messages
    assert parsed.media is not None and parsed.media.media_id == "79"


def test_reply_keeps_the_id_of_the_message_it_answers() -> None:
    message = {
        "type": "text",
        "text": {"body": "Nomor antrean saya 45."},
        "context": {"from": "6281100001111", "id": "wamid.ASKED_FOR_DETAILS"},
    }
    (parsed,) = parse_notification(one_message(message)).messages
    assert parsed.reply_to_message_id == "wamid.ASKED_FOR_DETAILS"


def test_username_user_without_phone_number_is_identified_by_bsuid() -> None:
    payload = one_message(
        {"type": "text", "text": {"body": "Halo"}},
        contacts=[{"profile": {"name": "Rina"}, "user_id": "ID.13491208655302741918"}],
    )
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    del message["from"]
    message["from_user_id"] = "ID.13491208655302741918"

    (parsed,) = parse_notification(payload).messages
    assert parsed.sender_wa_id is None
    assert parsed.sender_user_id == "ID.13491208655302741918"
    assert parsed.sender_name == "Rina"


def test_unknown_fields_meta_adds_are_ignored() -> None:
    payload = one_message({"type": "text", "text": {"body": "Halo"}, "new_meta_field": {"x": 1}})
    payload["entry"][0]["changes"][0]["value"]["future_list"] = [1, 2]
    payload["entry"][0]["time"] = 1735707600
    (parsed,) = parse_notification(payload).messages
    assert parsed.text == "Halo"


# --- Opt-out -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "opt_out"),
    [
        ("STOP", True),
        ("stop", True),
        ("Berhenti", True),
        ("  BERHENTI.  ", True),
        ("berhenti!", True),
        ("STOP obatnya bikin mual", False),
        ("jangan berhenti melayani", False),
        ("stopp", False),
    ],
)
def test_opt_out_is_the_whole_message_stop_or_berhenti(body: str, opt_out: bool) -> None:
    (parsed,) = parse_notification(one_message({"type": "text", "text": {"body": body}})).messages
    assert parsed.opt_out is opt_out


def test_a_caption_saying_stop_is_not_an_opt_out() -> None:
    image = {"type": "image", "image": {"id": "81", "mime_type": "image/jpeg", "caption": "STOP"}}
    (parsed,) = parse_notification(one_message(image)).messages
    assert parsed.text == "STOP" and not parsed.opt_out


# --- Malformed notifications ---------------------------------------------------


def _without_sender(payload: dict[str, Any]) -> dict[str, Any]:
    del payload["entry"][0]["changes"][0]["value"]["messages"][0]["from"]
    return payload


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ({"object": "page", "entry": []}, "object"),
        ({"object": "whatsapp_business_account"}, "entry"),
        (one_message({"type": "text", "text": {"body": "x"}, "id": ""}), "id"),
        (
            one_message({"type": "text", "text": {"body": "x"}, "timestamp": "2025-01-01"}),
            "timestamp",
        ),
        (one_message({"type": "text", "text": {"body": "x"}, "timestamp": "-5"}), "timestamp"),
        (one_message({"type": "text"}), "'text' object"),
        (one_message({"type": "image", "image": {"caption": "tanpa id"}}), "id"),
        (_without_sender(one_message({"type": "text", "text": {"body": "x"}})), "from_user_id"),
    ],
)
def test_malformed_notification_is_refused_naming_the_field(
    payload: dict[str, Any], named: str
) -> None:
    with pytest.raises(InvalidWhatsAppPayloadError, match=named):
        parse_notification(payload)


def test_refusal_never_repeats_the_message_text() -> None:
    payload = one_message({"type": "text", "text": {"body": "Nama saya Siti"}, "timestamp": "x"})
    with pytest.raises(InvalidWhatsAppPayloadError) as refused:
        parse_notification(payload)
    assert "Siti" not in str(refused.value)
    assert "entry.0.changes.0.value.messages.0.timestamp" in str(refused.value)


def test_status_value_meta_adds_later_is_kept_not_refused() -> None:
    payload = fixture("status_read.json")
    payload["entry"][0]["changes"][0]["value"]["statuses"][0]["status"] = "deleted"
    (delivery,) = parse_notification(payload).statuses
    assert delivery.status == "deleted"
