"""The four services as their own processes (uvicorn, as `make run` starts them, without the
gateway), each of which a test can SIGKILL and start again on the same port."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import aio_pika
import httpx

from ops.local_run import exit_with_parent
from ops.seed import seed_demo
from shared.settings import Settings
from shared.storage import create_client
from shared.topology import all_service_queues
from tests.support.infra import Infrastructure, free_port_block

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "triage", "notify", "reporting")


@dataclass
class ServiceProcess:
    name: str
    port: int
    env: Mapping[str, str]
    logs: Path
    kills: int = 0
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.logs / f"{self.name}.log"

    def start(self) -> None:
        log = open(self.log_file, "ab")  # noqa: SIM115 — the child keeps it open
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--no-access-log",
                "--timeout-graceful-shutdown",
                "10",
                f"services.{self.name}.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            cwd=ROOT,
            env=dict(self.env),
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=exit_with_parent,  # a killed test run takes its services with it
        )
        log.close()

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, whatever the process had in hand is cut off."""
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.wait(timeout=30)
        self.kills += 1

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=30)

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client(base_url=self.url, timeout=3) as http:
            while True:
                if not self.running():
                    raise AssertionError(f"{self.name} exited; see {self.log_file}")
                with contextlib.suppress(httpx.HTTPError):
                    if http.get("/ready").status_code == 200:
                        return
                if time.monotonic() > deadline:
                    raise AssertionError(f"{self.name} not ready within {timeout}s")
                time.sleep(0.2)


@contextlib.contextmanager
def service_processes(env: Mapping[str, str], logs: Path) -> Iterator[dict[str, ServiceProcess]]:
    logs.mkdir(parents=True, exist_ok=True)
    base = free_port_block(len(SERVICES))
    processes = {
        name: ServiceProcess(name, base + index, env, logs) for index, name in enumerate(SERVICES)
    }
    try:
        for process in processes.values():
            process.start()
        for process in processes.values():
            process.wait_ready()
        yield processes
    finally:
        for process in processes.values():
            process.stop()


@dataclass
class RunningServices:
    settings: Settings
    processes: dict[str, ServiceProcess]
    logs: Path

    def url(self, service: str) -> str:
        return self.processes[service].url

    def log_text(self) -> str:
        return "\n".join(p.log_file.read_text(errors="replace") for p in self.processes.values())


async def _remove_run(settings: Settings) -> None:
    connection = await aio_pika.connect(settings.rabbitmq_url.get_secret_value())
    async with connection, connection.channel() as channel:
        for queues in all_service_queues(settings):
            for queue in (queues.main, *queues.retries, queues.dead_letter):
                await channel.queue_delete(queue.name)
        await channel.exchange_delete(settings.exchange_name)
    client = create_client(settings)
    try:
        for name in await client.list_database_names():
            if name.startswith(settings.mongodb_db_prefix + "_"):
                await client.drop_database(name)
    finally:
        await client.close()


@contextlib.contextmanager
def services_on(
    infra: Infrastructure, logs: Path, env: Mapping[str, str] | None = None
) -> Iterator[RunningServices]:
    """The four services as processes on the test run's broker vhost and database, under a
    prefix of their own, with the demo district seeded; removed again afterwards."""
    prefix = f"p{uuid.uuid4().hex[:10]}"
    values = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SIGAP_")},
        "SIGAP_ENVIRONMENT": "test",
        "SIGAP_RABBITMQ_URL": infra.rabbitmq_url,
        "SIGAP_MONGODB_URL": infra.mongodb_url,
        "SIGAP_AMQP_PREFIX": prefix,
        "SIGAP_MONGODB_DB_PREFIX": prefix,
        **(env or {}),
    }
    settings = Settings(
        environment="test",
        rabbitmq_url=infra.rabbitmq_url,
        mongodb_url=infra.mongodb_url,
        amqp_prefix=prefix,
        mongodb_db_prefix=prefix,
    )
    asyncio.run(seed_demo(settings))
    try:
        with service_processes(values, logs) as processes:
            yield RunningServices(settings, processes, logs)
    finally:
        asyncio.run(_remove_run(settings))
