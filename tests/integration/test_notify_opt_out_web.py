"""A complainant answered by e-mail stops SIGAP's messages on the public tracking page (after
tracking number and PIN), through the real intake and notify apps, broker and database: the
page publishes ``reporter.opted_out`` naming the complaint, and nothing more is sent to that
address; the e-mail receipt says so instead of "reply BERHENTI"."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.intake.main import create_app as create_intake
from shared.events import Actor, ComplaintResponded, RespondedData
from tests.support.lifespan import Running
from tests.support.notify_harness import Notify
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration
EMAIL = "warga.lapor@contoh.id"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@contextlib.asynccontextmanager
async def portal_and_notify(start_notify: Any) -> AsyncIterator[tuple[httpx.AsyncClient, Notify]]:
    async with start_notify() as notify, Running(create_intake(notify.settings)) as intake:
        transport = httpx.ASGITransport(app=intake.app, client=("198.51.100.9", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://sigap.test") as web:
            yield web, notify


async def post_form(
    web: httpx.AsyncClient, page: httpx.Response, action: str, fields: dict[str, str]
) -> httpx.Response:
    token = TOKEN.search(page.text)
    assert token, f"no CSRF token on {page.url}"
    return await web.post(action, data={"csrf_token": token.group(1), **fields})


async def report_by_email(web: httpx.AsyncClient) -> tuple[str, str]:
    form = await web.get("/lapor/MDRJ1")
    fields = {
        "kind": "keluhan",
        "unit": "pendaftaran",
        "text": "Antrean pendaftaran lama sekali, lebih dari dua jam",
        "name": "Siti",
        "phone": "",
        "email": EMAIL,
    }
    receipt = await post_form(web, form, "/lapor/MDRJ1", fields)
    assert receipt.status_code == 200, receipt.text
    number = re.search(r'id="tracking-number">([^<]+)<', receipt.text)
    pin = re.search(r'id="pin">([0-9]+)<', receipt.text)
    assert number and pin, receipt.text
    return number.group(1), pin.group(1)


def mails_to(notify: Notify) -> list[Any]:
    return [m for m in notify.smtp.messages if m["To"] == EMAIL]


async def test_e_mail_complainant_who_stops_on_the_tracking_page_gets_nothing_afterwards(
    start_notify: Any,
) -> None:
    async with portal_and_notify(start_notify) as (web, notify):
        number, pin = await report_by_email(web)
        [receipt] = await eventually(lambda: _ready(mails_to(notify)), what="e-mail receipt")
        assert "BERHENTI" not in receipt.get_content()
        assert "Berhenti menerima pesan" in receipt.get_content()

        tracking = await web.get("/lacak")
        status = await post_form(web, tracking, "/lacak", {"tracking_number": number, "pin": pin})
        assert status.status_code == 200
        assert 'action="/lacak/berhenti"' in status.text
        fields = {"tracking_number": number, "pin": pin}
        stopped = await post_form(web, status, "/lacak/berhenti", fields)
        assert stopped.status_code == 200
        assert "tidak akan mengirim pesan lagi" in stopped.text
        db = notify.mongo[f"{notify.settings.mongodb_db_prefix}_notify"]
        await eventually(lambda: db["opt_outs"].find_one({"_id": EMAIL}), what="opt-out kept")

        complaint = await db["complaints"].find_one({"tracking_number": number})
        assert complaint is not None
        answer = ComplaintResponded.create(
            RespondedData(
                complaint_id=complaint["_id"], tracking_number=number, reply="Loket ditambah."
            ),
            district="banjarnegara",
            clinic="MDRJ1",
            actor=Actor(kind="staff", id="team-1"),
            correlation_id="after-stop",
        )
        await notify.publish(answer)
        records = await notify.settled(complaint["_id"], count=2)

        reply = next(r for r in records if r["template"] == "jawaban")
        assert reply["status"] == "suppressed"
        assert len(mails_to(notify)) == 1


async def test_a_wrong_pin_stops_nothing(start_notify: Any) -> None:
    async with portal_and_notify(start_notify) as (web, notify):
        number, pin = await report_by_email(web)
        tracking = await web.get("/lacak")
        wrong = "000000" if pin != "000000" else "111111"
        fields = {"tracking_number": number, "pin": wrong}
        refused = await post_form(web, tracking, "/lacak/berhenti", fields)

        assert refused.status_code == 404
        db = notify.mongo[f"{notify.settings.mongodb_db_prefix}_notify"]
        assert await db["opt_outs"].find_one({"_id": EMAIL}) is None


async def _ready(value: list[Any]) -> list[Any]:
    return value
