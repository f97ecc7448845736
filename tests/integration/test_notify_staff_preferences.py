"""Staff alert preferences from the console to the message, through the real triage and notify
apps, broker and database: an account created in the console is alerted over the contact
details it was given; every member chooses their own channels and digest at /konsol/preferensi,
a head sets a user's on the user page; a channel without its contact detail is refused."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from shared.users import UserStore
from tests.integration.triage_console_client import ConsoleClient, signed_in
from tests.integration.triage_harness import Harness, running_triage
from tests.support.notify_harness import Notify, received
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration
PASSWORD = "antrean-pagi-2026"
EMAIL = "tim.baru@mandiraja.id"
PHONE = "+6281100000077"


@contextlib.asynccontextmanager
async def console_and_notify(start_notify: Any) -> AsyncIterator[tuple[Harness, Notify]]:
    async with start_notify() as notify, running_triage(notify.settings) as triage:
        # The notify harness's bare staff records are no accounts the console could list.
        users = notify.mongo[f"{notify.settings.mongodb_db_prefix}_directory"]["users"]
        await users.delete_many({"password_hash": {"$exists": False}})
        yield triage, notify


async def create_team_member(head: ConsoleClient, **contacts: str) -> str:
    answer = await head.submit(
        "/konsol/pengguna",
        "/konsol/pengguna",
        {
            "username": "tim.baru",
            "name": "Tim Baru",
            "role": "complaint_team",
            "clinic": "MDRJ1",
            **contacts,
            "password": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"]).split("/")[-1].split("?")[0]


async def alerts_of(notify: Notify, user_id: str, complaint: Any) -> list[dict[str, Any]]:
    """The user's alerts about the complaint, once each is sent or held for the digest."""
    docs: list[dict[str, Any]] = await eventually(
        lambda: notify.notifications.find(
            {"user_id": user_id, "complaint_id": complaint.data.complaint_id}
        ).to_list(),
        until=lambda docs: bool(docs) and all(d["status"] in ("sent", "held") for d in docs),
        what="alerts planned",
    )
    return docs


async def test_console_account_is_alerted_by_contacts_until_it_chooses_its_own(
    start_notify: Any,
) -> None:
    async with console_and_notify(start_notify) as (triage, notify):
        head = await signed_in(triage, "mdrj1.kepala", new_browser=True)
        user_id = await create_team_member(head, email=EMAIL, phone=PHONE)
        first = received("web")
        await notify.publish(first)

        alerts = await alerts_of(notify, user_id, first)
        assert sorted((a["channel"], a["status"]) for a in alerts) == [
            ("email", "sent"),
            ("whatsapp", "sent"),
        ]

        member = await signed_in(triage, "tim.baru", PASSWORD, new_browser=True)
        form = await member.http.get("/konsol/preferensi")
        assert 'value="email" checked' in form.text and 'value="whatsapp" checked' in form.text
        answer = await member.submit(
            "/konsol/preferensi",
            "/konsol/preferensi",
            {"notify_channels": ["whatsapp"], "digest": "1", "email": EMAIL, "phone": PHONE},
        )
        assert answer.status_code == 303
        saved = await member.http.get(answer.headers["location"])
        assert "Preferensi pemberitahuan disimpan." in saved.text
        second = received("web")
        await notify.publish(second)

        [alert] = await alerts_of(notify, user_id, second)
        assert (alert["channel"], alert["status"]) == ("whatsapp", "held")  # daily digest


async def test_head_sets_a_users_alerts_on_the_user_page_and_a_channel_needs_its_contact(
    start_notify: Any,
) -> None:
    async with console_and_notify(start_notify) as (triage, notify):
        head = await signed_in(triage, "mdrj1.kepala", new_browser=True)
        user_id = await create_team_member(head, email=EMAIL)
        page = f"/konsol/pengguna/{user_id}"
        action = f"{page}/pemberitahuan"

        refused = await head.submit(page, action, {"notify_channels": ["whatsapp"], "email": EMAIL})
        assert refused.status_code == 422
        assert "Pemberitahuan lewat WhatsApp memerlukan nomor HP" in refused.text
        users = UserStore(triage.triage.runtime.directory_db)
        user = await users.by_id(user_id)
        assert user is not None and user.notify_channels is None  # unchanged
        answer = await head.submit(
            page, action, {"notify_channels": ["email", "whatsapp"], "email": EMAIL, "phone": PHONE}
        )
        assert answer.status_code == 303
        user = await users.by_id(user_id)
        assert user is not None
        assert (user.notify_channels, user.phone, user.digest) == (
            ("email", "whatsapp"),
            PHONE,
            False,
        )
        shown = await head.http.get(answer.headers["location"])
        assert "Preferensi pemberitahuan disimpan." in shown.text
        event = received("web")
        await notify.publish(event)

        alerts = await alerts_of(notify, user_id, event)
        assert sorted(a["address"] for a in alerts) == [PHONE, EMAIL]
