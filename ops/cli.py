"""The operator's command line: ``sigap --help``."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.table import Table

from ops import backup, cli_data, cli_dlq, rebuild
from ops.cli_support import console
from ops.cli_support import run as _run
from ops.register import open_register
from ops.seed import demo_logins, seed_demo
from shared.auth import Role
from shared.directory import TIMEZONES, Clinic, District, Unit
from shared.settings import get_settings
from shared.users import NewUser, StaffUser

app = typer.Typer(help="SIGAP — perintah operator", no_args_is_help=True)

Timezone = Annotated[str, typer.Option(help=f"Zona waktu: {', '.join(TIMEZONES)}")]
Password = Annotated[
    str,
    typer.Option(
        prompt="Kata sandi",
        hide_input=True,
        confirmation_prompt=True,
        help="Ditanyakan bila tidak diberikan",
    ),
]


def _unit(spec: str) -> Unit:
    code, separator, name = spec.partition(":")
    if not separator:
        raise typer.BadParameter(f"{spec!r}: tulis kode:nama, mis. poli_umum:Poli Umum")
    return Unit(code=code.strip(), name=name.strip())


def _user_table(user: StaffUser) -> Table:
    table = Table(show_header=False)
    for label, value in (
        ("id", user.id),
        ("nama pengguna", user.username),
        ("nama", user.name),
        ("peran", user.role.value),
        ("kabupaten", user.district),
        ("puskesmas", user.clinic or "—"),
        ("unit", user.unit or "—"),
    ):
        table.add_row(label, value)
    return table


@app.command("create-district")
def create_district(code: str, name: str, timezone: Timezone = "Asia/Jakarta") -> None:
    """Buat (atau ganti nama) dinas kesehatan kabupaten."""

    async def work() -> None:
        district = District(code=code, name=name, timezone=timezone)
        async with open_register(get_settings()) as register:
            await register.save_district(district)

    _run(work())
    console.print(f"[green]✓[/green] Kabupaten {code} tersimpan.")


@app.command("create-clinic")
def create_clinic(
    code: str,
    name: str,
    district: Annotated[str, typer.Option(help="Kode kabupaten")],
    unit: Annotated[list[str] | None, typer.Option(help="kode:nama, boleh berulang")] = None,
    whatsapp_id: Annotated[str | None, typer.Option(help="ID nomor telepon WhatsApp")] = None,
    sms_number: Annotated[str | None, typer.Option(help="Nomor SMS gateway")] = None,
    timezone: Timezone = "Asia/Jakarta",
) -> None:
    """Buat (atau ganti) puskesmas beserta unit dan nomor kanalnya."""

    async def work() -> Clinic:
        units = tuple(_unit(spec) for spec in unit or ())
        clinic = Clinic(
            code=code,
            name=name,
            district=district,
            timezone=timezone,
            units=units,
            whatsapp_phone_number_id=whatsapp_id,
            sms_number=sms_number,
        )
        async with open_register(get_settings()) as register:
            await register.save_clinic(clinic)
        return clinic

    clinic = _run(work())
    console.print(f"[green]✓[/green] Puskesmas {clinic.code} tersimpan ({len(clinic.units)} unit).")


@app.command("add-unit")
def add_unit(clinic: str, code: str, name: str) -> None:
    """Tambahkan unit ke puskesmas yang sudah ada."""

    async def work() -> Clinic:
        async with open_register(get_settings()) as register:
            return await register.add_unit(clinic, Unit(code=code, name=name))

    updated = _run(work())
    console.print(f"[green]✓[/green] Unit {code} ditambahkan ke {updated.code}.")


@app.command("create-user")
def create_user(
    username: str,
    name: Annotated[str, typer.Option(help="Nama lengkap")],
    role: Annotated[Role, typer.Option(help="Peran")],
    password: Password,
    clinic: Annotated[str | None, typer.Option(help="Kode puskesmas")] = None,
    unit: Annotated[str | None, typer.Option(help="Kode unit (peran unit)")] = None,
    district: Annotated[str | None, typer.Option(help="Kode kabupaten (dinas/admin)")] = None,
    email: Annotated[str | None, typer.Option()] = None,
    phone: Annotated[str | None, typer.Option(help="+62…")] = None,
) -> None:
    """Buat akun petugas untuk puskesmas, unitnya, atau kabupaten."""

    async def work() -> StaffUser:
        new = NewUser(
            username=username.strip().lower(),
            name=name,
            role=role,
            clinic=clinic,
            unit=unit,
            district=district,
            email=email,
            phone=phone,
            password=password,
        )
        async with open_register(get_settings()) as register:
            return await register.create_user(new)

    user = _run(work())
    console.print("[green]✓[/green] Akun dibuat.")
    console.print(_user_table(user))


@app.command("reset-password")
def reset_password(username: str, password: Password) -> None:
    """Ganti kata sandi akun dan akhiri semua sesinya."""

    async def work() -> StaffUser:
        async with open_register(get_settings()) as register:
            return await register.reset_password(username.strip().lower(), password)

    user = _run(work())
    console.print(f"[green]✓[/green] Kata sandi {user.username} diganti; semua sesinya diakhiri.")


@app.command("seed-demo")
def seed_demo_command() -> None:
    """Buat kabupaten, puskesmas, unit dan akun demo (aman diulang)."""
    districts, clinics = asyncio.run(seed_demo(get_settings()))
    console.print(f"Data demo siap: {districts} kabupaten, {clinics} puskesmas.")
    table = Table(title="Akun demo")
    for column in ("nama pengguna", "kata sandi", "peran", "puskesmas/kabupaten"):
        table.add_column(column)
    for row in demo_logins():
        table.add_row(*row)
    console.print(table)


@app.command("classify")
def classify_command(
    as_json: bool = typer.Option(True, "--json", help="Satu objek JSON per baris masukan."),
) -> None:
    """Klasifikasikan teks aduan, satu per baris dari masukan standar."""
    import sys

    from services.triage.classify_cli import run

    raise typer.Exit(run(sys.stdin, sys.stdout))


@app.command("run")
def run_command() -> None:
    """Jalankan seluruh sistem di mesin ini (seperti `make run`)."""
    from ops.local_run import main

    raise typer.Exit(main())


app.add_typer(cli_dlq.app, name="dlq")
cli_data.register(app)
app.command("rebuild-reports")(rebuild.rebuild_reports_command)
backup.register(app)

if __name__ == "__main__":
    app()
