"""`sigap rebuild-reports`: reporting's rebuild (services/reporting/rebuild.py) with a progress
bar. The rebuild writes each complaint's recomputed fact as it goes, so the facts written so far
against the complaints in the event log are its progress; they are read while it runs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from rich.table import Table

from ops import cli_support
from ops.cli_support import console
from services.reporting.rebuild import rebuild_database
from services.reporting.store import EVENT_LOG, FACTS
from shared.directory import Directory
from shared.settings import Settings
from shared.storage import Database, create_client, database

POLL_SECONDS = 0.5
Advance = Callable[[int, int], None]  # (complaints done, complaints in all)


async def logged_complaints(db: Database) -> int:
    """How many complaints the event log holds: what the rebuild goes through one by one."""
    pipeline: list[dict[str, Any]] = [
        {"$match": {"subject": "complaint"}},
        {"$group": {"_id": "$complaint_id"}},
        {"$count": "complaints"},
    ]
    counted = [doc async for doc in await db[EVENT_LOG].aggregate(pipeline)]
    return int(counted[0]["complaints"]) if counted else 0


async def rebuild_with_progress(settings: Settings, advance: Advance) -> dict[str, int]:
    client = create_client(settings)
    try:
        db = database(client, settings, "reporting")
        directory = Directory(database(client, settings, "directory"))
        total = await logged_complaints(db)
        advance(0, total)
        work = asyncio.create_task(rebuild_database(db, directory))
        try:
            while not work.done():
                await asyncio.wait({work}, timeout=POLL_SECONDS)
                if not work.done():
                    advance(min(await db[FACTS].count_documents({}), total), total)
        finally:
            # A failed progress read must not leave the rebuild running without its client.
            if not work.done():
                work.cancel()
        counts = await work
        advance(counts["complaints"], counts["complaints"])
        return counts
    finally:
        await client.close()


def rebuild_reports_command() -> None:
    """Hitung ulang semua rekap dari riwayat peristiwa (hentikan layanan reporting dulu)."""
    with cli_support.progress_bar() as progress:
        task = progress.add_task("Aduan dihitung ulang", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        counts = cli_support.run(rebuild_with_progress(cli_support.settings(), advance))
    table = Table(title="Rekap dihitung ulang")
    table.add_column("jenis")
    table.add_column("jumlah", justify="right")
    for name, value in counts.items():
        table.add_row(name, str(value))
    console.print(table)
    console.print("[green]✓[/green] Rekap selesai dihitung ulang.")
