"""Oversized and malformed bodies on every public endpoint that takes one: refused with 413 or
422 naming the field, and nothing published or stored."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_intake_fixtures import (  # noqa: F401 — the fixture
    PUBLIC_BASE_URL,
    Intake,
    intake_fixture,
    meta_signature,
    twilio_signature,
)

pytestmark = pytest.mark.integration

# Every public route with a body, and the content type it takes.
PUBLIC_BODIES = [
    ("/api/v1/complaints", "application/json"),
    ("/api/v1/surveys", "application/json"),
    ("/webhooks/whatsapp", "application/json"),
    ("/webhooks/sms", "application/x-www-form-urlencoded"),
    ("/lapor/MDRJ1", "application/x-www-form-urlencoded"),
    ("/lacak", "application/x-www-form-urlencoded"),
    ("/survei/MDRJ1", "application/x-www-form-urlencoded"),
]
JSON_BODIES = [path for path, kind in PUBLIC_BODIES if kind == "application/json"]


def signed_headers(path: str, content_type: str, body: bytes) -> dict[str, str]:
    """What a provider would send: the webhooks check the signature before anything else."""
    headers = {"Content-Type": content_type}
    if path == "/webhooks/whatsapp":
        headers["X-Hub-Signature-256"] = meta_signature(body)
    elif path == "/webhooks/sms":
        headers["X-Twilio-Signature"] = twilio_signature(f"{PUBLIC_BASE_URL}{path}", {})
    return headers


async def assert_nothing_happened(intake: Intake) -> None:
    assert await intake.sink.events() == []
    assert await intake.collection("submissions").count_documents({}) == 0
    assert await intake.collection("inbound").count_documents({}) == 0


def fields(reply: Any) -> set[str]:
    return {error["field"] for error in reply.json()["errors"]}


@pytest.mark.parametrize(("path", "content_type"), PUBLIC_BODIES)
async def test_oversized_body_is_refused_with_413_before_it_is_read(
    intake: Intake, path: str, content_type: str
) -> None:
    body = b"a" * (intake.settings.intake_max_body_bytes + 1)
    reply = await intake.client.post(
        path, content=body, headers=signed_headers(path, content_type, body)
    )
    assert reply.status_code == 413, reply.text
    assert fields(reply) == {"body"}
    await assert_nothing_happened(intake)


@pytest.mark.parametrize("path", JSON_BODIES)
@pytest.mark.parametrize(
    "body",
    [
        b'{"clinic": "MDRJ1", "kind": ',  # cut off
        b"[1, 2, 3]",  # not an object
        b'"just a string"',
        b"\xff\xfe\x00{not utf-8}",
        b"null",
    ],
    ids=["truncated", "array", "string", "not-utf8", "null"],
)
async def test_malformed_json_is_refused_with_422_naming_the_body(
    intake: Intake, path: str, body: bytes
) -> None:
    reply = await intake.client.post(
        path, content=body, headers=signed_headers(path, "application/json", body)
    )
    assert reply.status_code == 422, reply.text
    assert fields(reply) == {"body"}, reply.json()
    await assert_nothing_happened(intake)


@pytest.mark.parametrize("path", ["/api/v1/complaints", "/api/v1/surveys"])
async def test_deeply_nested_json_is_refused_as_bad_input_not_a_crash(
    intake: Intake, path: str
) -> None:
    # The JSON parser gives up on the depth; FastAPI answers that with its own 400.
    body = b"[" * 5000 + b"]" * 5000
    reply = await intake.client.post(
        path, content=body, headers={"Content-Type": "application/json"}
    )
    assert reply.status_code in (400, 422), reply.text
    assert reply.json()["detail"]
    await assert_nothing_happened(intake)
