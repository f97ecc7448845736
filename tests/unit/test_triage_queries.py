"""The register's filters are built from who asks, never only from the request."""

from __future__ import annotations

from datetime import UTC, datetime

from services.triage.domain.complaint import Status
from services.triage.queries import ComplaintQuery, matching

NOW = datetime(2026, 3, 10, tzinfo=UTC)


def test_filter_always_holds_the_district_the_clinic_and_the_unit_scope() -> None:
    spec = matching(ComplaintQuery("banjarnegara", "MDRJ1", unit_scope="farmasi"), NOW)
    assert spec["$and"][:3] == [
        {"district": "banjarnegara"},
        {"clinic": "MDRJ1"},
        {"unit": "farmasi"},
    ]


def test_text_search_matches_all_stemmed_words_of_the_query() -> None:
    spec = matching(ComplaintQuery("d", text="Antriannya LAMAAA bgt"), NOW)
    assert spec["$and"][-1] == {"keywords": {"$all": ["antri", "lama"]}}


def test_query_of_only_stop_words_matches_nothing() -> None:
    spec = matching(ComplaintQuery("d", text="yang dan di"), NOW)
    assert {"_id": None} in spec["$and"]


def test_equality_filters_are_added_only_when_given() -> None:
    spec = matching(ComplaintQuery("d", status=Status.PLANNED, channel="sms"), NOW)
    assert spec["$and"] == [{"district": "d"}, {"status": "planned"}, {"channel": "sms"}]
