"""A RabbitMQ node of this test run alone: its own node name, ports, data and logs, so that a
test may stop and restart it without touching the machine's broker that others use.

The node runs the OS package's scripts directly (not the /usr/sbin wrappers, which switch to
the `rabbitmq` user) with HOME in its own directory: its Erlang cookie, configuration and data
all live there and are removed at the end. Restarting keeps the data directory, so durable
queues and persistent messages survive as they would in production.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.support.infra import free_port

_SCRIPTS = Path("/usr/lib/rabbitmq/bin")


def _script(name: str) -> str:
    """The node's own script where the Debian layout has it, else the one on PATH."""
    candidate = _SCRIPTS / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} not found: install rabbitmq-server")
    return found


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def rabbitmq_installed() -> bool:
    return (_SCRIPTS / "rabbitmq-server").exists() or shutil.which("rabbitmq-server") is not None


class PrivateBroker:
    """One private RabbitMQ node: ``start()``, ``stop()``, ``restart()``; ``url`` for clients."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.port = free_port()
        self.dist_port = free_port()
        self.node = f"sigap-rel-{os.getpid()}-{self.port}@localhost"
        self.url = f"amqp://guest:guest@127.0.0.1:{self.port}/"
        self.restarts = 0
        home = base / "home"
        for folder in (home, base / "mnesia", base / "log"):
            folder.mkdir(parents=True, exist_ok=True)
        (base / "enabled_plugins").write_text("[].\n")
        (base / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.port}\nloopback_users = none\n"
        )
        (base / "rabbitmq-env.conf").write_text("")
        self._env = {
            **os.environ,
            "HOME": str(home),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(base / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq.conf"),
            # The machine's rabbitmq-env.conf names its own node and ports: not ours.
            "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
        }

    def _ctl(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [_script("rabbitmqctl"), "-n", self.node, *args],
            env=self._env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self, timeout: float = 120.0) -> None:
        subprocess.run(
            [_script("rabbitmq-server"), "-detached"],
            env=self._env,
            capture_output=True,
            timeout=60,
            check=True,
        )
        deadline = time.monotonic() + timeout
        while not _port_open(self.port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"private RabbitMQ {self.node} did not start; see {self.base}")
            time.sleep(0.2)
        # AMQP accepts connections a little before the node has fully booted.
        self._ctl("await_startup", "--timeout", str(int(timeout)))

    def stop(self) -> None:
        self._ctl("stop")
        deadline = time.monotonic() + 60
        while _port_open(self.port) and time.monotonic() < deadline:
            time.sleep(0.2)

    def restart(self) -> None:
        self.stop()
        self.start()
        self.restarts += 1

    def queue_depths(self) -> dict[str, tuple[int, int]]:
        """Every queue of the node: (ready, unacknowledged) messages."""
        listed = self._ctl(
            "list_queues",
            "-q",
            "--no-table-headers",
            "name",
            "messages_ready",
            "messages_unacknowledged",
        )
        depths: dict[str, tuple[int, int]] = {}
        for line in listed.stdout.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                depths[parts[0]] = (int(parts[1]), int(parts[2]))
        return depths


@contextlib.contextmanager
def private_broker() -> Iterator[PrivateBroker]:
    base = Path(tempfile.mkdtemp(prefix="sigap-rabbit-"))
    broker = PrivateBroker(base)
    try:
        broker.start()
        yield broker
    finally:
        broker.stop()
        shutil.rmtree(base, ignore_errors=True)
