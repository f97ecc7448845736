"""Deadline settings per district and clinic, and the measured accuracy of automatic triage,
over the staff API against the real broker and database."""

from __future__ import annotations

import pytest

from shared.auth import Role
from tests.integration.triage_harness import Harness

pytestmark = pytest.mark.integration
ADMIN = {"role": Role.ADMIN, "clinic": None}
SETTINGS = "/api/v1/staff/deadline-settings"


async def test_operator_sets_a_clinic_policy_that_new_complaints_follow(triage: Harness) -> None:
    body = {"policy": {"triage_days": 1, "response_days": 2}, "days_off": ["2026-06-01"]}
    saved = await triage.http.put(
        f"{SETTINGS}/clinic/MDRJ1", json=body, headers=triage.token(**ADMIN)
    )
    assert saved.status_code == 200, saved.text
    read = await triage.http.get(f"{SETTINGS}/clinic/MDRJ1", headers=triage.token(**ADMIN))
    assert read.json() == body
    calendar = await triage.triage.calendars.for_clinic("MDRJ1")
    assert (calendar.policy.triage_days, calendar.policy.response_days) == (1, 2)
    assert calendar.policy.auto_close_days == 10  # not overridden: the default stays


async def test_deadline_settings_stay_within_the_operator_district(triage: Harness) -> None:
    other = {"role": Role.ADMIN, "clinic": None, "district": "natuna"}
    body = {"policy": {"triage_days": 1}}
    for path in ("clinic/MDRJ1", "district/banjarnegara", "clinic/NOPE1"):
        answer = await triage.http.put(
            f"{SETTINGS}/{path}", json=body, headers=triage.token(**other)
        )
        assert answer.status_code == 404, path
    head = await triage.http.put(
        f"{SETTINGS}/clinic/MDRJ1", json=body, headers=triage.token(role=Role.HEAD)
    )
    assert head.status_code == 403


async def test_impossible_policy_is_refused_naming_the_field(triage: Harness) -> None:
    answer = await triage.http.put(
        f"{SETTINGS}/district/banjarnegara",
        json={"policy": {"triage_days": 0}},
        headers=triage.token(**ADMIN),
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "policy.triage_days"


async def test_accuracy_counts_what_people_kept_of_the_automatic_triage(triage: Harness) -> None:
    kept = (await triage.receive()).data.complaint_id
    corrected = (await triage.receive()).data.complaint_id
    decision = {"kind": "keluhan", "category": "waktu_tunggu", "unit": "pendaftaran"}
    await triage.command(kept, "triage", {**decision, "urgent": False})
    await triage.command(corrected, "triage", {**decision, "unit": "poli_umum", "urgent": False})
    await triage.receive(clinic="MDRJ2")  # another clinic's complaint is not counted

    answer = await triage.http.get("/api/v1/staff/triage/accuracy", headers=triage.token())
    assert answer.json() == {
        "reviewed": 2,
        "kept": {"kind": 1.0, "category": 1.0, "unit": 0.5, "urgent": 1.0},
    }
