"""A SecantusDB server of this test alone that can be killed and started again on the same data
directory and port (tests/support/infra.py's server lives for a whole session and is never
restarted)."""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.support.infra import free_port, wait_for_mongo


class PrivateDatabase:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.port = free_port()
        self.url = f"mongodb://127.0.0.1:{self.port}/?directConnection=true"
        self.restarts = 0
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        executable = shutil.which("secantusd-py") or str(
            Path(sys.executable).with_name("secantusd-py")
        )
        log = open(self.base / "server.log", "ab")  # noqa: SIM115 — the child keeps it open
        self._process = subprocess.Popen(
            [
                executable,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--storage-path",
                str(self.base / "db"),
                "--oplog-max-entries",
                "5000",
                "--log-level",
                "WARNING",
                # Durable once acknowledged, as MongoDB's default majority write concern is:
                # without it a SIGKILLed server loses the writes of its last moments.
                "--sync-on-commit",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        wait_for_mongo(self.url, timeout=60)

    def kill(self) -> None:
        """SIGKILL: what a crash or a pulled plug does; the data directory stays."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(timeout=30)

    def restart(self, while_down: Callable[[], object] | None = None) -> None:
        """Kill and start again on the same data; ``while_down`` runs in between."""
        self.kill()
        if while_down is not None:
            while_down()
        self.start()
        self.restarts += 1

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextlib.contextmanager
def private_database() -> Iterator[PrivateDatabase]:
    base = Path(tempfile.mkdtemp(prefix="sigap-db-"))
    database = PrivateDatabase(base)
    try:
        database.start()
        yield database
    finally:
        database.stop()
        shutil.rmtree(base, ignore_errors=True)
