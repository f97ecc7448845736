"""The local gateway (ops.routes) and nginx under docker compose route every path alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ops.routes import route

NGINX = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
LOCATION = re.compile(
    r"location (~ (?P<regex>\S+)|(?P<prefix>/)) \{(?P<body>.*?)\n        \}", re.S
)


def nginx_route(path: str) -> tuple[str, str]:
    server = NGINX.read_text().split("listen 8081")[0]
    for match in LOCATION.finditer(server):
        body = match["body"]
        upstream = re.search(r"set \$sigap_upstream http://(\S+?):8000;", body)
        assert upstream, body
        if match["prefix"]:
            return upstream[1], path
        found = re.match(match["regex"], path)
        if not found:
            continue
        service = upstream[1].replace("$1", found.group(1) if found.groups() else "")
        if "rewrite" in body:
            return service, "/" + re.sub(r"^/[^/]+/?", "", path)
        return service, path
    raise AssertionError(f"no location for {path}")


@pytest.mark.parametrize(
    "path",
    [
        "/intake/health",
        "/triage/health",
        "/triage",
        "/notify/ready",
        "/reporting/asyncapi",
        "/api/v1/reports/ikm",
        "/api/v1/reportsx",
        "/api/v1/staff/complaints/1",
        "/api/v1/notify/settings",
        "/papan-tanggapan/MDRJ1",
        "/konsol/catat/telepon",
        "/konsol/catatan",
        "/konsol",
        "/konsol/aduan/1",
        "/dasbor/",
        "/dasbor",
        "/api/v1/complaints",
        "/api/v1/clinics",
        "/webhooks/whatsapp",
        "/",
        "/lapor/MDRJ1",
    ],
)
def test_gateway_and_nginx_send_a_path_to_the_same_service(path: str) -> None:
    assert route(path) == nginx_route(path)


def test_service_prefix_is_stripped_for_health_checks() -> None:
    assert route("/reporting/health") == ("reporting", "/health")
