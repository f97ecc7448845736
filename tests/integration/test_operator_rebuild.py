"""`sigap rebuild-reports` through the CLI against the real broker and database: it shows its
progress over the complaints of the event log and gives back the aggregates the live folding
had built."""

from __future__ import annotations

import asyncio
import random

import pytest
from typer.testing import CliRunner, Result

from ops import cli, cli_support
from ops.rebuild import rebuild_with_progress
from shared.settings import Settings
from tests.integration.test_reporting_recount import aggregates
from tests.support.infra import free_port
from tests.support.reporting_harness import Reporting
from tests.unit.test_reporting_scenarios import deliveries, history

pytestmark = pytest.mark.integration


async def sigap(settings: Settings, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.setattr(cli_support, "get_settings", lambda: settings)
    return await asyncio.to_thread(CliRunner().invoke, cli.app, list(args))


async def folded_history(reporting: Reporting, complaints: int, seed: int) -> int:
    """Publish ``complaints`` complaints' histories (redelivered, out of order) and wait until
    reporting folded them all; the number of complaints."""
    rng = random.Random(seed)
    histories = [history(rng) for _ in range(complaints)]
    await reporting.publish(deliveries(histories, rng))
    await reporting.processed(sum(len(h.events) for h in histories))
    return len(histories)


async def test_rebuild_reports_shows_its_progress_and_gives_back_the_same_aggregates(
    reporting: Reporting, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    complaints = await folded_history(reporting, 40, seed=1010)
    before = await aggregates(reporting)
    assert before

    done = await sigap(settings, monkeypatch, "rebuild-reports")

    assert done.exit_code == 0, done.output
    assert await aggregates(reporting) == before
    assert "Aduan dihitung ulang" in done.output
    assert f"{complaints}/{complaints}" in done.output  # the bar ended full
    assert any(
        line.split() == ["│", "complaints", "│", str(complaints), "│"]
        for line in done.output.splitlines()
    ), done.output


async def test_the_progress_counts_up_to_every_complaint_of_the_event_log(
    reporting: Reporting, settings: Settings
) -> None:
    complaints = await folded_history(reporting, 25, seed=2020)
    seen: list[tuple[int, int]] = []

    counts = await rebuild_with_progress(settings, lambda done, total: seen.append((done, total)))

    assert counts["complaints"] == complaints
    assert seen[0] == (0, complaints) and seen[-1] == (complaints, complaints)
    done_so_far = [done for done, _ in seen]
    assert done_so_far == sorted(done_so_far)
    assert all(total == complaints for _, total in seen)


async def test_an_unreachable_database_ends_the_rebuild_with_exit_code_1_naming_it(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    nowhere = Settings(
        **{
            **settings.model_dump(),
            "mongodb_url": f"mongodb://127.0.0.1:{free_port()}/?directConnection=true",
            "mongodb_timeout_ms": 300,
        }
    )
    refused = await sigap(nowhere, monkeypatch, "rebuild-reports")
    assert refused.exit_code == 1
    assert "database:" in refused.output
