"""The notify service's failed sends through the real broker and database and a local
stand-in of the SMS provider: a temporary failure is retried, a message that keeps failing is
dead-lettered after the last attempt, and a permanent failure waits for an operator's retry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from shared.auth import Role
from tests.support.notify_harness import published, received
from tests.support.provider_stub import HttpProviderStub
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration


def answer_once_unavailable(sms: HttpProviderStub) -> None:
    sms.answer_next((503, {"code": 20503, "message": "Service unavailable"}))


def always_fail(sms: HttpProviderStub) -> None:
    sms.always((500, {"code": 20500, "message": "Internal error"}))


@pytest.mark.parametrize(
    ("provider", "status", "attempts", "failures"),
    [
        # notification.failed published per failed attempt: (permanent, temporary)
        pytest.param(answer_once_unavailable, "sent", 2, (0, 1), id="temporary-then-sent"),
        pytest.param(always_fail, "failed", 3, (1, 2), id="dead-lettered-after-last-attempt"),
    ],
)
async def test_failed_send_is_retried_until_sent_or_the_last_attempt(
    start_notify: Any,
    provider: Callable[[HttpProviderStub], None],
    status: str,
    attempts: int,
    failures: tuple[int, int],
) -> None:
    async with start_notify() as notify:
        provider(notify.sms)
        event = received("sms")
        await notify.publish(event)
        [record] = [
            r for r in await notify.settled(event.data.complaint_id) if r["channel"] == "sms"
        ]

        assert record["status"] == status
        assert record["attempts"] == attempts
        assert len(notify.sms.requests) == attempts
        failed = await eventually(
            lambda: published(notify, "notification.failed"),
            until=lambda docs: len(docs) >= sum(failures),
            what="the failures published",
        )
        bodies = [d["body"] for d in failed]
        assert len(bodies) == sum(failures)
        permanent = sum('"permanent":true' in body for body in bodies)
        assert (permanent, sum('"permanent":false' in body for body in bodies)) == failures


async def test_permanent_failure_fails_at_once_and_an_operator_can_retry_it(
    start_notify: Any,
) -> None:
    async with start_notify() as notify:
        notify.sms.answer_next((400, {"code": 21211, "message": "Invalid 'To' Phone Number"}))
        event = received("sms")
        await notify.publish(event)
        [record] = [
            r for r in await notify.settled(event.data.complaint_id) if r["channel"] == "sms"
        ]
        assert record["status"] == "failed"
        assert len(notify.sms.requests) == 1
        assert "21211" in record["last_error"]

        listed = await notify.http.get("/api/v1/notify/failed", headers=notify.token(Role.HEAD))
        assert [item["id"] for item in listed.json()] == [str(record["_id"])]
        other = await notify.http.get(
            "/api/v1/notify/failed", headers=notify.token(Role.HEAD, "MDRJ2")
        )
        assert other.json() == []
        hidden = await notify.http.post(
            f"/api/v1/notify/failed/{record['_id']}/retry",
            headers=notify.token(Role.HEAD, "MDRJ2"),
        )
        assert hidden.status_code == 404

        retry = await notify.http.post(
            f"/api/v1/notify/failed/{record['_id']}/retry", headers=notify.token(Role.HEAD)
        )
        assert retry.status_code == 202
        await eventually(
            lambda: notify.notifications.find_one({"_id": record["_id"], "status": "sent"}),
            what="sent after the operator's retry",
        )
        assert len(notify.sms.requests) == 2
