"""Staff entry of the staff-logged channels, the suggestion box and paper surveys."""

from __future__ import annotations

from typing import Any

import pytest

from shared.auth import Role
from tests.integration.test_intake_fixtures import Intake, intake_fixture  # noqa: F401

pytestmark = pytest.mark.integration

FORM = {
    "unit": "poli_umum",
    "service_date": "2026-11-02",
    "answers": {f"U{i}": 2 + i % 3 for i in range(1, 10)},
    "respondent": {"sex": "L", "age": 52, "education": "smp", "occupation": "Nelayan"},
}


def entry(channel: str, **overrides: Any) -> dict[str, Any]:
    return {
        "channel": channel,
        "kind": "keluhan",
        "text": "Petugas loket kurang ramah",
        "reporter": {"name": "Budi", "phone": "+6281311112222"},
        **overrides,
    }


@pytest.mark.parametrize(
    ("body", "source"),
    [
        (entry("langsung"), None),
        (entry("telepon"), None),
        (entry("buku_keluhan", reported_on="2026-11-01"), {"reported_on": "2026-11-01"}),
        (entry("media_sosial", platform="instagram"), {"platform": "instagram"}),
        (entry("media_sosial", platform="email"), {"platform": "email"}),
        (entry("lokmin", reported_on="2026-10-28", anonymous=True, reporter=None), None),
    ],
)
async def test_staff_recorded_complaint_arrives_with_its_channel(
    intake: Intake, body: dict[str, Any], source: dict[str, str] | None
) -> None:
    reply = await intake.client.post("/api/v1/entry/complaints", json=body, headers=intake.staff())
    assert reply.status_code == 202, reply.text
    assert len(reply.json()["pin"]) == 6  # the officer hands number and PIN to the complainant
    [event] = await intake.sink.wait_for(1)
    assert event["clinic"] == "MDRJ1"
    assert event["data"]["channel"] == body["channel"]
    assert event["actor"] == {"kind": "staff", "id": "user-officer", "role": "officer"}
    for key, value in (source or {}).items():
        assert event["data"]["source"][key] == value


async def test_entry_needs_a_staff_session_allowed_to_record(intake: Intake) -> None:
    body = entry("langsung")
    assert (await intake.client.post("/api/v1/entry/complaints", json=body)).status_code == 401
    unit_user = intake.staff(Role.UNIT)
    reply = await intake.client.post("/api/v1/entry/complaints", json=body, headers=unit_user)
    assert reply.status_code == 403
    assert await intake.sink.events() == []


async def test_entry_for_another_clinic_answers_404(intake: Intake) -> None:
    body = entry("langsung", clinic="RANAI")
    reply = await intake.client.post("/api/v1/entry/complaints", json=body, headers=intake.staff())
    assert reply.status_code == 404
    assert await intake.sink.events() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (entry("media_sosial"), "platform"),
        (entry("telepon", platform="facebook"), "platform"),
        (entry("langsung", anonymous=True), "reporter"),
        (entry("whatsapp"), "channel"),
        (entry("langsung", unit="radiologi"), "unit"),
        (entry("telepon", reporter={"phone": "0812"}), "reporter.phone"),
    ],
)
async def test_bad_entry_is_refused_naming_the_field(
    intake: Intake, body: dict[str, Any], field: str
) -> None:
    reply = await intake.client.post("/api/v1/entry/complaints", json=body, headers=intake.staff())
    assert reply.status_code == 422, reply.text
    assert field in {e["field"] for e in reply.json()["errors"]}
    assert await intake.sink.events() == []


async def test_suggestion_box_opening_creates_one_complaint_per_slip(intake: Intake) -> None:
    body = {
        "opened_on": "2026-11-02",
        "slips": [
            {"kind": "saran", "text": "Tambah kursi ruang tunggu"},
            {"kind": "keluhan", "text": "Toilet kotor", "unit": "poli_umum"},
            {"kind": "pujian", "text": "Dokter gigi sabar"},
        ],
    }
    reply = await intake.client.post(
        "/api/v1/entry/suggestion-box", json=body, headers=intake.staff()
    )
    assert reply.status_code == 202, reply.text
    receipt = reply.json()
    events = await intake.sink.wait_for(3)
    assert [e["data"]["channel"] for e in events] == ["kotak_saran"] * 3
    assert {e["data"]["identity"] for e in events} == {"anonim"}
    assert {e["data"]["source"]["batch_id"] for e in events} == {receipt["batch_id"]}
    assert {e["data"]["source"]["reported_on"] for e in events} == {"2026-11-02"}
    assert [e["data"]["tracking_number"] for e in events] == receipt["tracking_numbers"]
    opening = await intake.collection("suggestion_box_openings").find_one(
        {"_id": receipt["batch_id"]}
    )
    assert opening["slips"] == 3
    assert opening["opened_on"] == "2026-11-02"
    assert opening["clinic"] == "MDRJ1"


async def test_box_opening_with_one_bad_slip_publishes_none(intake: Intake) -> None:
    body = {
        "opened_on": "2026-11-02",
        "slips": [
            {"kind": "saran", "text": "Tambah kursi"},
            {"kind": "keluhan", "text": "Lampu mati", "unit": "radiologi"},
        ],
    }
    reply = await intake.client.post(
        "/api/v1/entry/suggestion-box", json=body, headers=intake.staff()
    )
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["field"] == "slips.1.unit"
    assert await intake.sink.events() == []


async def test_paper_surveys_are_entered_in_bulk(intake: Intake) -> None:
    body = {
        "forms": [
            FORM,
            {**FORM, "suggestion": "Jam buka poli diperpanjang"},
            {**FORM, "unit": "farmasi"},
        ]
    }
    headers = intake.staff(Role.QUALITY_TEAM)
    reply = await intake.client.post("/api/v1/entry/surveys", json=body, headers=headers)
    assert reply.status_code == 202, reply.text
    assert reply.json()["accepted"] == 3
    events = await intake.sink.wait_for(4)
    surveys = [e for e in events if e["type"] == "survey.submitted"]
    suggestions = [e for e in events if e["type"] == "complaint.received"]
    assert len(surveys) == 3
    assert {s["data"]["form"] for s in surveys} == {"kertas"}
    assert [s["data"]["tracking_number"] for s in suggestions] == reply.json()["suggestions"]
    assert suggestions[0]["data"]["kind"] == "saran"


async def test_paper_survey_with_an_answer_outside_1_to_4_is_refused(intake: Intake) -> None:
    bad = {**FORM, "answers": {**FORM["answers"], "U3": 7}}
    body = {"forms": [FORM, bad]}
    headers = intake.staff(Role.QUALITY_TEAM)
    reply = await intake.client.post("/api/v1/entry/surveys", json=body, headers=headers)
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["field"] == "forms.1.answers.U3"
    assert await intake.sink.events() == []
