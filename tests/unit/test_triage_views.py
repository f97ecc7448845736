"""What each role sees of a complainant's identity."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.triage.views import detail, mask_reporter, summary
from shared.auth import Principal, Role

NOW = datetime(2026, 3, 10, tzinfo=UTC)
REPORTER = {"name": "Siti Aminah", "phone": "+6281234567890", "email": "siti@contoh.id"}


def doc(identity: str = "biasa", reporter: dict[str, Any] | None = REPORTER) -> dict[str, Any]:
    return {
        "_id": "c-1",
        "tracking_number": "MDRJ1-0001",
        "district": "banjarnegara",
        "clinic": "MDRJ1",
        "channel": "web",
        "kind": "keluhan",
        "identity": identity,
        "status": "triaged",
        "version": 2,
        "urgent": False,
        "text": "Antrian lama",
        "received_at": NOW,
        "deadlines": {"triage_due": NOW, "response_due": None},
        "reporter": reporter,
        "history": [],
    }


def staff(role: Role) -> Principal:
    return Principal("u-1", role, "banjarnegara", "MDRJ1")


def test_mask_keeps_initials_country_code_and_mail_domain() -> None:
    assert mask_reporter(REPORTER) == {
        "name": "S*** A*****",
        "phone": "+6281******890",
        "email": "s***@contoh.id",
    }


@pytest.mark.parametrize("role", [Role.COMPLAINT_TEAM, Role.HEAD])
def test_team_and_head_see_the_whole_identity_of_one_complaint(role: Role) -> None:
    for identity in ("biasa", "rahasia"):
        assert detail(doc(identity), staff(role), NOW)["reporter"] == REPORTER


@pytest.mark.parametrize("role", [Role.OFFICER, Role.UNIT, Role.QUALITY_TEAM])
def test_other_roles_see_a_masked_identity_and_none_of_a_confidential_one(role: Role) -> None:
    assert detail(doc("biasa"), staff(role), NOW)["reporter"] == mask_reporter(REPORTER)
    assert detail(doc("rahasia"), staff(role), NOW)["reporter"] is None


def test_lists_mask_the_identity_even_for_the_head() -> None:
    assert summary(doc(), staff(Role.HEAD), NOW)["reporter"] == mask_reporter(REPORTER)


def test_anonymous_complaint_shows_no_identity() -> None:
    assert detail(doc("anonim", None), staff(Role.HEAD), NOW)["reporter"] is None


def test_unconfirmed_triage_past_its_verify_deadline_is_overdue() -> None:
    assert summary(doc(), staff(Role.HEAD), NOW.replace(day=11))["overdue"] is True
    assert summary(doc(), staff(Role.HEAD), NOW.replace(day=9))["overdue"] is False
