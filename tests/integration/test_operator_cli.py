"""The operator CLI (`sigap ...`) against the real database: districts, clinics, units, accounts
and password resets, each checked and audited like the staff API."""

from __future__ import annotations

import asyncio
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pymongo import AsyncMongoClient
from typer.testing import CliRunner, Result

from ops import cli, cli_support
from ops.backup import Manifest, completed_backups
from services.notify.channels import DeliveryError, OutgoingMessage
from services.notify.channels.email import SmtpEmailAdapter
from shared.audit import AuditLog
from shared.directory import Directory
from shared.sessions import RevocationStore
from shared.settings import Settings
from shared.storage import Database, database
from shared.users import Passwords, UserStore
from tests.support.infra import free_port

pytestmark = pytest.mark.integration


@pytest.fixture
def directory_db(
    settings: Settings, mongo: AsyncMongoClient[dict[str, object]], monkeypatch: pytest.MonkeyPatch
) -> Database:
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    return database(mongo, settings, "directory")  # type: ignore[arg-type]


async def sigap(*args: str, answers: str | None = None) -> Result:
    """Run one CLI command in a thread, as an operator's shell would (it runs its own loop)."""
    return await asyncio.to_thread(CliRunner().invoke, cli.app, list(args), input=answers)


async def make_clinic() -> None:
    assert (await sigap("create-district", "banjarnegara", "Dinkes Banjarnegara")).exit_code == 0
    created = await sigap(
        "create-clinic", "MDRJ1", "UPTD Puskesmas Mandiraja 1", "--district", "banjarnegara",
        "--unit", "pendaftaran:Pendaftaran", "--unit", "poli_umum:Poli Umum",
        "--whatsapp-id", "100000000000001", "--sms-number", "+6228641147801",
    )  # fmt: skip
    assert created.exit_code == 0, created.output


async def test_districts_clinics_and_units_are_created_and_audited(directory_db: Database) -> None:
    await make_clinic()
    added = await sigap("add-unit", "MDRJ1", "farmasi", "Farmasi")
    assert added.exit_code == 0, added.output
    clinic = await Directory(directory_db).clinic("MDRJ1")
    assert clinic is not None and clinic.district == "banjarnegara"
    assert [unit.code for unit in clinic.units] == ["pendaftaran", "poli_umum", "farmasi"]
    assert clinic.whatsapp_phone_number_id == "100000000000001"
    assert clinic.sms_number == "+6228641147801"
    entries = await AuditLog(directory_db).entries(clinic="MDRJ1", action="clinic.saved")
    assert len(entries) == 2 and entries[0].actor == "operator"
    assert entries[0].detail == {"units": "pendaftaran,poli_umum,farmasi"}


async def test_a_clinic_of_an_unknown_district_or_a_malformed_unit_is_refused(
    directory_db: Database,
) -> None:
    orphan = await sigap("create-clinic", "XYZ1", "Puskesmas X", "--district", "nowhere")
    assert orphan.exit_code == 1 and "nowhere" in orphan.output
    await sigap("create-district", "banjarnegara", "Dinkes Banjarnegara")
    malformed = await sigap(
        "create-clinic", "XYZ1", "Puskesmas X", "--district", "banjarnegara", "--unit", "farmasi"
    )
    assert malformed.exit_code == 2 and "kode:nama" in malformed.output
    assert await Directory(directory_db).clinic("XYZ1") is None


