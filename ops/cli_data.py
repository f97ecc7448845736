"""`sigap purge-personal-data`, `sigap export-clinic` and `sigap rotate-secret`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ops import cli_support
from ops.cli_support import console
from ops.export import export_clinic
from ops.purge import purge_personal_data
from ops.secret_rotation import SETTINGS, rotate_secret
from shared.settings import SECRETS_DIR


def purge_command(
    older_than_days: Annotated[
        int | None,
        typer.Option(help="Masa simpan dalam hari (bawaan: SIGAP_RETENTION_DAYS)"),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Hanya hitung, tidak mengubah apa pun")
    ] = False,
) -> None:
    """Hapus data pribadi aduan yang sudah selesai (ditutup/ditolak) melewati masa simpan.

    Statistik anonim (rekap, IKM, buku rekapan bersamaran) tetap utuh.
    """
    settings = cli_support.settings()
    days = settings.retention_days if older_than_days is None else older_than_days
    with cli_support.progress_bar() as progress:
        task = progress.add_task("Aduan diproses", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = cli_support.run(
            purge_personal_data(settings, days, dry_run=dry_run, progress=advance)
        )
    since = f"selesai sebelum {report.cutoff:%d-%m-%Y}"
    if dry_run:
        table = Table(title=f"Uji coba: data pribadi yang akan dihapus ({since})")
        table.add_column("layanan")
        table.add_column("catatan berisi data pribadi", justify="right")
        for service, count in report.holding.items():
            table.add_row(service, str(count))
        console.print(table)
        console.print(f"{report.complaints} aduan memenuhi syarat; tidak ada yang diubah.")
        return
    console.print(
        f"[green]✓[/green] {report.purged} dari {report.complaints} aduan ({since}) dihapus "
        "data pribadinya di triage dan diumumkan ke intake dan notify "
        f"(correlation id {report.correlation_id})."
    )
    if report.purged < report.complaints:
        console.print("[yellow]! Sebagian aduan berubah selama proses: jalankan lagi.[/yellow]")


def export_command(
    code: Annotated[str, typer.Argument(help="Kode puskesmas")],
    out: Annotated[Path, typer.Option("--out", help="Direktori tujuan (baru atau kosong)")],
    with_identities: Annotated[
        bool,
        typer.Option(
            "--with-identities",
            help="Sertakan identitas pelapor (bukan yang rahasia); dicatat di log audit",
        ),
    ] = False,
) -> None:
    """Ekspor data satu puskesmas (aduan dan riwayatnya, survei, buku rekapan) ke JSONL dan CSV."""
    with cli_support.progress_bar() as progress:
        task = progress.add_task("Berkas ditulis", total=4)

        def step(name: str, rows: int) -> None:
            progress.update(task, advance=1, description=f"{name} ({rows} baris)")

        report = cli_support.run(
            export_clinic(
                cli_support.settings(), code, out, with_identities=with_identities, step=step
            )
        )
    table = Table(title=f"Ekspor {report.clinic} → {out}")
    table.add_column("berkas")
    table.add_column("baris", justify="right")
    for name, rows in report.files.items():
        table.add_row(f"{name}.jsonl / {name}.csv", str(rows))
    console.print(table)
    if with_identities:
        console.print("[yellow]! Berkas berisi identitas pelapor: simpan dengan aman.[/yellow]")


def rotate_command(
    clinic: Annotated[str, typer.Argument(help="Kode puskesmas")],
    kind: Annotated[str, typer.Option(help=f"Jenis rahasia: {', '.join(SETTINGS)}")],
    value_file: Annotated[
        Path | None,
        typer.Option(help="Baca rahasia baru dari berkas ini (bila tidak, ditanyakan)"),
    ] = None,
    secrets_dir: Annotated[
        Path, typer.Option(help="Direktori rahasia yang dibaca layanan (SIGAP_SECRETS_DIR)")
    ] = Path(SECRETS_DIR),
) -> None:
    """Ganti rahasia kanal (token WhatsApp, app secret WhatsApp, token SMS, sandi SMTP)."""
    if kind not in SETTINGS:
        raise cli_support.fail(f"kind: {kind!r} tidak dikenal (pilih: {', '.join(SETTINGS)})")
    if value_file is not None:
        if not value_file.is_file():
            raise cli_support.fail(f"value-file: {value_file} tidak ada")
        value = value_file.read_text(encoding="utf-8")
    else:
        value = typer.prompt("Rahasia baru", hide_input=True, confirmation_prompt=True)
    rotation = cli_support.run(
        rotate_secret(cli_support.settings(), clinic, kind, value, secrets_dir)
    )
    console.print(f"[green]✓[/green] {kind} diganti di {rotation.file}.")
    if not rotation.per_clinic:
        console.print("[yellow]! Rahasia ini berlaku untuk semua puskesmas instalasi ini.[/yellow]")
    if rotation.overridden_by:
        console.print(
            f"[yellow]! {rotation.overridden_by} juga diatur di lingkungan dan menang atas "
            "berkas: hapus dari lingkungan.[/yellow]"
        )
    console.print("Mulai ulang intake dan notify agar rahasia baru dipakai.")


def register(app: typer.Typer) -> None:
    app.command("purge-personal-data")(purge_command)
    app.command("export-clinic")(export_command)
    app.command("rotate-secret")(rotate_command)
