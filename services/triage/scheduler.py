"""The deadline scheduler: finds complaints whose deadline passed and raises
``complaint.deadline_missed`` (and closes answered complaints whose complainant stayed silent).

Every triage replica runs one. They may scan the same complaint at the same moment: the event
ids are derived from the deadline (see ``TriageService.check_deadlines``) and the save is
version-checked, so each missed deadline is raised once however many replicas run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from services.triage.service import TriageService
from services.triage.store import ComplaintStore, StaleComplaintError
from shared.background import every
from shared.events import utc_now
from shared.logging import get_logger

log = get_logger(__name__)


class DeadlineScheduler:
    def __init__(
        self,
        store: ComplaintStore,
        service: TriageService,
        clock: Callable[[], datetime] = utc_now,
        interval_seconds: float = 60.0,
    ) -> None:
        self._store = store
        self._service = service
        self._clock = clock
        self._interval = interval_seconds

    async def run_once(self) -> int:
        """One scan; the number of events raised by this replica."""
        raised = 0
        for complaint_id in await self._store.due_for_check(self._clock()):
            try:
                raised += len(await self._service.check_deadlines(complaint_id))
            except StaleComplaintError:
                log.info("deadline.check_raced", complaint_id=str(complaint_id))
        return raised

    async def run(self) -> None:
        async def scan() -> None:
            raised = await self.run_once()
            if raised:
                log.info("deadline.scan", raised=raised)

        await every(self._interval, scan, "deadline.scan_failed")
