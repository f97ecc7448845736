"""The public response board (papan tanggapan) and the daily digest, through the real broker
and database."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import httpx
import pytest

from ops.seed import seed_demo
from services.notify.digest import DigestMaker
from services.notify.domain.messages import KIND_LABELS
from services.notify.main import create_app
from services.notify.store import NotifyStore
from services.notify.templates import PACKAGED, TemplateLibrary
from shared.directory import Directory
from shared.events import (
    Actor,
    ComplaintReceived,
    ComplaintReceivedData,
    ComplaintResponded,
    ComplaintTriaged,
    ComplaintTriagedData,
    Reporter,
    RespondedData,
)
from shared.settings import Settings
from shared.storage import create_client, database
from shared.web.i18n import MESSAGES
from shared.web.pages import SHARED
from tests.support.lifespan import Running
from tests.support.notify_harness import Mongo
from tests.support.publishing import publish
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration
TEXT = (
    "Nama saya Siti Aminah, HP 0812-3456-7890, email siti.aminah@contoh.id. "
    "Petugas loket, Pak Budi Santoso, membentak saya. Hubungi +62 812 9876 5432."
)


@pytest.fixture
async def notify(
    settings: Settings, amqp: aio_pika.abc.AbstractRobustConnection, mongo: Mongo
) -> AsyncIterator[httpx.AsyncClient]:
    await seed_demo(settings)
    async with (
        Running(create_app(settings)) as app,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app.app), base_url="http://sigap.test"
        ) as client,
    ):
        yield client


async def answer(
    amqp: aio_pika.abc.AbstractRobustConnection,
    settings: Settings,
    *,
    channel: str = "web",
    identity: str = "biasa",
    publish_on_board: bool = False,
    reply: str = "Terima kasih Bu Siti. Petugas sudah dibina dan loket ditambah.",
) -> ComplaintReceived:
    received, triage, response = complaint_events(channel, identity, publish_on_board, reply)
    await publish(amqp, settings, received, triage, response)
    return received


def complaint_events(
    channel: str, identity: str, publish_on_board: bool, reply: str
) -> tuple[ComplaintReceived, ComplaintTriaged, ComplaintResponded]:
    """A complaint's receipt, its triage by a person and the team's answer."""
    reporter = (
        None if identity == "anonim" else Reporter(name="Siti Aminah", phone="+6281234567890")
    )
    received = ComplaintReceived.create(
        ComplaintReceivedData(
            complaint_id=uuid.uuid4(),
            tracking_number=f"MDRJ1-2611-{uuid.uuid4().hex[:4].upper()}",
            pin="111222",
            channel=channel,  # type: ignore[arg-type]
            kind="keluhan",
            text=TEXT,
            identity=identity,  # type: ignore[arg-type]
            reporter=reporter,
            received_at=datetime.now(UTC),
        ),
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor(kind="public"),
        correlation_id=str(uuid.uuid4()),
    )
    ref = {
        "complaint_id": received.data.complaint_id,
        "tracking_number": received.data.tracking_number,
    }
    triaged = ComplaintTriagedData(
        **ref,
        kind="keluhan",
        category="perilaku_petugas",
        unit="pendaftaran",
        urgent=False,
        automatic=False,
    )
    responded = RespondedData(**ref, reply=reply, publish_on_board=publish_on_board)
    staff = Actor(kind="staff", id="team-1")
    return (
        received,
        ComplaintTriaged.following(received, triaged, actor=staff),
        ComplaintResponded.following(received, responded, actor=staff),
    )


async def board_entries(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    return list((await client.get("/api/v1/notify/board/MDRJ1")).json()["entries"])


async def board(client: httpx.AsyncClient, until: int) -> list[dict[str, Any]]:
    return await eventually(
        lambda: board_entries(client), until=lambda found: len(found) >= until, what="board"
    )


async def test_board_shows_anonymous_and_box_answers_without_any_identity(
    notify: httpx.AsyncClient, amqp: aio_pika.abc.AbstractRobustConnection, settings: Settings
) -> None:
    anonymous = await answer(amqp, settings, identity="anonim")
    await answer(amqp, settings)  # an ordinary complaint is answered privately
    from_box = await answer(amqp, settings, channel="kotak_saran")
    chosen = await answer(amqp, settings, publish_on_board=True)
    entries = await board(notify, until=3)

    assert {e["tracking_number"] for e in entries} == {
        anonymous.data.tracking_number,
        from_box.data.tracking_number,
        chosen.data.tracking_number,
    }
    page = await notify.get("/papan-tanggapan/MDRJ1")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Papan Tanggapan" in page.text
    shown = page.text.split("<main>")[1].split("</main>")[0] + str(entries)
    assert "loket ditambah" in shown
    assert "perilaku_petugas" in str(entries)
    for secret in (
        "Siti",
        "Aminah",
        "Budi",
        "Santoso",
        "contoh.id",
        "@",
        "0812",
        "3456",
        "7890",
        "9876",
        "5432",
        "+62",
    ):
        assert secret not in shown, secret


async def test_a_triage_that_arrives_after_the_answer_still_shows_on_the_board(
    notify: httpx.AsyncClient, amqp: aio_pika.abc.AbstractRobustConnection, settings: Settings
) -> None:
    received, triage, response = complaint_events("web", "anonim", False, "Sudah ditangani.")
    await publish(amqp, settings, received, response)
    (entry,) = await board(notify, until=1)
    assert (entry["tracking_number"], entry["category"]) == (received.data.tracking_number, None)
    await publish(amqp, settings, triage)

    (entry,) = await eventually(
        lambda: board_entries(notify),
        until=lambda found: found[0]["category"] is not None,
        what="triaged entry",
    )
    assert (entry["category"], entry["unit"]) == ("perilaku_petugas", "pendaftaran")


async def test_board_is_printable_on_a4_without_external_assets(
    notify: httpx.AsyncClient, amqp: aio_pika.abc.AbstractRobustConnection, settings: Settings
) -> None:
    await answer(amqp, settings, identity="anonim", reply="<script>alert(1)</script> Sudah.")
    await board(notify, until=1)

    page = (await notify.get("/papan-tanggapan/mdrj1/cetak")).text
    assert "size: A4" in page and "@media print" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "src=" not in page and "<link" not in page


async def test_board_and_its_print_version_switch_to_english_and_link_back_to_the_portal(
    notify: httpx.AsyncClient, amqp: aio_pika.abc.AbstractRobustConnection, settings: Settings
) -> None:
    await answer(amqp, settings, identity="anonim")
    await board(notify, until=1)

    for path in ("/papan-tanggapan/MDRJ1", "/papan-tanggapan/MDRJ1/cetak"):
        english = await notify.get(path, params={"lang": "en"})
        assert english.status_code == 200
        assert '<html lang="en">' in english.text
        assert "<h1>Response Board</h1>" in english.text
        assert "Response</h2>" in english.text and "identities are not shown" in english.text
        assert 'name="lang"' in english.text  # the layout's language switch
        assert 'href="/"' in english.text and 'href="/lapor/MDRJ1"' in english.text
        assert "Papan Tanggapan" not in english.text
        assert english.cookies.get("sigap_lang") == "en"
    indonesian = await notify.get("/papan-tanggapan/MDRJ1", params={"lang": "id"})
    assert "<h1>Papan Tanggapan</h1>" in indonesian.text


def test_every_word_the_board_shows_has_an_english_text() -> None:
    shown: set[str] = set(KIND_LABELS.values())
    for name in ("papan_tanggapan.html", "papan_tanggapan_cetak.html", "_portal.html"):
        folder = SHARED / "templates" if name.startswith("_") else PACKAGED
        shown |= set(re.findall(r"t\('([^']+)'\)", (folder / name).read_text(encoding="utf-8")))
    assert sorted(shown - MESSAGES["en"].keys()) == []


async def test_board_of_an_unknown_clinic_is_404(notify: httpx.AsyncClient) -> None:
    assert (await notify.get("/papan-tanggapan/NOPE9")).status_code == 404
    assert (await notify.get("/api/v1/notify/board/NOPE9")).status_code == 404


async def test_daily_digest_gathers_held_alerts_into_one_message_at_the_digest_hour(
    settings: Settings, mongo: Mongo
) -> None:
    await seed_demo(settings)
    client = create_client(settings)
    try:
        db = database(client, settings, "notify")
        store = NotifyStore(db, database(client, settings, "directory"))
        yesterday = datetime.now(UTC) - timedelta(days=1)
        await db["notifications"].insert_many(
            [
                {
                    "_id": uuid.uuid4(),
                    "cause_event_id": uuid.uuid4(),
                    "recipient_key": "k",
                    "complaint_id": uuid.uuid4(),
                    "district": "banjarnegara",
                    "clinic": "MDRJ1",
                    "correlation_id": "c",
                    "audience": "complaint_team",
                    "channel": "email",
                    "address": "rekap@mdrj1.test",
                    "user_id": "team-2",
                    "template": "staf_aduan_baru",
                    "status": "held",
                    "created_at": yesterday,
                    "params": {"jenis": "Pengaduan", "nomor_tiket": f"MDRJ1-2611-000{n}"},
                }
                for n in range(3)
            ]
        )
        # 08:00 WIB today: after the 07:00 digest hour.
        now = datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
        maker = DigestMaker(
            store,
            client,
            Directory(database(client, settings, "directory")),
            TemplateLibrary(),
            digest_hour=7,
            clock=lambda: now,
        )

        assert await maker.run_once() == 1
        assert await maker.run_once() == 0  # once a day
        [digest] = await db["notifications"].find({"status": "queued"}).to_list()
        assert digest["template"] == "staf_ringkasan_harian"
        assert digest["params"]["jumlah"] == 3
        assert "MDRJ1-2611-0002" in digest["params"]["daftar"]
        assert await db["notifications"].count_documents({"status": "digested"}) == 3
    finally:
        await client.close()
