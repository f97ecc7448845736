"""`sigap dlq ...`: the dead-letter queues of every consuming service."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from ops import cli_support
from ops.cli_support import console
from ops.dead_letters import inspect_dead_letters, list_dead_letters, replay_dead_letters

app = typer.Typer(help="Antrean surat mati (dead-letter) tiap layanan.", no_args_is_help=True)

Service = Annotated[str, typer.Argument(help="Layanan: intake, triage, notify, reporting")]


@app.command("list")
def list_command() -> None:
    """Tampilkan antrean surat mati tiap layanan dan jumlah pesannya."""
    infos = cli_support.run(list_dead_letters(cli_support.settings()))
    table = Table(title="Antrean surat mati")
    for column in ("layanan", "antrean", "pesan"):
        table.add_column(column)
    for info in infos:
        count = str(info.messages) if info.exists else "— (belum dibuat)"
        style = "red" if info.messages else None
        table.add_row(info.service, info.queue, count, style=style)
    console.print(table)


@app.command("inspect")
def inspect_command(
    service: Service,
    limit: Annotated[int, typer.Option(help="Jumlah pesan paling banyak")] = 20,
    body: Annotated[
        bool, typer.Option("--body", help="Tampilkan isi pesan (data pribadi disamarkan)")
    ] = False,
) -> None:
    """Lihat pesan di antrean surat mati tanpa mengambilnya (urutan dan jumlah tetap)."""
    letters = cli_support.run(inspect_dead_letters(cli_support.settings(), service, limit))
    if not letters:
        console.print(f"Antrean surat mati {service} kosong.")
        return
    table = Table(title=f"Surat mati {service} (tetap di antrean)")
    for column in (
        "#",
        "id peristiwa",
        "jenis",
        "puskesmas",
        "percobaan",
        "gagal pertama",
        "sebab",
    ):
        table.add_column(column, overflow="fold")
    for letter in letters:
        table.add_row(
            str(letter.position),
            letter.event_id or "—",
            letter.type or "—",
            letter.clinic or "—",
            str(letter.attempts) if letter.attempts is not None else "—",
            letter.first_failed_at.isoformat(timespec="seconds") if letter.first_failed_at else "—",
            letter.reason,
        )
    console.print(table)
    if body:
        for letter in letters:
            console.rule(f"#{letter.position} {letter.event_id or ''}")
            console.print_json(json.dumps(letter.body, default=str))


@app.command("replay")
def replay_command(
    service: Service,
    limit: Annotated[int | None, typer.Option(help="Jumlah pesan paling banyak")] = None,
    event_id: Annotated[
        str | None, typer.Option(help="Hanya pesan dengan id peristiwa ini")
    ] = None,
) -> None:
    """Kembalikan pesan surat mati ke antrean utama layanan untuk diproses ulang."""
    with console.status(f"Memutar ulang surat mati {service}…"):
        moved = cli_support.run(
            replay_dead_letters(cli_support.settings(), service, limit=limit, event_id=event_id)
        )
    if event_id is not None and moved == 0:
        raise cli_support.fail(f"event-id: tidak ada surat mati {event_id} di antrean {service}")
    console.print(f"[green]✓[/green] {moved} pesan dikembalikan ke antrean utama {service}.")
