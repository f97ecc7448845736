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


async def test_a_cancellation_turned_into_an_error_still_ends_the_loop() -> None:
    inside = asyncio.Event()
    swallowed = 0

    async def step() -> None:
        nonlocal swallowed
        inside.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            if swallowed:
                raise  # only the first one, so that a broken loop can still be stopped here
            swallowed += 1
            raise ConnectionError("connection closed") from None  # as a driver may do

    loop = asyncio.create_task(every(0.001, step, "test.step_failed"))
    await asyncio.wait_for(inside.wait(), timeout=10)
    loop.cancel()
    done, _ = await asyncio.wait({loop}, timeout=10)
    if not done:
        loop.cancel()
    assert done == {loop} and loop.cancelled()


async def test_a_cancellation_swallowed_by_the_step_still_ends_the_loop() -> None:
    inside = asyncio.Event()
    swallowed = 0

    async def step() -> None:
        nonlocal swallowed
        inside.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            if swallowed:
                raise
            swallowed += 1  # returns as if done, as asyncio.wait_for may in Python 3.11

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
