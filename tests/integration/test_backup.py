"""`sigap backup` and `sigap restore` against the real database: a dump restores byte for byte
with its indexes, a restore never merges into live data, and old backups are pruned."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bson import Decimal128
from pymongo import AsyncMongoClient
from typer.testing import CliRunner, Result

from ops import cli, cli_support
from ops.backup import MANIFEST, RAW, BackupError, backup, completed_backups, prune, restore
from ops.seed import seed_demo
from shared.settings import Settings

pytestmark = pytest.mark.integration

Mongo = AsyncMongoClient[dict[str, Any]]


async def sigap(*args: str) -> Result:
    return await asyncio.to_thread(CliRunner().invoke, cli.app, list(args))


async def snapshot(mongo: Mongo, prefix: str) -> dict[str, Any]:
    """Every document (as raw BSON) and every index of the databases under ``prefix``."""
    state: dict[str, Any] = {}
    for db_name in sorted(await mongo.list_database_names()):
        if not db_name.startswith(prefix + "_"):
            continue
        suffix = db_name.removeprefix(prefix)
        db = mongo.get_database(db_name)
        for name in sorted(await db.list_collection_names()):
            raw = db.get_collection(name, codec_options=RAW)  # type: ignore[arg-type]
            docs = [d.raw async for d in raw.find({}, sort=[("_id", 1)])]
            info = await db.get_collection(name).index_information()
            indexes = {k: (v["key"], v.get("unique", False)) for k, v in info.items()}
            state[f"{suffix}.{name}"] = (docs, indexes)
    return state


async def write_varied_documents(mongo: Mongo, settings: Settings) -> None:
    triage = mongo[f"{settings.mongodb_db_prefix}_triage"]["complaints"]
    await triage.create_index("tracking_number", unique=True, name="tracking_unique")
    await triage.insert_many(
        [
            {
                "_id": uuid.uuid4(),
                "tracking_number": f"MDRJ1-{n:06d}",
                "received_at": datetime(2026, 5, 12, 3, n, tzinfo=UTC),
                "amount": Decimal128(Decimal("12.50")),
                "text": "Antrean pendaftaran lama sekali — ñ ü 漢字",
                "history": [{"status": "received", "n": n}, {"status": "triaged"}],
                "pin_hash": b"\x00\x01binary",
            }
            for n in range(25)
        ]
    )
    await mongo[f"{settings.mongodb_db_prefix}_reporting"].create_collection("empty_yet")


@pytest.fixture
def operator(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setattr(cli_support, "settings", lambda: settings)
    return settings


async def test_a_backup_restores_every_document_byte_for_byte_with_its_indexes(
    operator: Settings, mongo: Mongo, tmp_path: Path
) -> None:
    await seed_demo(operator)
    await write_varied_documents(mongo, operator)
    before = await snapshot(mongo, operator.mongodb_db_prefix)

    made = await sigap("backup", "--out", str(tmp_path))
    assert made.exit_code == 0, made.output
    [dump] = completed_backups(tmp_path)
    assert (dump / f"{operator.mongodb_db_prefix}_triage" / "complaints.bson.gz").is_file()

    for name in await mongo.list_database_names():  # the disaster
        if name.startswith(operator.mongodb_db_prefix + "_"):
            await mongo.drop_database(name)
    assert await snapshot(mongo, operator.mongodb_db_prefix) == {}

    restored = await sigap("restore", str(dump))
    assert restored.exit_code == 0, restored.output

    after = await snapshot(mongo, operator.mongodb_db_prefix)
    assert after == before
    assert len(after["_triage.complaints"][0]) == 25
    assert after["_reporting.empty_yet"] == ([], {"_id_": ([("_id", 1)], False)})


async def test_a_restore_into_another_prefix_leaves_the_live_databases_alone(
    operator: Settings, mongo: Mongo, tmp_path: Path
) -> None:
    await seed_demo(operator)
    await write_varied_documents(mongo, operator)
    live = await snapshot(mongo, operator.mongodb_db_prefix)
    dump = await backup(operator, tmp_path)
    drill = f"drill{uuid.uuid4().hex[:8]}"
    try:
        counts = await restore(operator, dump, prefix=drill)
        assert counts[f"{drill}_triage.complaints"] == 25
        assert await snapshot(mongo, drill) == live
        assert await snapshot(mongo, operator.mongodb_db_prefix) == live
    finally:
        for name in await mongo.list_database_names():
            if name.startswith(drill + "_"):
                await mongo.drop_database(name)


async def test_a_restore_refuses_to_merge_into_data_unless_told_to_drop_it(
    operator: Settings, mongo: Mongo, tmp_path: Path
) -> None:
    await write_varied_documents(mongo, operator)
    dump = await backup(operator, tmp_path)
    complaints = mongo[f"{operator.mongodb_db_prefix}_triage"]["complaints"]
    await complaints.insert_one({"_id": "written-after-the-backup", "tracking_number": "X-1"})

    refused = await sigap("restore", str(dump))
    assert refused.exit_code == 1
    assert "--drop" in refused.output
    assert await complaints.count_documents({}) == 26  # nothing changed

    replaced = await sigap("restore", str(dump), "--drop")
    assert replaced.exit_code == 0, replaced.output
    assert await complaints.count_documents({}) == 25
    assert await complaints.find_one({"_id": "written-after-the-backup"}) is None


async def test_an_interrupted_backup_is_neither_restored_nor_kept(
    operator: Settings, mongo: Mongo, tmp_path: Path
) -> None:
    await write_varied_documents(mongo, operator)
    dump = await backup(operator, tmp_path)
    (dump / MANIFEST).unlink()  # as if the process died before the manifest
    with pytest.raises(BackupError, match="tidak lengkap"):
        await restore(operator, dump, drop=True)
    leftover = tmp_path / "sigap-20260101T000000000000Z.partial"
    leftover.mkdir()
    assert completed_backups(tmp_path) == []
    prune(tmp_path, keep=3)
    assert not leftover.exists()


async def test_only_the_newest_backups_are_kept(
    operator: Settings, mongo: Mongo, tmp_path: Path
) -> None:
    await write_varied_documents(mongo, operator)
    made = [await backup(operator, tmp_path) for _ in range(4)]
    removed = prune(tmp_path, keep=2)
    assert removed == made[:2]
    assert completed_backups(tmp_path) == made[2:]
