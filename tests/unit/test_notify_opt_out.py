"""``reporter.opted_out``: version 1 names the number that replied STOP; version 2 may name a
complaint instead (the tracking page's button), so that any complainant can stop messages."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

from shared.events import (
    Actor,
    ReporterOptedOut,
    ReporterOptedOutData,
    ReporterOptedOutDataV2,
    ReporterOptedOutV2,
    decode,
    encode,
)


def test_both_versions_travel_under_one_routing_key_and_decode_to_their_own_model() -> None:
    v1 = ReporterOptedOut.create(
        ReporterOptedOutData(channel="sms", address="+6281234567890", clinic="MDRJ1"),
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor(kind="provider", id="sms"),
        correlation_id="c-1",
    )
    v2 = ReporterOptedOutV2.create(
        ReporterOptedOutDataV2(channel="web", complaint_id=uuid.uuid4(), clinic="MDRJ1"),
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor(kind="public"),
        correlation_id="c-2",
    )
    assert v1.type == v2.type == "reporter.opted_out"
    assert isinstance(decode(encode(v1)), ReporterOptedOut)
    assert decode(encode(v2)) == v2


def test_an_opt_out_from_the_web_names_its_complaint_one_by_message_its_number() -> None:
    with pytest.raises(ValidationError, match="complaint_id"):
        ReporterOptedOutDataV2(channel="web", clinic="MDRJ1")
    with pytest.raises(ValidationError, match="address"):
        ReporterOptedOutDataV2(channel="whatsapp", complaint_id=uuid.uuid4(), clinic="MDRJ1")
    with pytest.raises(ValidationError):
        ReporterOptedOutDataV2(channel="sms", address="warga@contoh.id", clinic="MDRJ1")
