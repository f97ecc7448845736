"""`sigap backup` and `sigap restore`: every SIGAP database, one collection at a time.

The layout follows mongodump's: ``<backup>/<database>/<collection>.bson.gz`` (the documents as
raw BSON, byte for byte as stored, gzipped) and ``<collection>.metadata.json`` (its index
specifications). ``MANIFEST.json`` is written last, and the directory is renamed from
``.partial`` only then, so a backup that a crash or a full disk interrupted is never taken for a
good one. Each collection is read in one pass, not at one instant across collections (as with
mongodump without --oplog); events replayed from the outbox and idempotent consumers close the
gap, and `sigap rebuild-reports` recomputes the reporting aggregates from the event history.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Annotated, Any, cast

import bson
import typer
from bson import json_util
from bson.codec_options import CodecOptions
from bson.raw_bson import RawBSONDocument
from pymongo import AsyncMongoClient

from ops import cli_support
from ops.cli_support import console
from shared.settings import Settings

MANIFEST = "MANIFEST.json"
BATCH = 1000
RAW: CodecOptions[RawBSONDocument] = CodecOptions(document_class=RawBSONDocument)
Progress = Callable[[str, int], None]


class BackupError(ValueError):
    """A backup that cannot be restored as asked (incomplete, or the target is not empty)."""


@dataclass(frozen=True)
class Manifest:
    created_at: datetime
    prefix: str
    counts: dict[str, int]  # "<database>.<collection>" → documents

    @classmethod
    def read(cls, backup: Path) -> Manifest:
        path = backup / MANIFEST
        if not path.is_file():
            raise BackupError(f"{backup}: cadangan tidak lengkap (tidak ada {MANIFEST})")
        body = json.loads(path.read_text())
        return cls(datetime.fromisoformat(body["created_at"]), body["prefix"], body["counts"])


@asynccontextmanager
async def _client(settings: Settings) -> AsyncIterator[AsyncMongoClient[RawBSONDocument]]:
    client: AsyncMongoClient[RawBSONDocument] = AsyncMongoClient(
        settings.mongodb_url.get_secret_value(),
        document_class=RawBSONDocument,
        serverSelectionTimeoutMS=settings.mongodb_timeout_ms,
    )
    try:
        yield client
    finally:
        await client.close()


async def backup(settings: Settings, out: Path, progress: Progress | None = None) -> Path:
    """Dump every ``<prefix>_*`` database under ``out/sigap-<UTC time>/``; the path made."""
    stamp = datetime.now(UTC)
    final = out / f"sigap-{stamp:%Y%m%dT%H%M%S%fZ}"
    partial = final.with_name(final.name + ".partial")
    partial.mkdir(parents=True)
    counts: dict[str, int] = {}
    async with _client(settings) as client:
        for db_name in sorted(await client.list_database_names()):
            if not db_name.startswith(settings.mongodb_db_prefix + "_"):
                continue
            db = client.get_database(db_name, codec_options=RAW)
            (partial / db_name).mkdir()
            for name in sorted(await db.list_collection_names()):
                if name.startswith("system."):
                    continue
                collection = db.get_collection(name)
                written = 0
                with gzip.open(partial / db_name / f"{name}.bson.gz", "wb") as dump:
                    async for document in collection.find({}, sort=[("_id", 1)]):
                        dump.write(document.raw)
                        written += 1
                indexes = [dict(spec) async for spec in await collection.list_indexes()]
                metadata = {"collectionName": name, "indexes": indexes}
                (partial / db_name / f"{name}.metadata.json").write_text(
                    json_util.dumps(metadata, indent=1)
                )
                counts[f"{db_name}.{name}"] = written
                if progress:
                    progress(f"{db_name}.{name}", written)
    manifest = {
        "created_at": stamp.isoformat(),
        "prefix": settings.mongodb_db_prefix,
        "counts": counts,
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    partial.rename(final)
    return final


def completed_backups(out: Path) -> list[Path]:
    """Complete backups under ``out``, oldest first."""
    if not out.is_dir():
        return []
    return sorted(p for p in out.glob("sigap-*") if p.is_dir() and (p / MANIFEST).is_file())


def prune(out: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest complete backups, and leftovers of interrupted ones."""
    complete = completed_backups(out)
    doomed = complete[: max(len(complete) - keep, 0)]
    doomed += [p for p in out.glob("sigap-*.partial") if p.is_dir()]
    for path in doomed:
        shutil.rmtree(path)
    return doomed


