"""The operator's command line: ``sigap --help``."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from ops.register import open_register
from ops.seed import demo_logins, seed_demo
from shared.auth import Role
from shared.directory import TIMEZONES, Clinic, District, Unit
from shared.settings import get_settings
from shared.users import AccountError, NewUser, StaffUser

app = typer.Typer(help="SIGAP — perintah operator", no_args_is_help=True)
console = Console()
T = TypeVar("T")

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


def _run(work: Coroutine[Any, Any, T]) -> T:
    """Run one register change; refused input ends the command with exit code 1."""
    try:
        return asyncio.run(work)
    except ValidationError as exc:
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"]) or "input"
            console.print(f"[red]✗ {field}: {error['msg']}[/red]")
    except AccountError as exc:
        console.print(f"[red]✗ {exc.field}: {exc.reason}[/red]")
    except (LookupError, ValueError) as exc:
        console.print(f"[red]✗ {exc}[/red]")
    raise typer.Exit(1)


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
    """Create (or rename) a district health office."""

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
    whatsapp_id: Annotated[str | None, typer.Option(help="WhatsApp phone-number id")] = None,
    sms_number: Annotated[str | None, typer.Option(help="Nomor SMS gateway")] = None,
    timezone: Timezone = "Asia/Jakarta",
) -> None:
    """Create (or replace) a clinic with its units and channel numbers."""

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
    """Add a unit to an existing clinic."""

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
    """Create a staff account bound to a clinic, a unit of it, or a district."""

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
    """Set a new password for an account and end all of its sessions."""

    async def work() -> StaffUser:
        async with open_register(get_settings()) as register:
            return await register.reset_password(username.strip().lower(), password)

    user = _run(work())
    console.print(f"[green]✓[/green] Kata sandi {user.username} diganti; semua sesinya diakhiri.")


@app.command("seed-demo")
def seed_demo_command() -> None:
    """Create the demo districts, clinics, units and accounts (idempotent)."""
    districts, clinics = asyncio.run(seed_demo(get_settings()))
    console.print(f"Data demo siap: {districts} kabupaten, {clinics} puskesmas.")
    table = Table(title="Akun demo")
    for column in ("nama pengguna", "kata sandi", "peran", "puskesmas/kabupaten"):
        table.add_column(column)
    for row in demo_logins():
        table.add_row(*row)
    console.print(table)


@app.command("rebuild-reports")
def rebuild_reports_command() -> None:
    """Recompute every reporting aggregate from the stored event history (stop reporting first)."""
    from services.reporting.rebuild import rebuild

    counts = asyncio.run(rebuild(get_settings()))
    for name, value in counts.items():
        console.print(f"{name}: {value}")


@app.command("classify")
def classify_command(
    as_json: bool = typer.Option(True, "--json", help="One JSON object per input line."),
) -> None:
    """Classify complaint texts read one per line from standard input."""
    import sys

    from services.triage.classify_cli import run

    raise typer.Exit(run(sys.stdin, sys.stdout))


@app.command("run")
def run_command() -> None:
    """Start the whole system on this machine (what `make run` does)."""
    from ops.local_run import main

    raise typer.Exit(main())
