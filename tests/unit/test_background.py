"""Background loops outlive their step's failures but never a cancellation, even one a library
turned into an error of its own (a stopping service would wait for them forever)."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from shared.background import every, stop


async def test_a_failing_step_is_tried_again_next_round() -> None:
    calls = 0
    third = asyncio.Event()

    async def step() -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            third.set()
        raise ConnectionError("database down")

    loop = asyncio.create_task(every(0.001, step, "test.step_failed"))
    await asyncio.wait_for(third.wait(), timeout=10)
    loop.cancel()
    with pytest.raises(asyncio.CancelledError):
        await loop
    assert calls >= 3


@pytest.mark.parametrize("kept_as", ["its own error", "a normal return"])
async def test_a_cancellation_the_step_did_not_pass_on_still_ends_the_loop(kept_as: str) -> None:
    """A driver may turn the cancellation into its own error; Python 3.11's wait_for may keep it
    and return a result that was ready at the same moment."""
    inside = asyncio.Event()
    kept = 0

    async def step() -> None:
        nonlocal kept
        inside.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            if kept:
                raise  # only the first one, so that a broken loop can still be stopped here
            kept += 1
            if kept_as == "its own error":
                raise ConnectionError("connection closed") from None

    loop = asyncio.create_task(every(0.001, step, "test.step_failed"))
    await asyncio.wait_for(inside.wait(), timeout=10)
    loop.cancel()
    done, _ = await asyncio.wait({loop}, timeout=10)
    if not done:
        loop.cancel()
    assert done == {loop} and loop.cancelled()


async def test_stopping_gives_up_on_a_loop_that_will_not_end() -> None:
    release = asyncio.Event()

    async def stubborn() -> None:
        while not release.is_set():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(3600)

    async def obedient() -> None:
        await asyncio.sleep(3600)

    loops = [asyncio.create_task(stubborn()), asyncio.create_task(obedient())]
    await asyncio.sleep(0)

    await stop(loops, patience_seconds=0.2)

    assert loops[1].cancelled() and not loops[0].done()
    release.set()
    loops[0].cancel()
    await asyncio.wait({loops[0]}, timeout=10)
    assert loops[0].done()
