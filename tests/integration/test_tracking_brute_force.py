"""Guessing a PIN through the public web form is throttled as through the API, and guesses
through both count together (tests/integration/test_intake_tracking.py covers the API alone)."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.integration.test_intake_fixtures import Intake, intake_fixture  # noqa: F401
from tests.integration.test_intake_tracking import submit, track, wrong

pytestmark = pytest.mark.integration

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


async def track_on_the_form(intake: Intake, number: str, pin: str, client: str) -> httpx.Response:
    headers = {"X-Forwarded-For": client}
    page = await intake.client.get("/lacak", headers=headers)
    found = TOKEN.search(page.text)
    assert found, page.text
    return await intake.client.post(
        "/lacak",
        data={"csrf_token": found.group(1), "tracking_number": number, "pin": pin},
        headers=headers,
    )


async def test_wrong_pins_on_the_web_form_are_throttled_even_for_the_right_pin_later(
    intake: Intake,
) -> None:
    receipt = await submit(intake)
    number, pin = receipt["tracking_number"], receipt["pin"]
    for attempt in range(intake.settings.tracking_failures_allowed):
        page = await track_on_the_form(intake, number, wrong(pin), f"203.0.113.{attempt}")
        assert page.status_code == 404, page.text
    blocked = await track_on_the_form(intake, number, pin, "203.0.113.200")
    assert blocked.status_code == 429
    assert 'id="status"' not in blocked.text  # the status stays hidden


async def test_guesses_through_the_form_and_the_api_count_together(intake: Intake) -> None:
    receipt = await submit(intake)
    number, pin = receipt["tracking_number"], receipt["pin"]
    for attempt in range(intake.settings.tracking_failures_allowed):
        client = f"203.0.113.{attempt}"
        if attempt % 2:
            reply = await track(intake, number, wrong(pin), client)
        else:
            reply = await track_on_the_form(intake, number, wrong(pin), client)
        assert reply.status_code == 404
    assert (await track(intake, number, pin, "203.0.113.201")).status_code == 429
    assert (await track_on_the_form(intake, number, pin, "203.0.113.202")).status_code == 429


async def test_one_client_guessing_many_numbers_on_the_form_is_throttled(intake: Intake) -> None:
    allowed = intake.settings.tracking_failures_allowed * 3
    statuses = [
        (
            await track_on_the_form(intake, f"MDRJ1-2501-AB{i:02d}", "123456", "192.0.2.77")
        ).status_code
        for i in range(allowed + 1)
    ]
    assert set(statuses[:-1]) == {404}
    assert statuses[-1] == 429
