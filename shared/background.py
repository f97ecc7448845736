"""The background loops of a service (outbox relay, notify's sender, triage's deadline scan):
one step every interval for as long as the service runs. A loop outlives its step's failures
(an outage passes; what was not done is found again next round) but never its cancellation,
even when something inside the step swallowed it (Python 3.11's ``asyncio.wait_for`` returns a
result that was ready at the same moment) or turned it into an error of its own: a stopping
service must not wait forever for a loop that missed the request to end."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from shared.logging import get_logger

log = get_logger(__name__)


def cancel_requested() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


async def every(
    interval_seconds: float,
    step: Callable[[], Awaitable[object]],
    failure_event: str,
    **log_fields: object,
) -> None:
    """Run ``step`` every ``interval_seconds`` until cancelled; a failure is logged as
    ``failure_event`` and the next round tries again."""
    while True:
        try:
            await step()
        except Exception:
            if cancel_requested():
                raise asyncio.CancelledError from None
            log.exception(failure_event, **log_fields)
        if cancel_requested():  # asked to stop while the step ran, and the step kept it
            raise asyncio.CancelledError
        await asyncio.sleep(interval_seconds)


async def stop(tasks: Sequence[asyncio.Task[Any]], patience_seconds: float = 10.0) -> None:
    """Cancel the loops and wait for them to end, asking again once if one goes on; a loop that
    still runs after that is left behind with a warning rather than holding the service's
    stop forever (the process ends anyway)."""
    running = [task for task in tasks if not task.done()]
    for _ in range(2):
        if not running:
            return
        for task in running:
            task.cancel()
        await asyncio.wait(running, timeout=patience_seconds / 2)
        running = [task for task in running if not task.done()]
    for task in running:
        log.warning("background.loop_left_running", task=task.get_name())