async def restore(
    settings: Settings,
    source: Path,
    *,
    drop: bool = False,
    prefix: str | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Load a backup, into the databases it came from or under another ``prefix``.

    A collection that already holds documents is refused unless ``drop`` is given (then it is
    emptied first): a restore never merges into live data by accident.
    """
    manifest = Manifest.read(source)
    target_prefix = prefix or manifest.prefix
    restored: dict[str, int] = {}
    async with _client(settings) as client:
        if not drop:
            await _refuse_non_empty(client, manifest, target_prefix)
        for key in sorted(manifest.counts):
            db_name, _, name = key.partition(".")
            target_db = target_prefix + db_name.removeprefix(manifest.prefix)
            db = client.get_database(target_db, codec_options=RAW)
            if drop:
                await db.drop_collection(name)
            folder = source / db_name
            loaded = await _load(db.get_collection(name), folder / f"{name}.bson.gz")
            await _create_indexes(db, name, folder / f"{name}.metadata.json")
            if loaded != manifest.counts[key]:
                raise BackupError(f"{key}: {loaded} dokumen, manifes {manifest.counts[key]}")
            restored[f"{target_db}.{name}"] = loaded
            if progress:
                progress(f"{target_db}.{name}", loaded)
    return restored


async def _refuse_non_empty(
    client: AsyncMongoClient[RawBSONDocument], manifest: Manifest, target_prefix: str
) -> None:
    for key in manifest.counts:
        db_name, _, name = key.partition(".")
        target_db = target_prefix + db_name.removeprefix(manifest.prefix)
        if await client[target_db][name].find_one({}, projection={"_id": 1}) is not None:
            raise BackupError(
                f"{target_db}.{name} sudah berisi data; pakai --drop untuk menggantinya"
            )


async def _load(collection: Any, path: Path) -> int:
    loaded = 0
    batch: list[RawBSONDocument] = []
    with gzip.open(path, "rb") as dump:
        for document in bson.decode_file_iter(cast("IO[bytes]", dump), codec_options=RAW):
            batch.append(document)
            if len(batch) == BATCH:
                await collection.insert_many(batch, ordered=True)
                loaded, batch = loaded + len(batch), []
    if batch:
        await collection.insert_many(batch, ordered=True)
        loaded += len(batch)
    return loaded


def _index_specs(path: Path) -> list[dict[str, Any]]:
    """The secondary indexes saved with a collection, as createIndexes takes them."""
    metadata = json_util.loads(path.read_text())
    return [
        {k: v for k, v in spec.items() if k not in ("v", "ns")}
        for spec in metadata["indexes"]
        if spec["name"] != "_id_"
    ]


async def _create_indexes(db: Any, name: str, path: Path) -> None:
    specs = _index_specs(path)
    if specs:
        await db.command("createIndexes", name, indexes=specs)
    elif name not in await db.list_collection_names():
        await db.create_collection(name)  # an empty collection is restored too


# --- the commands ---------------------------------------------------------------------------


def backup_command(
    out: Annotated[Path, typer.Option(help="Folder tujuan cadangan")] = Path("backups"),
    keep: Annotated[int, typer.Option(min=1, help="Jumlah cadangan terbaru yang disimpan")] = 14,
    every_hours: Annotated[
        float | None,
        typer.Option(min=0.01, help="Ulangi tiap N jam (untuk layanan backup terjadwal)"),
    ] = None,
) -> None:
    """Cadangkan semua basis data SIGAP (satu berkas BSON per koleksi) lalu buang yang lama."""
    settings = cli_support.settings()

    async def once() -> None:
        # The number of collections is known only as the backup lists them: no total.
        with cli_support.progress_bar() as progress:
            task = progress.add_task("Koleksi dicadangkan", total=None)

            def step(key: str, documents: int) -> None:
                progress.console.print(f"  {key}: {documents}")  # kept in the service's log
                progress.advance(task)

            path = await backup(settings, out, step)
        console.print(f"[green]✓ Cadangan selesai: {path}[/green]")
        for old in prune(out, keep):
            console.print(f"  dihapus: {old.name}")

    async def forever(hours: float) -> None:
        while True:
            try:
                await once()
            except Exception as exc:  # noqa: BLE001 — the schedule outlives one failed run
                console.print(f"[red]✗ Cadangan gagal: {exc}[/red]")
            await asyncio.sleep(hours * 3600)

    cli_support.run(once() if every_hours is None else forever(every_hours))


def restore_command(
    source: Annotated[Path, typer.Argument(help="Folder cadangan (sigap-…)")],
    drop: Annotated[
        bool, typer.Option("--drop", help="Kosongkan koleksi tujuan sebelum dipulihkan")
    ] = False,
    prefix: Annotated[
        str | None, typer.Option(help="Pulihkan ke awalan basis data lain (uji pemulihan)")
    ] = None,
) -> None:
    """Pulihkan cadangan dari `sigap backup` (hentikan layanan dulu)."""
    settings = cli_support.settings()
    try:
        total: int | None = sum(Manifest.read(source).counts.values())
    except BackupError:
        total = None  # restore() refuses it below, naming what is missing
    with cli_support.progress_bar() as progress:
        task = progress.add_task("Dokumen dipulihkan", total=total)

        def step(key: str, documents: int) -> None:
            progress.console.print(f"  {key}: {documents}")
            progress.advance(task, documents)

        restored = cli_support.run(
            restore(settings, source, drop=drop, prefix=prefix, progress=step)
        )
    total = sum(restored.values())
    console.print(f"[green]✓ {total} dokumen dipulihkan ke {len(restored)} koleksi[/green]")


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
