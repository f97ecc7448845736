"""The clinic register as intake reads it: every submission names its clinic."""

from __future__ import annotations

import time
from collections.abc import Callable

from shared.directory import Clinic, Directory

# How long a clinic read from the register serves submissions before it is read again.
CLINIC_TTL_SECONDS = 30.0


class ClinicCache:
    """The clinics this process read from the register, each kept ``ttl`` seconds: every
    submission names its clinic, and the register changes a few times a year (a new unit or
    time zone shows within ``ttl``). A code the register does not know is not kept, so a new
    clinic is served at once."""

    def __init__(
        self,
        directory: Directory,
        ttl: float = CLINIC_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._directory = directory
        self._ttl = ttl
        self._clock = clock
        self._known: dict[str, tuple[Clinic, float]] = {}

    async def clinic(self, code: str) -> Clinic | None:
        now = self._clock()
        kept = self._known.get(code)
        if kept is not None and kept[1] > now:
            return kept[0]
        clinic = await self._directory.clinic(code)
        if clinic is not None:
            self._known[code] = (clinic, now + self._ttl)
        return clinic
