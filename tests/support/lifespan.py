"""A service's ASGI app running inside a test: its lifespan (indexes, broker, background
workers) started and stopped with limits generous enough for a loaded machine. A limit overrun
names the phase and shows where every task of the loop was waiting, so that a hang can be read
from the test report alone."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from asgi_lifespan import LifespanManager
from starlette.types import ASGIApp

LIMIT_SECONDS = 60.0


def _await_chain(task: asyncio.Task[object], limit: int) -> list[str]:
    """Where a suspended task waits, outermost first (``print_stack`` shows only the outermost
    frame of a suspended coroutine)."""
    lines: list[str] = []
    awaited: Any = task.get_coro()
    while awaited is not None and len(lines) < limit:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "ag_frame", None)
        if frame is not None:
            lines.append(f"  {frame.f_code.co_filename}:{frame.f_lineno} {frame.f_code.co_name}")
        awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "ag_await", None)
    return lines


def waiting_tasks(limit: int = 30) -> str:
    """Every task of the running loop and the chain of awaits it is suspended in."""
    shown = []
    for task in asyncio.all_tasks():
        shown.append("\n".join([repr(task), *_await_chain(task, limit)]))
    return "\n\n".join(shown)


class Running(LifespanManager):
    def __init__(self, app: ASGIApp, limit: float = LIMIT_SECONDS) -> None:
        super().__init__(app, startup_timeout=limit, shutdown_timeout=limit)

    async def startup(self) -> None:
        await _within("start", self.startup_timeout, super().startup)

    async def shutdown(self) -> None:
        await _within("stop", self.shutdown_timeout, super().shutdown)


async def _within(phase: str, limit: float | None, run: Callable[[], Awaitable[None]]) -> None:
    try:
        await run()
    except TimeoutError as exc:
        raise TimeoutError(
            f"the app did not {phase} within {limit} s; tasks:\n" + waiting_tasks()
        ) from exc
