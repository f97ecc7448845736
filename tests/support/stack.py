"""The whole system as `make run` starts it without Docker (ops.local_run), on free ports, for
tests that need real processes behind one origin (the local-run test, browser tests)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aio_pika
import httpx

from ops.local_run import exit_with_parent
from shared.settings import Settings
from shared.topology import all_service_queues
from tests.support.infra import Infrastructure, free_port, free_port_block

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "triage", "notify", "reporting")


@dataclass
class LocalStack:
    origin: str
    mongodb_url: str
    prefix: str
    log_path: Path
    output: list[bytes] = field(default_factory=list)
    returncode: int | None = None

    def log_tail(self, lines: int = 200) -> str:
        """The last lines every process of the stack printed so far (for a failed test)."""
        with contextlib.suppress(OSError):
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
            return "\n".join(text.splitlines()[-lines:])
        return ""


async def _delete_topology(settings: Settings) -> None:
    connection = await aio_pika.connect(settings.rabbitmq_url.get_secret_value())
    async with connection, connection.channel() as channel:
        for queues in all_service_queues(settings):
            for queue in (queues.main, *queues.retries, queues.dead_letter):
                await channel.queue_delete(queue.name)
        await channel.exchange_delete(settings.exchange_name)


def wait_until_ready(origin: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=origin, timeout=5) as http:
        for service in SERVICES:
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if http.get(f"/{service}/ready").status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise AssertionError(f"{service} not ready through the gateway")
                time.sleep(0.2)


@contextlib.contextmanager
def local_stack(infra: Infrastructure, state_dir: Path) -> Iterator[LocalStack]:
    http_port, db_port, base = free_port(), free_port(), free_port_block(len(SERVICES))
    prefix = f"run{base}"
    env = {
        **os.environ,
        "SIGAP_HTTP_PORT": str(http_port),
        "SIGAP_LOCAL_DB_PORT": str(db_port),
        "SIGAP_LOCAL_PORT_BASE": str(base),
        "SIGAP_STATE_DIR": str(state_dir),
        "SIGAP_RABBITMQ_URL": infra.rabbitmq_url,
        "SIGAP_AMQP_PREFIX": prefix,
        "SIGAP_MONGODB_DB_PREFIX": prefix,
    }
    env.pop("SIGAP_MONGODB_URL", None)
    state_dir.mkdir(parents=True, exist_ok=True)
    log_path = state_dir / "stack.log"
    with log_path.open("wb") as log:
        # A file, not a pipe: a test can read what the stack said while it still runs.
        process = subprocess.Popen(
            [sys.executable, "-m", "ops.local_run"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=exit_with_parent,  # a killed test run takes its stack with it
        )
    stack = LocalStack(
        f"http://127.0.0.1:{http_port}",
        f"mongodb://127.0.0.1:{db_port}/?directConnection=true",
        prefix,
        log_path,
    )
    try:
        yield stack
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        stack.output.append(log_path.read_bytes())
        stack.returncode = process.returncode
        settings = Settings(rabbitmq_url=infra.rabbitmq_url, amqp_prefix=prefix)
        asyncio.run(_delete_topology(settings))
