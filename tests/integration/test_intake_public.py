"""The public form, the survey and every refusal, through the real broker and database."""

from __future__ import annotations

from typing import Any

import pytest

from services.intake.main import create_app
from tests.integration.test_intake_fixtures import (  # noqa: F401 — the fixture
    Intake,
    intake_fixture,
    intake_settings,
)
from tests.support.lifespan import Running

pytestmark = pytest.mark.integration

ANSWERS = {f"U{i}": 3 for i in range(1, 10)}
RESPONDENT = {"sex": "P", "age": 34, "education": "sma", "occupation": "Ibu rumah tangga"}


def complaint(**overrides: Any) -> dict[str, Any]:
    return {
        "clinic": "MDRJ1",
        "kind": "keluhan",
        "text": "Antrean pendaftaran lama sekali",
        "unit": "pendaftaran",
        "reporter": {"name": "Siti", "phone": "081234567890", "email": "siti@example.id"},
        **overrides,
    }


async def assert_refused(
    intake: Intake, reply: Any, status: int, field: str, path: str = "complaints"
) -> None:
    assert reply.status_code == status, reply.text
    assert field in {error["field"] for error in reply.json()["errors"]}, reply.json()
    assert await intake.sink.events() == []
    assert await intake.collection("submissions").count_documents({}) == 0


async def test_public_form_complaint_arrives_as_one_event_with_web_channel(intake: Intake) -> None:
    reply = await intake.client.post("/api/v1/complaints", json=complaint())
    assert reply.status_code == 202, reply.text
    receipt = reply.json()
    assert receipt["tracking_number"].startswith("MDRJ1-")
    assert receipt["status_url"].endswith(f"/api/v1/complaints/track/{receipt['tracking_number']}")
    [event] = await intake.sink.wait_for(1)
    assert event["type"] == "complaint.received"
    assert event["clinic"] == "MDRJ1"
    assert event["data"]["channel"] == "web"
    assert event["data"]["tracking_number"] == receipt["tracking_number"]
    assert event["data"]["reporter"]["phone"] == "+6281234567890"
    stored = await intake.collection("submissions").find_one({"_id": receipt["tracking_number"]})
    assert stored["published"] is True
    assert receipt["pin"] not in stored["pin_hash"]


async def test_anonymous_complaint_carries_no_identity(intake: Intake) -> None:
    body = complaint(anonymous=True, reporter=None, kind="saran")
    assert (await intake.client.post("/api/v1/complaints", json=body)).status_code == 202
    [event] = await intake.sink.wait_for(1)
    assert event["data"]["identity"] == "anonim"
    assert event["data"]["reporter"] is None


async def test_clinic_list_is_public(intake: Intake) -> None:
    clinics = (await intake.client.get("/api/v1/clinics")).json()
    assert {"MDRJ1", "RANAI", "PKMWA"} <= {clinic["code"] for clinic in clinics}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (complaint(clinic="NOPE9"), "clinic"),
        (complaint(text=""), "text"),
        (complaint(text="   "), "text"),
        (complaint(text="x" * 5001), "text"),
        (complaint(kind="marah"), "kind"),
        (complaint(unit="radiologi"), "unit"),
        (complaint(reporter={"phone": "12345"}), "reporter.phone"),
        (complaint(reporter={"email": "bukan-email"}), "reporter.email"),
        (complaint(password="rahasia"), "password"),
        ({"kind": "keluhan", "text": "tanpa puskesmas"}, "clinic"),
    ],
)
async def test_bad_complaint_is_refused_naming_the_field_and_publishes_nothing(
    intake: Intake, body: dict[str, Any], field: str
) -> None:
    reply = await intake.client.post("/api/v1/complaints", json=body)
    await assert_refused(intake, reply, 422, field)


async def test_body_too_large_is_refused_with_413(intake: Intake) -> None:
    body = complaint(text="a" * (intake.settings.intake_max_body_bytes + 10))
    reply = await intake.client.post("/api/v1/complaints", json=body)
    await assert_refused(intake, reply, 413, "body")


