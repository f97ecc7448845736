"""Triage keeps each clinic's deadline settings for a short while: every complaint event asks
for them, and they change a few times a year."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.triage.calendars import CalendarBook
from services.triage.domain.deadlines import PolicyOverride
from shared.directory import Clinic

MDRJ1 = Clinic(code="MDRJ1", name="Puskesmas Mandiraja 1", district="banjarnegara")


class Settings:
    """The ``deadline_settings`` collection, counting its reads."""

    def __init__(self) -> None:
        self.docs: dict[str, dict[str, Any]] = {}
        self.reads = 0

    async def find_one(self, query: dict[str, Any]) -> dict[str, Any] | None:
        self.reads += 1
        return self.docs.get(query["_id"])

    async def replace_one(self, query: dict[str, Any], doc: dict[str, Any], upsert: bool) -> None:
        self.docs[query["_id"]] = doc


class Directory:
    async def clinic(self, code: str) -> Clinic | None:
        return MDRJ1 if code == "MDRJ1" else None


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


def book(settings: Settings, clock: Clock) -> CalendarBook:
    return CalendarBook(
        {"deadline_settings": settings},  # type: ignore[arg-type]
        Directory(),  # type: ignore[arg-type]
        ttl=30.0,
        clock=clock,
    )


async def test_settings_are_read_once_within_the_ttl_and_again_after() -> None:
    settings, clock = Settings(), Clock()
    calendars = book(settings, clock)
    await calendars.for_clinic("MDRJ1")
    await calendars.rules("MDRJ1")
    assert settings.reads == 2  # the district's and the clinic's document, once
    clock.now += 31
    await calendars.for_clinic("MDRJ1")
    assert settings.reads == 4


async def test_a_change_made_here_applies_at_once() -> None:
    settings, clock = Settings(), Clock()
    calendars = book(settings, clock)
    holiday = date(2026, 12, 22)  # a Tuesday
    assert (await calendars.for_clinic("MDRJ1")).is_working_day(holiday)
    await calendars.set("clinic", "MDRJ1", PolicyOverride(), [holiday])
    assert not (await calendars.for_clinic("MDRJ1")).is_working_day(holiday)
