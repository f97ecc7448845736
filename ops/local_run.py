"""`make run`: the whole system on this machine, in one command.

With a Docker engine: docker compose. Without one: local processes — RabbitMQ from the OS
package (started when installed and not running), MongoDB when SIGAP_MONGODB_URL is given or
else a SecantusDB server with its data under .sigap/, the four services, and the gateway on one
origin. Ctrl-C stops everything this command started.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from ops.routes import SERVICES

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".sigap"
HTTP_PORT = int(os.environ.get("SIGAP_HTTP_PORT", "8000"))
DB_PORT = int(os.environ.get("SIGAP_LOCAL_DB_PORT", "27018"))
PORT_BASE = int(os.environ.get("SIGAP_LOCAL_PORT_BASE", "8101"))
SERVICE_PORTS = {service: PORT_BASE + index for index, service in enumerate(SERVICES)}
STATE = Path(os.environ.get("SIGAP_STATE_DIR", str(STATE)))


def exit_with_parent() -> None:
    """In a child about to exec: ask Linux for SIGTERM when the parent dies, so that no service
    outlives a supervisor that was killed (elsewhere this is a no-op)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def say(message: str) -> None:
    print(f"[sigap] {message}", flush=True)


def docker_engine_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=False)
    return probe.returncode == 0


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_until(check: object, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SystemExit(f"[sigap] {what} did not come up within {timeout:.0f}s")
        time.sleep(0.3)


class Supervisor:
    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.stop_rabbitmq = False

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        log = open(STATE / "logs" / f"{name}.log", "ab")  # noqa: SIM115 — lives with the child
        process = subprocess.Popen(
            argv,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            preexec_fn=exit_with_parent,
        )
        self.children.append((name, process))

    def ensure_rabbitmq(self, url: str) -> None:
        parsed = urlparse(url)
        host, port = parsed.hostname or "127.0.0.1", parsed.port or 5672
        if port_open(host, port):
            say(f"RabbitMQ is running at {host}:{port}")
            return
        if host not in ("127.0.0.1", "localhost") or shutil.which("rabbitmq-server") is None:
            raise SystemExit(
                "[sigap] RabbitMQ is not reachable and not installed here. Install it with\n"
                "        sudo apt-get install rabbitmq-server   (Debian/Ubuntu)\n"
                "        or point SIGAP_RABBITMQ_URL at a running broker."
            )
        say("starting RabbitMQ (rabbitmq-server -detached, bound to loopback)…")
        env = {**os.environ, "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1"}
        subprocess.run(["rabbitmq-server", "-detached"], env=env, check=True)
        self.stop_rabbitmq = True
        wait_until(lambda: port_open(host, port), "RabbitMQ", timeout=90)

    def ensure_database(self) -> str:
        if url := os.environ.get("SIGAP_MONGODB_URL"):
            say("using the MongoDB at SIGAP_MONGODB_URL")
            return url
        url = f"mongodb://127.0.0.1:{DB_PORT}/?directConnection=true"
        if port_open("127.0.0.1", DB_PORT):
            say(f"a database already listens on {DB_PORT}; using it")
            return url
        executable = shutil.which("secantusd-py") or str(
            Path(sys.executable).with_name("secantusd-py")
        )
        say(f"starting SecantusDB (MongoDB wire protocol) with data in {STATE / 'db'}…")
        self.start(
            "database",
            [
                executable,
                "--host",
                "127.0.0.1",
                "--port",
                str(DB_PORT),
                "--storage-path",
                str(STATE / "db"),
                "--oplog-max-entries",
                "10000",
                # An acknowledged write must survive a crash (as with MongoDB's journal).
                "--sync-on-commit",
                "--log-level",
                "WARNING",
            ],
            dict(os.environ),
        )
        wait_until(lambda: port_open("127.0.0.1", DB_PORT), "the database")
        return url

    def stop(self) -> None:
        for name, process in reversed(self.children):
            if process.poll() is None:
                say(f"stopping {name}")
                process.terminate()
        for _, process in self.children:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.stop_rabbitmq:
            say("stopping RabbitMQ")
            subprocess.run(["rabbitmqctl", "stop"], capture_output=True, check=False)


def ready(path: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{HTTP_PORT}{path}", timeout=2) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run_local() -> int:
    # Explicit handlers: a shell that starts us in the background may have SIGINT ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    (STATE / "logs").mkdir(parents=True, exist_ok=True)
    supervisor = Supervisor()
    try:
        rabbitmq_url = os.environ.get("SIGAP_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")
        supervisor.ensure_rabbitmq(rabbitmq_url)
        env = {
            **os.environ,
            "SIGAP_RABBITMQ_URL": rabbitmq_url,
            "SIGAP_MONGODB_URL": supervisor.ensure_database(),
            "SIGAP_PUBLIC_BASE_URL": f"http://localhost:{HTTP_PORT}",
        }
        # The demo data is made by the operator's own command, which prints the demo accounts.
        say("demo data: sigap seed-demo")
        subprocess.run([sys.executable, "-m", "ops.cli", "seed-demo"], env=env, check=True)
        uvicorn = [
            sys.executable,
            "-m",
            "uvicorn",
            "--no-access-log",
            "--timeout-graceful-shutdown",
            "10",
        ]
        for service, port in SERVICE_PORTS.items():
            env[f"SIGAP_UPSTREAM_{service.upper()}"] = f"http://127.0.0.1:{port}"
            supervisor.start(
                service,
                [
                    *uvicorn,
                    f"services.{service}.main:create_app",
                    "--factory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                env,
            )
        supervisor.start(
            "gateway",
            [
                *uvicorn,
                "ops.gateway:from_environment",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(HTTP_PORT),
            ],
            env,
        )
        for service in SERVICES:
            wait_until(lambda s=service: ready(f"/{s}/ready"), f"the {service} service", 90)
        say(f"SIGAP is running on http://localhost:{HTTP_PORT}")
        say(f"  portal     http://localhost:{HTTP_PORT}/")
        say(f"  console    http://localhost:{HTTP_PORT}/konsol/masuk")
        say(f"  dashboard  http://localhost:{HTTP_PORT}/dasbor/")
        for service in SERVICES:
            say(f"  {service:<10} http://localhost:{HTTP_PORT}/{service}/health")
        say(f"  clinics    http://localhost:{HTTP_PORT}/api/v1/clinics")
        say(f"logs in {STATE / 'logs'}; press Ctrl-C to stop")
        while all(process.poll() is None for _, process in supervisor.children):
            time.sleep(0.5)
        failed = [name for name, process in supervisor.children if process.poll() is not None]
        say(f"stopped unexpectedly: {', '.join(failed)} (see {STATE / 'logs'})")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        supervisor.stop()


def main() -> int:
    if docker_engine_answers():
        say("Docker engine found: docker compose up --build")
        return subprocess.call(["docker", "compose", "up", "--build"], cwd=ROOT)
    say("no Docker engine: starting local processes")
    return run_local()


if __name__ == "__main__":
    sys.exit(main())