async def test_streamed_body_too_large_is_refused_without_content_length(intake: Intake) -> None:
    async def chunks() -> Any:
        for _ in range(intake.settings.intake_max_body_bytes // 1024 + 2):
            yield b" " * 1024

    reply = await intake.client.post(
        "/api/v1/complaints", content=chunks(), headers={"Content-Type": "application/json"}
    )
    await assert_refused(intake, reply, 413, "body")


async def test_wrong_content_type_is_refused_with_415(intake: Intake) -> None:
    reply = await intake.client.post(
        "/api/v1/complaints", data={"clinic": "MDRJ1", "kind": "saran", "text": "Tambah kursi"}
    )
    await assert_refused(intake, reply, 415, "content-type")


async def test_survey_is_published_with_its_suggestion_as_a_saran_complaint(
    intake: Intake,
) -> None:
    body = {
        "clinic": "MDRJ1",
        "unit": "farmasi",
        "answers": ANSWERS,
        "respondent": RESPONDENT,
        "suggestion": "Tambah kursi di ruang tunggu farmasi",
    }
    reply = await intake.client.post("/api/v1/surveys", json=body)
    assert reply.status_code == 202, reply.text
    events = await intake.sink.wait_for(2)
    survey = next(e for e in events if e["type"] == "survey.submitted")
    suggestion = next(e for e in events if e["type"] == "complaint.received")
    assert survey["data"]["answers"] == ANSWERS
    assert survey["data"]["form"] == "web"
    assert survey["data"]["survey_id"] == reply.json()["survey_id"]
    assert suggestion["data"]["kind"] == "saran"
    assert suggestion["data"]["channel"] == "survei"
    assert suggestion["data"]["identity"] == "anonim"
    assert suggestion["data"]["unit"] == "farmasi"
    assert reply.json()["suggestion"]["tracking_number"] == suggestion["data"]["tracking_number"]


async def test_survey_without_suggestion_publishes_only_the_survey(intake: Intake) -> None:
    body = {"clinic": "MDRJ1", "unit": "farmasi", "answers": ANSWERS, "respondent": RESPONDENT}
    reply = await intake.client.post("/api/v1/surveys", json=body)
    assert reply.status_code == 202, reply.text
    assert reply.json()["suggestion"] is None
    [event] = await intake.sink.wait_for(1)
    assert event["type"] == "survey.submitted"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answers": {**ANSWERS, "U4": 5}}, "answers.U4"),
        ({"answers": {**ANSWERS, "U1": 0}}, "answers.U1"),
        ({"answers": {k: v for k, v in ANSWERS.items() if k != "U9"}}, "answers.U9"),
        ({"respondent": {**RESPONDENT, "sex": "X"}}, "respondent.sex"),
        ({"unit": "radiologi"}, "unit"),
        ({"clinic": "NOPE9"}, "clinic"),
        ({"service_date": "2999-01-01"}, "service_date"),
    ],
)
async def test_bad_survey_is_refused_naming_the_field_and_publishes_nothing(
    intake: Intake, change: dict[str, Any], field: str
) -> None:
    body = {"clinic": "MDRJ1", "unit": "farmasi", "answers": ANSWERS, "respondent": RESPONDENT}
    reply = await intake.client.post("/api/v1/surveys", json={**body, **change})
    assert reply.status_code == 422, reply.text
    assert field in {error["field"] for error in reply.json()["errors"]}
    assert await intake.sink.events() == []


async def test_submissions_are_rate_limited_per_client(
    settings: Any, amqp: Any, mongo: Any
) -> None:
    import httpx

    from tests.integration.test_intake_fixtures import seed

    limited = intake_settings(settings, rate_limit_submit_per_minute=2)
    await seed(limited)
    async with Running(create_app(limited)) as running:
        transport = httpx.ASGITransport(app=running.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:

            async def submit(address: str) -> int:
                reply = await client.post(
                    "/api/v1/complaints", json=complaint(), headers={"X-Forwarded-For": address}
                )
                return reply.status_code

            assert [await submit("203.0.113.1") for _ in range(3)] == [202, 202, 429]
            assert await submit("203.0.113.2") == 202  # another client has its own allowance
