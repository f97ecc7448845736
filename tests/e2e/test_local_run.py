"""`make run` without Docker: the whole system as local processes behind one origin."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from pymongo import MongoClient

from tests.support.infra import Infrastructure
from tests.support.stack import local_stack, wait_until_ready

pytestmark = pytest.mark.integration
T = TypeVar("T")


def wait_for(check: Callable[[], T], timeout: float, what: str) -> T:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout}s")
        time.sleep(0.1)
    return value


def test_make_run_serves_every_service_on_one_origin_and_stores_a_complaint(
    infra: Infrastructure, tmp_path: Path
) -> None:
    with local_stack(infra, tmp_path / "state") as stack:
        wait_until_ready(stack.origin)
        with httpx.Client(base_url=stack.origin, timeout=5) as http:
            reply = http.post(
                "/api/v1/complaints",
                json={"clinic": "BNJR1", "kind": "keluhan", "text": "Toilet di ruang tunggu kotor"},
            )
        assert reply.status_code == 202, reply.text
        tracking_number = reply.json()["tracking_number"]
        with MongoClient(stack.mongodb_url, tz_aware=True) as client:
            complaints = client[f"{stack.prefix}_triage"]["complaints"]
            stored = wait_for(
                lambda: complaints.find_one({"tracking_number": tracking_number}), 10, "stored"
            )
        assert stored["clinic"] == "BNJR1"
        assert stored["category"] == "kebersihan_sarana"
    assert b"stopping database" in stack.output[0]
    assert stack.returncode == 0
