"""The clinic chooses to publish an answer on the response board (papan tanggapan), from the
staff API's reply body or the console's reply form, through the real triage and notify apps,
broker and database: a published answer to an identified complainant is on the board without
their name, phone or e-mail; an answer not published is not."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from shared.events import Reporter
from tests.integration.triage_console_client import ConsoleClient
from tests.integration.triage_harness import Harness, running_triage
from tests.support.notify_harness import Notify
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration
NAME, PHONE, EMAIL = "Siti Aminah", "+6281234567890", "siti.aminah@contoh.id"
TEXT = f"Nama saya {NAME}, HP 0812-3456-7890, email {EMAIL}. Mohon ruang tunggu diberi kipas."
TRIAGE = {"kind": "saran", "category": "kebersihan_sarana", "unit": "pendaftaran"}


@contextlib.asynccontextmanager
async def triage_and_notify(start_notify: Any) -> AsyncIterator[tuple[Harness, Notify]]:
    async with start_notify() as notify, running_triage(notify.settings) as triage:
        yield triage, notify


async def suggestion(triage: Harness) -> Any:
    received = await triage.receive(
        channel="web",
        kind="saran",
        text=TEXT,
        reporter=Reporter(name=NAME, phone=PHONE, email=EMAIL),
    )
    return received.data


async def board(notify: Notify, count: int) -> list[dict[str, Any]]:
    async def entries() -> list[dict[str, Any]]:
        return list((await notify.http.get("/api/v1/notify/board/MDRJ1")).json()["entries"])

    return await eventually(entries, until=lambda found: len(found) >= count, what="board")


async def test_answers_the_team_publishes_are_on_the_board_without_identity_others_are_not(
    start_notify: Any,
) -> None:
    async with triage_and_notify(start_notify) as (triage, notify):
        by_api, by_form, private = [await suggestion(triage) for _ in range(3)]
        triaged = await triage.command(by_api.complaint_id, "triage", {**TRIAGE, "urgent": False})
        assert triaged.status_code == 200, triaged.text
        body = {"text": f"Terima kasih Bu {NAME}. Kipas dipasang.", "publish_on_board": True}
        replied = await triage.command(by_api.complaint_id, "reply", body)
        assert replied.status_code == 200, replied.text
        console = ConsoleClient(triage.http)
        assert (await console.login("mdrj1.aduan")).status_code == 303
        for data, chosen in ((by_form, {"publish_on_board": "1"}), (private, {})):
            await console.command(data.complaint_id, "triage", TRIAGE)
            page = await triage.http.get(f"/konsol/aduan/{data.complaint_id}")
            assert 'name="publish_on_board"' in page.text
            answer = await console.command(
                data.complaint_id, "reply", {"text": "Kipas dipasang minggu ini.", **chosen}
            )
            assert answer.status_code == 303, answer.text
        for data in (by_api, by_form, private):
            await triage.tap.wait_for("complaint.responded", data.complaint_id)
        # The private answer is sent to the complainant: once it is, notify has handled it.
        await notify.settled(private.complaint_id, count=2)

        entries = await board(notify, 2)
        assert sorted(e["tracking_number"] for e in entries) == sorted(
            [by_api.tracking_number, by_form.tracking_number]
        )
        published = [
            e["data"]["publish_on_board"]
            for e in triage.tap.of("complaint.responded")
            if e["data"]["complaint_id"] == str(private.complaint_id)
        ]
        assert published == [False]
        shown = str(entries) + (await notify.http.get("/papan-tanggapan/MDRJ1")).text
        for secret in (NAME, "Siti", "Aminah", PHONE, "0812-3456-7890", EMAIL):
            assert secret not in shown
        assert "Kipas dipasang" in shown
