"""A service's ASGI app running inside a test: its lifespan (indexes, broker, background
workers) started and stopped with limits generous enough for a loaded machine. A limit overrun
names the phase and shows where every task of the loop was waiting, so that a hang can be read
from the test report alone."""

from __future__ import annotations

import asyncio
import io

from asgi_lifespan import LifespanManager
from starlette.types import ASGIApp

LIMIT_SECONDS = 60.0


def waiting_tasks(limit: int = 12) -> str:
    """Every task of the running loop with the frames it is waiting in."""
    shown = []
    for task in asyncio.all_tasks():
        stack = io.StringIO()
        task.print_stack(limit=limit, file=stack)
        shown.append(stack.getvalue())
    return "\n".join(shown)


class Running(LifespanManager):
    def __init__(self, app: ASGIApp, limit: float = LIMIT_SECONDS) -> None:
        super().__init__(app, startup_timeout=limit, shutdown_timeout=limit)

    async def startup(self) -> None:
        try:
            await super().startup()
        except TimeoutError as exc:
            raise TimeoutError(
                f"the app did not start within {self.startup_timeout} s; tasks:\n" + waiting_tasks()
            ) from exc

    async def shutdown(self) -> None:
        try:
            await super().shutdown()
        except TimeoutError as exc:
            raise TimeoutError(
                f"the app did not stop within {self.shutdown_timeout} s; tasks:\n" + waiting_tasks()
            ) from exc
