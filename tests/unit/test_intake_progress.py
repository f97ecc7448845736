"""The complainant's tracking statuses and the edge rules of intake (client address)."""

from __future__ import annotations

from starlette.requests import Request

from services.intake.domain.progress import STATUS_AFTER, STATUS_LABELS, status_after, status_label
from services.intake.edge import client_address
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


def request(headers: dict[str, str], peer: str = "10.0.0.5") -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "headers": raw, "client": (peer, 1234)})


def test_client_is_the_address_the_proxy_put_last_in_x_forwarded_for() -> None:
    forged_then_proxy = request({"X-Forwarded-For": "1.2.3.4, 198.51.100.7"})
    assert client_address(forged_then_proxy, trust_forwarded_for=True) == "198.51.100.7"


def test_without_a_trusted_proxy_the_peer_address_is_the_client() -> None:
    forged = request({"X-Forwarded-For": "1.2.3.4"})
    assert client_address(forged, trust_forwarded_for=False) == "10.0.0.5"
    assert client_address(request({}), trust_forwarded_for=True) == "10.0.0.5"


def test_automatic_triage_is_not_shown_as_verified() -> None:
    from services.intake.domain.progress import status_after

    assert status_after("complaint.triaged", automatic=True) is None
    assert status_after("complaint.triaged", automatic=False) == "triaged"
