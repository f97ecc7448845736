"""A service reads a clinic from the register once per ttl, and never remembers an unknown
code."""

from __future__ import annotations

from shared.directory import Clinic, ClinicCache

MDRJ1 = Clinic(code="MDRJ1", name="Puskesmas Madukara 1", district="banjarnegara")


class CountingDirectory:
    def __init__(self) -> None:
        self.clinics = {"MDRJ1": MDRJ1}
        self.reads = 0

    async def clinic(self, code: str) -> Clinic | None:
        self.reads += 1
        return self.clinics.get(code)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def cache(directory: CountingDirectory, clock: Clock) -> ClinicCache:
    return ClinicCache(directory, ttl=30.0, clock=clock)  # type: ignore[arg-type]


async def test_a_clinic_is_read_once_within_its_ttl_and_again_after() -> None:
    directory, clock = CountingDirectory(), Clock()
    clinics = cache(directory, clock)
    assert await clinics.clinic("MDRJ1") == MDRJ1
    clock.now += 29
    assert await clinics.clinic("MDRJ1") == MDRJ1
    assert directory.reads == 1
    clock.now += 2
    assert await clinics.clinic("MDRJ1") == MDRJ1
    assert directory.reads == 2


async def test_an_unknown_code_is_asked_again_so_a_new_clinic_is_served_at_once() -> None:
    directory, clock = CountingDirectory(), Clock()
    clinics = cache(directory, clock)
    assert await clinics.clinic("BARU1") is None
    directory.clinics["BARU1"] = MDRJ1.model_copy(update={"code": "BARU1"})
    assert (await clinics.clinic("BARU1")) is not None
    assert directory.reads == 2