async def test_a_user_is_created_with_an_argon2_hash_and_can_be_verified(
    directory_db: Database,
) -> None:
    await make_clinic()
    created = await sigap(
        "create-user", "MDRJ1.Kepala", "--name", "Kepala Puskesmas", "--role", "head",
        "--clinic", "MDRJ1", "--password", "kepala-long-secret",
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    user = await UserStore(directory_db).by_username("mdrj1.kepala")
    assert user is not None and user.role == "head" and user.district == "banjarnegara"
    assert user.password_hash.startswith("$argon2id$")
    assert await Passwords().verify(user.password_hash, "kepala-long-secret")
    entries = await AuditLog(directory_db).entries(clinic="MDRJ1", action="user.created")
    assert [entry.target for entry in entries] == [user.id]


async def test_the_password_is_asked_twice_when_not_given(directory_db: Database) -> None:
    await make_clinic()
    created = await sigap(
        "create-user", "mdrj1.umum", "--name", "Unit Poli Umum", "--role", "unit",
        "--clinic", "MDRJ1", "--unit", "poli_umum",
        answers="poli-umum-secret\npoli-umum-secret\n",
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    user = await UserStore(directory_db).by_username("mdrj1.umum")
    assert user is not None and user.unit == "poli_umum"
    assert await Passwords().verify(user.password_hash, "poli-umum-secret")


@pytest.mark.parametrize(
    ("placement", "field"),
    [
        (["--clinic", "RANAI", "--unit", "farmasi"], "clinic"),
        (["--clinic", "MDRJ1", "--unit", "kamar_bedah"], "unit"),
        (["--clinic", "MDRJ1"], "unit"),
        ([], "clinic"),
    ],
)
async def test_a_user_placed_where_it_cannot_be_is_refused_naming_the_field(
    directory_db: Database, placement: list[str], field: str
) -> None:
    await make_clinic()
    refused = await sigap(
        "create-user", "mdrj1.x", "--name", "X", "--role", "unit", "--password",
        "long-enough-secret", *placement,
    )  # fmt: skip
    assert refused.exit_code == 1 and f"{field}:" in refused.output
    assert await UserStore(directory_db).by_username("mdrj1.x") is None


async def test_a_district_user_needs_an_existing_district(directory_db: Database) -> None:
    await make_clinic()
    args = ("create-user", "dinkes.bna", "--name", "Dinkes", "--role", "district")
    missing = await sigap(*args, "--district", "natuna", "--password", "long-enough-secret")
    assert missing.exit_code == 1
    made = await sigap(*args, "--district", "banjarnegara", "--password", "long-enough-secret")
    assert made.exit_code == 0, made.output
    user = await UserStore(directory_db).by_username("dinkes.bna")
    assert user is not None and user.clinic is None and user.district == "banjarnegara"


async def test_a_password_reset_ends_every_session_of_the_user(directory_db: Database) -> None:
    await make_clinic()
    await sigap(
        "create-user", "mdrj1.aduan", "--name", "Tim Aduan", "--role", "complaint_team",
        "--clinic", "MDRJ1", "--password", "first-long-secret",
    )  # fmt: skip
    users, revocations = UserStore(directory_db), RevocationStore(directory_db)
    user = await users.by_username("mdrj1.aduan")
    assert user is not None
    await revocations.record_session("session-1", user.id, datetime.now(UTC) + timedelta(hours=1))
    reset = await sigap("reset-password", "mdrj1.aduan", "--password", "second-long-secret")
    assert reset.exit_code == 0, reset.output
    assert await revocations.is_revoked("session-1")
    after = await users.by_username("mdrj1.aduan")
    assert after is not None and await Passwords().verify(after.password_hash, "second-long-secret")
    assert after.password_changed_at > user.password_changed_at
    entries = await AuditLog(directory_db).entries(clinic="MDRJ1", action="password.reset")
    assert [(entry.actor, entry.target) for entry in entries] == [("operator", user.id)]
    unknown = await sigap("reset-password", "nobody.here", "--password", "second-long-secret")
    assert unknown.exit_code == 1


async def test_the_demo_seed_is_idempotent_and_prints_the_demo_logins(
    directory_db: Database,
) -> None:
    first = await sigap("seed-demo")
    assert first.exit_code == 0, first.output
    count = await directory_db["users"].count_documents({})
    again = await sigap("seed-demo")
    assert again.exit_code == 0 and await directory_db["users"].count_documents({}) == count == 9
    for username in ("mdrj1.kepala", "ranai.aduan", "dinkes.bna", "admin.bna", "sigap-demo-2026"):
        assert username in again.output
    roles = {doc["role"] async for doc in directory_db["users"].find({"clinic": "MDRJ1"})}
    assert roles == {"officer", "complaint_team", "quality_team", "head", "unit"}


async def test_the_audit_log_refuses_a_complainants_personal_data(directory_db: Database) -> None:
    audit = AuditLog(directory_db)
    with pytest.raises(ValueError, match="phone"):
        await audit.record("complaint.identity_viewed", actor="u1", detail={"phone": "+6281"})
    assert await directory_db["audit_log"].count_documents({}) == 0


async def test_backup_and_restore_show_their_progress_over_collections_and_documents(
    directory_db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cli_support, "get_settings", lambda: settings)
    assert (await sigap("seed-demo")).exit_code == 0
    made = await sigap("backup", "--out", str(tmp_path))
    assert made.exit_code == 0, made.output
    [dump] = completed_backups(tmp_path)
    manifest = Manifest.read(dump)
    collections, documents = len(manifest.counts), sum(manifest.counts.values())
    # The collections are counted as the backup lists them: done, no total.
    assert "Koleksi dicadangkan" in made.output and f"{collections}/?" in made.output
    # Into databases the test's cleanup drops (they share its prefix).
    drill = f"{settings.mongodb_db_prefix}_drill"
    restored = await sigap("restore", str(dump), "--prefix", drill)
    assert restored.exit_code == 0, restored.output
    assert "Dokumen dipulihkan" in restored.output
    assert f"{documents}/{documents}" in restored.output
    assert f"{drill}_directory.users: 9" in restored.output


class MailServer:
    """An SMTP server on loopback that lets in only ``password``'s holder (AUTH without TLS,
    as a test may) and keeps the messages it accepted."""

    def __init__(self, username: str, password: str) -> None:
        self.login = (username.encode(), password.encode())
        self.accepted: list[str] = []

    def authenticate(self, *args: object) -> AuthResult:
        auth_data = args[-1]
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            self.login
        )
        return AuthResult(success=ok, handled=False)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.accepted.append(envelope.mail_from)
        return "250 OK"


async def test_the_smtp_password_is_rotated_for_the_deployment_and_notify_logs_in_with_it(
    directory_db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    await make_clinic()
    monkeypatch.setattr(cli_support, "get_settings", lambda: settings)
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "sigap_smtp_password").write_text("old mail password")
    new_password = "new mail pass 2026"  # chosen by the mail provider: short, with spaces
    mail = MailServer("sigap@dinkes.example.id", new_password)
    port = free_port()
    controller = Controller(
        mail, hostname="127.0.0.1", port=port, authenticator=mail.authenticate,
        auth_require_tls=False,
    )  # fmt: skip
    controller.start()
    try:
        rotated = await sigap(
            "rotate-secret", "MDRJ1", "--kind", "smtp-password", "--secrets-dir", str(secrets),
            answers=f"{new_password}\n{new_password}\n",
        )  # fmt: skip
        assert rotated.exit_code == 0, rotated.output
        assert "semua puskesmas" in rotated.output
        # Readable as the old file was: the services' user must still read it.
        assert stat.S_IMODE((secrets / "sigap_smtp_password").stat().st_mode) == 0o644
        # Notify as it starts after the rotation: the file is its setting, the server lets it in.
        notify = Settings(
            _secrets_dir=secrets, smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none",
            smtp_username="sigap@dinkes.example.id",
        )  # fmt: skip
        message = OutgoingMessage(
            channel="email", to="warga@example.id", title="Tanda terima", body="Aduan diterima.",
            clinic="MDRJ1",
        )  # fmt: skip
        assert await SmtpEmailAdapter(notify).send(message)
        assert len(mail.accepted) == 1
        before = Settings(**{**notify.model_dump(), "smtp_password": "old mail password"})
        with pytest.raises(DeliveryError, match="535"):  # the server does check the password
            await SmtpEmailAdapter(before).send(message)
    finally:
        controller.stop()
    entries = await AuditLog(directory_db).entries(clinic="MDRJ1", action="secret.rotated")
    assert [entry.detail for entry in entries] == [{"kind": "smtp-password", "scope": "deployment"}]
    assert new_password not in str([entry.model_dump(mode="json") for entry in entries])
    too_short = await sigap(
        "rotate-secret", "MDRJ1", "--kind", "smtp-password", "--secrets-dir", str(secrets),
        answers="short\nshort\n",
    )  # fmt: skip
    assert too_short.exit_code == 1 and "value:" in too_short.output
