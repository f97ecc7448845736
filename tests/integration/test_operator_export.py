"""Exporting one clinic's data (`sigap export-clinic`) and rotating a channel secret
(`sigap rotate-secret`), against the real broker and database."""

from __future__ import annotations

import asyncio
import csv
import json
import stat
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner, Result

from ops import cli, cli_support
from services.reporting.main import create_app as reporting_app
from shared.audit import AuditLog
from shared.events import Actor, Answers, Reporter, Respondent, SurveySubmitted, SurveySubmittedData
from shared.settings import Settings
from shared.storage import database
from tests.integration.triage_harness import Harness, running_triage
from tests.support.lifespan import Running
from tests.support.waiting import eventually

pytestmark = pytest.mark.integration
NAME, PHONE = "Siti Aminah", "+6281234567890"
SECRET_NAME = "Rahmat Hidayat"


@pytest.fixture
async def triage(settings: Settings, amqp: object, mongo: object) -> AsyncIterator[Harness]:
    async with (
        running_triage(settings) as harness,
        Running(reporting_app(settings)),
    ):
        yield harness


async def sigap(settings: Settings, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.setattr(cli_support, "get_settings", lambda: settings)
    return await asyncio.to_thread(CliRunner().invoke, cli.app, list(args))


def survey() -> SurveySubmitted:
    return SurveySubmitted.create(
        SurveySubmittedData(
            survey_id=uuid.uuid4(),
            unit="pendaftaran",
            service_date=date(2026, 11, 20),
            answers=Answers(U1=4, U2=3, U3=3, U4=4, U5=3, U6=4, U7=4, U8=3, U9=2),
            respondent=Respondent(age=34, sex="P", education="sma", occupation="pedagang"),
        ),
        district="banjarnegara",
        clinic="MDRJ1",
        actor=Actor(kind="public"),
        correlation_id=str(uuid.uuid4()),
    )


async def clinic_data(triage: Harness, settings: Settings, mongo: Any) -> list[uuid.UUID]:
    """Three complaints of MDRJ1 (plain, confidential, anonymous), one of RANAI, one survey."""
    text = f"Antrian lama sekali, hubungi saya di {PHONE}"
    events = [
        await triage.receive(text=text, reporter=Reporter(name=NAME, phone=PHONE)),
        await triage.receive(identity="rahasia", reporter=Reporter(name=SECRET_NAME)),
        await triage.receive(identity="anonim"),
        await triage.receive(clinic="RANAI"),
    ]
    await triage.triage.runtime.publisher.publish(survey())
    reporting = database(mongo, settings, "reporting")
    await eventually(
        lambda: reporting["complaint_facts"].count_documents({}), until=lambda n: n == 4
    )
    await eventually(lambda: reporting["event_log"].count_documents({"subject": "survey"}))
    return [event.data.complaint_id for event in events]


def rows(out: Path, name: str) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    lines = (out / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    with (out / f"{name}.csv").open(encoding="utf-8-sig", newline="") as table:
        return [json.loads(line) for line in lines], list(csv.DictReader(table))


def everything(out: Path) -> str:
    return "".join(path.read_text(encoding="utf-8-sig") for path in sorted(out.iterdir()))


async def test_a_clinic_export_holds_its_rows_and_no_identity_without_the_flag(
    triage: Harness, settings: Settings, mongo: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ids = await clinic_data(triage, settings, mongo)
    out = tmp_path / "mdrj1"
    done = await sigap(settings, monkeypatch, "export-clinic", "MDRJ1", "--out", str(out))
    assert done.exit_code == 0, done.output

    complaints, complaint_table = rows(out, "complaints")
    assert {c["complaint_id"] for c in complaints} == {str(i) for i in ids[:3]}
    assert len(complaint_table) == 3 and "reporter_name" not in complaint_table[0]
    first = next(c for c in complaints if c["complaint_id"] == str(ids[0]))
    assert first["history_steps"] == len(first["history"]) >= 2
    assert "Antrian lama sekali" in first["text"]
    history, _ = rows(out, "complaint_history")
    assert len(history) == sum(c["history_steps"] for c in complaints)
    surveys, survey_table = rows(out, "surveys")
    assert len(surveys) == 1 and survey_table[0]["U9"] == "2" and surveys[0]["age"] == 34
    register, register_table = rows(out, "register")
    assert len(register) == len(register_table) == 3
    assert {r["reporter"] for r in register} == {
        "S*** A***, +6281****890",
        "Dirahasiakan",
        "Anonim",
    }
    for identity in (NAME, PHONE, SECRET_NAME, "081234567890"):
        assert identity not in everything(out)

    audit = AuditLog(database(mongo, settings, "directory"))
    [entry] = await audit.entries(clinic="MDRJ1", action="clinic.exported")
    assert entry.actor == "operator" and entry.detail["identities"] is False
    assert entry.detail["rows_complaints"] == 3


async def test_identities_are_exported_only_with_the_flag_never_the_confidential_ones(
    triage: Harness, settings: Settings, mongo: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ids = await clinic_data(triage, settings, mongo)
    out = tmp_path / "with"
    args = ("export-clinic", "MDRJ1", "--out", str(out), "--with-identities")
    done = await sigap(settings, monkeypatch, *args)
    assert done.exit_code == 0, done.output
    _, table = rows(out, "complaints")
    by_id = {row["complaint_id"]: row for row in table}
    assert by_id[str(ids[0])]["reporter_name"] == NAME
    assert by_id[str(ids[0])]["reporter_phone"] == PHONE
    assert by_id[str(ids[1])]["reporter_name"] == ""  # rahasia: never in an export
    assert SECRET_NAME not in everything(out)
    audit = AuditLog(database(mongo, settings, "directory"))
    [entry] = await audit.entries(clinic="MDRJ1", action="clinic.exported")
    assert entry.detail["identities"] is True


async def test_an_unknown_clinic_or_a_used_directory_is_refused_and_nothing_written(
    triage: Harness, settings: Settings, mongo: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    unknown = await sigap(
        settings, monkeypatch, "export-clinic", "NOPE1", "--out", str(tmp_path / "x")
    )
    assert unknown.exit_code == 1 and "NOPE1" in unknown.output
    assert not (tmp_path / "x").exists()
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep.txt").write_text("operator notes")
    refused = await sigap(settings, monkeypatch, "export-clinic", "MDRJ1", "--out", str(used))
    assert refused.exit_code == 1 and "out:" in refused.output
    assert [p.name for p in used.iterdir()] == ["keep.txt"]


async def test_a_clinic_whatsapp_token_is_rotated_in_the_secrets_directory(
    triage: Harness, settings: Settings, mongo: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "sigap_whatsapp_access_tokens").write_text('{"RANAI": "ranai-token-0000000001"}')
    (secrets / "sigap_whatsapp_access_tokens").chmod(0o640)
    new_token = tmp_path / "token.txt"
    new_token.write_text("EAAG-new-token-for-mandiraja-000001\n")
    args = ("rotate-secret", "MDRJ1", "--kind", "whatsapp-token", "--secrets-dir", str(secrets))
    done = await sigap(settings, monkeypatch, *args, "--value-file", str(new_token))
    assert done.exit_code == 0, done.output
    read = Settings(_secrets_dir=secrets)
    assert read.whatsapp_access_tokens == {
        "RANAI": SecretStr("ranai-token-0000000001"),
        "MDRJ1": SecretStr("EAAG-new-token-for-mandiraja-000001"),
    }
    # The new file keeps the old one's permissions: whoever read the token still reads it.
    assert stat.S_IMODE((secrets / "sigap_whatsapp_access_tokens").stat().st_mode) == 0o640
    again = await sigap(settings, monkeypatch, *args, "--value-file", str(new_token))
    assert again.exit_code == 1 and "value:" in again.output  # a rotation needs a new value
    audit = AuditLog(database(mongo, settings, "directory"))
    [entry] = await audit.entries(clinic="MDRJ1", action="secret.rotated")
    assert entry.detail == {"kind": "whatsapp-token", "scope": "clinic"}
    assert "EAAG" not in json.dumps(entry.model_dump(mode="json"))


async def test_a_deployment_secret_is_asked_twice_and_weak_or_unknown_input_is_refused(
    triage: Harness, settings: Settings, mongo: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    base = ("rotate-secret", "MDRJ1", "--secrets-dir", str(tmp_path))
    monkeypatch.setattr(cli_support, "get_settings", lambda: settings)
    secret = "0123456789abcdef0123456789abcdef"
    done = await asyncio.to_thread(
        CliRunner().invoke, cli.app, [*base, "--kind", "sms-token"], input=f"{secret}\n{secret}\n"
    )
    assert done.exit_code == 0, done.output
    assert "semua puskesmas" in done.output
    assert Settings(_secrets_dir=tmp_path).twilio_auth_token.get_secret_value() == secret
    (tmp_path / "sms.txt").write_text("fedcba9876543210fedcba9876543210")
    weak = tmp_path / "weak.txt"
    weak.write_text("short")
    refused = [
        await sigap(settings, monkeypatch, *base, "--kind", "sms-token", "--value-file", str(weak)),
        await sigap(settings, monkeypatch, *base, "--kind", "fax-token", "--value-file", str(weak)),
        await sigap(
            settings, monkeypatch, "rotate-secret", "NOPE1", "--kind", "sms-token",
            "--secrets-dir", str(tmp_path), "--value-file", str(tmp_path / "sms.txt"),
        ),
    ]  # fmt: skip
    assert [r.exit_code for r in refused] == [1, 1, 1]
    assert "value:" in refused[0].output and "kind:" in refused[1].output
    assert "NOPE1" in refused[2].output
    assert Settings(_secrets_dir=tmp_path).twilio_auth_token.get_secret_value() == secret
