"""`sigap purge-personal-data`: erase the personal data of complaints finished (closed or
rejected) longer ago than the retention period, keeping the anonymous statistics.

Each service erases its own data. This command acts for triage, which owns the complaint's
life: it picks the complaints that qualify, erases triage's copy and, in the same transaction,
stages ``complaint.personal_data_purged`` in triage's outbox, then publishes it with confirms.
Intake and notify erase their copies when the event reaches them (idempotently, like every
consumer); reporting logs it and changes no figure, having only ever stored the masked reporter.
A command killed half-way loses nothing: what was erased has its event in the outbox (triage's
relay publishes it), and what was not is found again by the next run.

A dry run changes nothing and publishes nothing; it counts what each service still holds for
the complaints that qualify (a read of the other services' databases, never a write).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from services.intake import privacy as intake_privacy
from services.notify import privacy as notify_privacy
from services.triage import privacy as triage_privacy
from services.triage.privacy import PurgeCandidate, RetentionPurge
from shared.events import utc_now
from shared.messaging import RabbitPublisher, make_broker
from shared.outbox import Outbox
from shared.settings import Settings
from shared.storage import Client, create_client, database


class Progress(Protocol):
    def __call__(self, done: int, total: int) -> None: ...


@dataclass
class PurgeReport:
    cutoff: datetime
    dry_run: bool
    candidates: list[PurgeCandidate]
    purged: int = 0  # complaints erased in triage and announced to the other services
    # service → records still holding personal data for the candidates (dry run only)
    holding: dict[str, int] = field(default_factory=dict)
    correlation_id: str = ""

    @property
    def complaints(self) -> int:
        return len(self.candidates)


async def _count_holdings(
    client: Client, settings: Settings, ids: Sequence[uuid.UUID]
) -> dict[str, int]:
    return {
        "triage": await triage_privacy.holding(database(client, settings, "triage"), ids),
        "intake": await intake_privacy.holding(database(client, settings, "intake"), ids),
        "notify": await notify_privacy.holding(database(client, settings, "notify"), ids),
    }


async def purge_personal_data(
    settings: Settings,
    older_than_days: int,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> PurgeReport:
    if older_than_days < 1:
        raise ValueError("older-than-days: harus 1 hari atau lebih")
    now = now or utc_now()
    cutoff = now - timedelta(days=older_than_days)
    client = create_client(settings)
    try:
        triage_db = database(client, settings, "triage")
        found = await triage_privacy.candidates(triage_db, cutoff)
        report = PurgeReport(cutoff, dry_run, found, correlation_id=f"retention-{uuid.uuid4()}")
        if dry_run:
            ids = [candidate.complaint_id for candidate in found]
            report.holding = await _count_holdings(client, settings, ids)
            return report
        if not found:
            return report
        broker = make_broker(settings)
        await broker.connect()
        try:
            purge = RetentionPurge(
                client, triage_db, Outbox(triage_db, RabbitPublisher(broker, settings))
            )
            for done, candidate in enumerate(found, start=1):
                erased = await purge.purge(
                    candidate,
                    retention_days=older_than_days,
                    now=now,
                    correlation_id=report.correlation_id,
                )
                report.purged += int(erased)
                if progress is not None:
                    progress(done, len(found))
        finally:
            await broker.stop()
        return report
    finally:
        await client.close()
