"""The operator's command line: ``sigap --help``."""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console

from ops.seed import seed_demo
from shared.settings import get_settings

app = typer.Typer(help="SIGAP — perintah operator", no_args_is_help=True)
console = Console()


@app.command("seed-demo")
def seed_demo_command() -> None:
    """Create the demo districts, clinics and units (idempotent)."""
    districts, clinics = asyncio.run(seed_demo(get_settings()))
    console.print(f"Data demo siap: {districts} kabupaten, {clinics} puskesmas.")


@app.command("run")
def run_command() -> None:
    """Start the whole system on this machine (what `make run` does)."""
    from ops.local_run import main

    raise typer.Exit(main())
