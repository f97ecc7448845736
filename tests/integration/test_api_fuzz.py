"""Schemathesis against every service's OpenAPI document, over HTTP to the service running as its
own process: whatever the generated input, no route answers with a server error, and every
answer matches the schema the document declares for it.

SIGAP_FUZZ_EXAMPLES sets the examples per operation (15 by default).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from shared.auth import Principal, Role, TokenCodec
from tests.support.infra import Infrastructure
from tests.support.service_processes import RunningServices, services_on

pytestmark = pytest.mark.integration

EXAMPLES = int(os.environ.get("SIGAP_FUZZ_EXAMPLES", "15"))
WEBHOOK_ENV = {
    "SIGAP_WHATSAPP_APP_SECRET": "fuzz-app-secret",
    "SIGAP_WHATSAPP_VERIFY_TOKEN": "fuzz-verify-token",
    "SIGAP_TWILIO_AUTH_TOKEN": "fuzz-twilio-token",
    # The fuzzer is one client: lift the per-client limits so that it reaches the routes.
    "SIGAP_RATE_LIMIT_SUBMIT_PER_MINUTE": str(10**9),
    "SIGAP_RATE_LIMIT_READ_PER_MINUTE": str(10**9),
    "SIGAP_RATE_LIMIT_WEBHOOK_PER_MINUTE": str(10**9),
}


@pytest.fixture(scope="module")
def running(
    infra: Infrastructure, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServices]:
    logs: Path = tmp_path_factory.mktemp("fuzz-logs")
    with services_on(infra, logs, WEBHOOK_ENV) as services:
        yield services


def staff_headers(services: RunningServices) -> dict[str, str]:
    """A clinic head's session: the fuzzer reaches the staff routes, not only their 401."""
    settings = services.settings
    codec = TokenCodec(
        settings.auth_secret.get_secret_value(),
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
    )
    head = Principal(user_id="fuzz-head", role=Role.HEAD, district="banjarnegara", clinic="MDRJ1")
    return {"Authorization": f"Bearer {codec.issue(head, timedelta(hours=1))}"}


def fuzz_operation(
    operation: schemathesis.APIOperation, base_url: str, headers: Callable[[], dict[str, str]]
) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # report the first failure, do not shrink
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(
            base_url=base_url,
            headers=headers(),  # a session of its own: a generated logout ends only that one
            checks=[not_a_server_error, response_schema_conformance],
            timeout=30,
        )

    check()


@pytest.mark.parametrize("service", ["intake", "triage", "notify", "reporting"])
def test_no_generated_request_gets_a_server_error_or_an_answer_outside_the_schema(
    running: RunningServices, service: str
) -> None:
    base_url = running.url(service)
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    headers = functools.partial(staff_headers, running)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            fuzz_operation(operation, base_url, headers)
        except Exception as exc:  # noqa: BLE001 — collected: every failing route is reported
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert operations > 0
    assert not failures, "\n\n".join(failures)
