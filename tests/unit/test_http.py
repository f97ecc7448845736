"""The HTTP edge every service shares: who the client is."""

from __future__ import annotations

from starlette.requests import Request

from shared.http import client_address


def request(headers: dict[str, str], peer: str = "10.0.0.5") -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "headers": raw, "client": (peer, 1234)})


def test_client_is_the_address_the_proxy_put_last_in_x_forwarded_for() -> None:
    forged_then_proxy = request({"X-Forwarded-For": "1.2.3.4, 198.51.100.7"})
    assert client_address(forged_then_proxy, trust_forwarded_for=True) == "198.51.100.7"


def test_without_a_trusted_proxy_the_peer_address_is_the_client() -> None:
    forged = request({"X-Forwarded-For": "1.2.3.4"})
    assert client_address(forged, trust_forwarded_for=False) == "10.0.0.5"
    assert client_address(request({}), trust_forwarded_for=True) == "10.0.0.5"
