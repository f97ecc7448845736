"""Real infrastructure for tests: RabbitMQ and a MongoDB-compatible database.

With a Docker engine, testcontainers start RabbitMQ and MongoDB (a single-node replica set, so
transactions work). Without one, the local RabbitMQ (SIGAP_TEST_RABBITMQ_URL) and a SecantusDB
server started here as its own process are used.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from pymongo import MongoClient


@dataclass(frozen=True)
class Infrastructure:
    rabbitmq_url: str
    mongodb_url: str
    kind: str  # "containers" or "local"


def docker_available() -> bool:
    try:
        import docker

        docker.from_env().ping()
    except Exception:  # noqa: BLE001 — any failure means no usable engine
        return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_port_block(size: int) -> int:
    """The first of ``size`` consecutive free ports (for services started on base + index)."""
    for _ in range(100):
        base = free_port()
        sockets = []
        try:
            for port in range(base, base + size):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
        return base
    raise RuntimeError("no block of free ports found")


def wait_for_mongo(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with MongoClient(url, serverSelectionTimeoutMS=500) as client:
                client.admin.command("ping")
                return
        except Exception:  # not up yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextlib.contextmanager
def secantus_server() -> Iterator[str]:
    executable = shutil.which("secantusd-py") or str(Path(sys.executable).with_name("secantusd-py"))
    port = free_port()
    data = tempfile.mkdtemp(prefix="sigap-test-db-")
    log = open(os.path.join(data, "server.log"), "wb")  # noqa: SIM115 — closed below
    process = subprocess.Popen(
        [
            executable,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--storage-path",
            os.path.join(data, "db"),
            "--oplog-max-entries",
            "5000",
            "--log-level",
            "WARNING",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"mongodb://127.0.0.1:{port}/?directConnection=true"
    try:
        wait_for_mongo(url)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(data, ignore_errors=True)


@contextlib.contextmanager
def containers() -> Iterator[Infrastructure]:
    from testcontainers.mongodb import MongoDbContainer
    from testcontainers.rabbitmq import RabbitMqContainer

    with (
        RabbitMqContainer("rabbitmq:4-management") as rabbit,
        MongoDbContainer("mongo:7").with_command("--replSet rs0 --bind_ip_all") as mongo,
    ):
        members = "{_id:'rs0',members:[{_id:0,host:'localhost:27017'}]}"
        mongo.exec(f'mongosh --quiet --eval "rs.initiate({members})"')
        host, port = mongo.get_container_host_ip(), mongo.get_exposed_port(27017)
        mongo_url = (
            f"mongodb://{mongo.username}:{mongo.password}@{host}:{port}/?directConnection=true"
        )
        wait_for_mongo(mongo_url)
        params = rabbit.get_connection_params()
        rabbit_url = f"amqp://guest:guest@{params.host}:{params.port}/"
        yield Infrastructure(rabbit_url, mongo_url, "containers")


VHOST_PREFIX = "sigap-test-"


def _rabbitmqctl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["rabbitmqctl", "-q", *args], capture_output=True, text=True, timeout=120, check=False
    )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def test_vhost(base_url: str) -> Iterator[str]:
    """A vhost of this test run, removed (with every queue in it) at the end — and vhosts of
    earlier runs whose process is gone are removed first, so a killed run leaves nothing."""
    if shutil.which("rabbitmqctl") is None:
        yield base_url
        return
    for name in _rabbitmqctl("list_vhosts", "name").stdout.split():
        owner = name.removeprefix(VHOST_PREFIX)
        if name.startswith(VHOST_PREFIX) and owner.isdigit() and not _pid_alive(int(owner)):
            _rabbitmqctl("delete_vhost", name)
    vhost = f"{VHOST_PREFIX}{os.getpid()}"
    _rabbitmqctl("add_vhost", vhost)
    parsed = urlsplit(base_url)
    user = parsed.username or "guest"
    _rabbitmqctl("set_permissions", "-p", vhost, user, ".*", ".*", ".*")
    try:
        yield urlunsplit(parsed._replace(path="/" + quote(vhost, safe="")))
    finally:
        _rabbitmqctl("delete_vhost", vhost)


@contextlib.contextmanager
def local() -> Iterator[Infrastructure]:
    base = os.environ.get("SIGAP_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")
    external_mongo = os.environ.get("SIGAP_TEST_MONGODB_URL")
    with test_vhost(base) as rabbit_url:
        if external_mongo:
            yield Infrastructure(rabbit_url, external_mongo, "local")
            return
        with secantus_server() as mongo_url:
            yield Infrastructure(rabbit_url, mongo_url, "local")


@contextlib.contextmanager
def infrastructure() -> Iterator[Infrastructure]:
    with containers() if docker_available() else local() as infra:
        yield infra
