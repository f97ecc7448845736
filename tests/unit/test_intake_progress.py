"""The complainant's tracking statuses."""

from __future__ import annotations

from services.intake.domain.progress import STATUS_AFTER, STATUS_LABELS, status_after, status_label
from shared.events import EVENT_TYPES
from shared.topology import SUBSCRIPTIONS


def test_every_status_an_event_leads_to_has_an_indonesian_label() -> None:
    assert set(STATUS_AFTER.values()) <= set(STATUS_LABELS)
    assert status_label("responded") == "Sudah dijawab"


def test_events_that_do_not_change_the_view_change_nothing() -> None:
    assert status_after("complaint.received") is None
    assert status_after("complaint.assigned") is None
    assert status_after("survey.submitted") is None


def test_intake_subscribes_to_exactly_the_events_that_move_the_view() -> None:
    # Besides the view: the closing question's answer, and erasure after the retention period.
    other_duties = {"notification.sent", "complaint.personal_data_purged"}
    assert set(SUBSCRIPTIONS["intake"]) - other_duties == set(STATUS_AFTER)
    assert set(STATUS_AFTER) <= EVENT_TYPES
