"""What every `sigap` sub-command shares: the console, the settings, and how refused input ends
a command (a clear message naming the field, exit code 1)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import typer
from aiormq.exceptions import AMQPError
from pydantic import ValidationError
from pymongo.errors import PyMongoError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from shared.messaging import PublishError
from shared.settings import Settings, get_settings
from shared.users import AccountError

console = Console()
T = TypeVar("T")


def progress_bar() -> Progress:
    """The bar of every long command: what is being done, the bar, and done/total."""
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    )


def settings() -> Settings:
    """The settings of this command (tests replace ``get_settings`` here)."""
    return get_settings()


def run(work: Coroutine[Any, Any, T]) -> T:
    """Run one piece of operator work; refused input ends the command with exit code 1."""
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
    except (AMQPError, PublishError, ConnectionError) as exc:
        console.print(f"[red]✗ broker: tidak terjangkau atau menolak pesan ({exc})[/red]")
    except PyMongoError as exc:
        console.print(f"[red]✗ database: tidak terjangkau ({exc})[/red]")
    raise typer.Exit(1)


def fail(message: str) -> typer.Exit:
    """Print why the command refuses and give the exit to raise."""
    console.print(f"[red]✗ {message}[/red]")
    return typer.Exit(1)
