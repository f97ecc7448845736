"""What every benchmark needs around SIGAP: the broker and a database (a SecantusDB of its own
when none listens), services started as processes the way `make run` starts them, the CPU each
process spent, and a description of the machine. Everything a run creates is named after its
prefix and removed at the end."""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aio_pika
from pymongo import AsyncMongoClient

from ops.local_run import STATE, Supervisor, port_open, wait_until
from shared.settings import Settings
from shared.topology import all_service_queues

DB_PORT = 27018
TICKS = os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def database(url: str | None) -> Iterator[str]:
    """``url`` when given; else the server on 127.0.0.1:27018 if one listens (`make run`'s);
    else a SecantusDB started here on a free port (so that nothing else takes it for its own),
    its data in a temporary directory removed afterwards."""
    if url:
        yield url
        return
    if port_open("127.0.0.1", DB_PORT):
        yield f"mongodb://127.0.0.1:{DB_PORT}/?directConnection=true"
        return
    port = free_port()
    executable = shutil.which("secantusd-py") or str(Path(sys.executable).with_name("secantusd-py"))
    data = tempfile.mkdtemp(prefix="sigap-bench-db-")
    argv = [executable, "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--storage-path", f"{data}/db", "--oplog-max-entries", "10000"]
    with open(f"{data}/server.log", "wb") as log:
        server = subprocess.Popen([*argv, "--log-level", "WARNING"], stdout=log, stderr=log)
    try:
        wait_until(lambda: port_open("127.0.0.1", port), "SecantusDB")
        yield f"mongodb://127.0.0.1:{port}/?directConnection=true"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_pid(url: str) -> int | None:
    """The process listening on the database's port, when local (to count its CPU)."""
    port = urlsplit(url).port or 27017
    found = subprocess.run(
        ["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True, check=False
    ).stdout
    marker = "pid="
    if marker not in found:
        return None
    return int(found.split(marker, 1)[1].split(",", 1)[0])


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


@dataclass
class Stack:
    """Services of one run, each its own process, and the environment they share."""

    settings: Settings
    env: dict[str, str]
    supervisor: Supervisor = field(default_factory=Supervisor)
    ports: dict[str, int] = field(default_factory=dict)

    def start(self, name: str, service: str, port: int, *uvicorn_args: str) -> None:
        argv = [sys.executable, "-m", "uvicorn", "--no-access-log", "--log-level", "warning"]
        argv += [*uvicorn_args, f"services.{service}.main:create_app", "--factory"]
        self.supervisor.start(name, [*argv, "--port", str(port)], self.env)
        self.ports[name] = port

    def pids(self) -> dict[str, int]:
        return {name: process.pid for name, process in self.supervisor.children}

    def wait_ready(self, timeout: float = 90.0) -> None:
        for name, port in self.ports.items():
            wait_until(lambda port=port: _ready(port), name, timeout)

    def stop(self) -> None:
        self.supervisor.stop()


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


def stack(rabbitmq: str, mongodb: str, **extra_env: str) -> Stack:
    """Settings and environment of a fresh run: its own exchange, queues and databases."""
    prefix = f"bench{uuid.uuid4().hex[:6]}"
    env = {
        **os.environ,
        "SIGAP_MONGODB_URL": mongodb,
        "SIGAP_RABBITMQ_URL": rabbitmq,
        "SIGAP_AMQP_PREFIX": prefix,
        "SIGAP_MONGODB_DB_PREFIX": prefix,
        "SIGAP_LOG_LEVEL": "WARNING",
        # One load generator is one client: lift the public per-client limit for the run.
        "SIGAP_RATE_LIMIT_SUBMIT_PER_MINUTE": str(10**9),
        **extra_env,
    }
    settings = Settings(
        mongodb_url=mongodb, rabbitmq_url=rabbitmq, amqp_prefix=prefix, mongodb_db_prefix=prefix
    )
    (STATE / "logs").mkdir(parents=True, exist_ok=True)
    return Stack(settings, env)


async def remove_run(settings: Settings) -> None:
    """Delete the run's queues, exchange and databases."""
    connection = await aio_pika.connect(settings.rabbitmq_url.get_secret_value())
    async with connection:
        for queues in all_service_queues(settings):
            for queue in (queues.main, *queues.retries, queues.dead_letter):
                channel = await connection.channel()
                with contextlib.suppress(aio_pika.exceptions.AMQPError):
                    await channel.queue_delete(queue.name)
        channel = await connection.channel()
        with contextlib.suppress(aio_pika.exceptions.AMQPError):
            await channel.exchange_delete(settings.exchange_name)
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        settings.mongodb_url.get_secret_value()
    )
    for name in await client.list_database_names():
        if name.startswith(f"{settings.mongodb_db_prefix}_"):
            await client.drop_database(name)
    await client.close()


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


async def machine(rabbitmq: str) -> dict[str, str]:
    """The machine and the versions a figure was measured with."""
    connection = await aio_pika.connect(rabbitmq)
    async with connection:
        properties = connection.transport.connection.server_properties  # type: ignore[union-attr]
        broker = properties.get("version", "?")
        broker = broker.decode() if isinstance(broker, bytes) else str(broker)
    packages = ("SecantusDB", "pymongo", "aio-pika", "faststream", "fastapi", "uvicorn", "uvloop")
    return {
        "cpu": f"{_cpu_model()}, {os.cpu_count()} cores",
        "memory": f"{_memory_gib():.0f} GiB",
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": platform.python_version(),
        "rabbitmq": broker,
        "packages": ", ".join(f"{name} {version(name)}" for name in packages),
        "load": " ".join(f"{value:.1f}" for value in os.getloadavg()),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
