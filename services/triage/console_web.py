"""What every staff console page shares: the shared staff page mechanics
(``shared.web.staff.StaffPages``: signed-in check, CSRF, staff layout, no-store) with the
console's labels, and the one "not found" page."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from services.triage import console_labels as labels
from services.triage.console_messages import MESSAGES
from shared.auth import Principal
from shared.directory import Directory
from shared.web.pages import Pages
from shared.web.staff import StaffPages

TEMPLATES = Path(__file__).resolve().parent / "templates"
Errors = dict[str, str]


def console_pages() -> Pages:
    return Pages("triage", TEMPLATES, messages=MESSAGES)


def text_of(form: FormData, name: str, limit: int = 4000) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


class Console(StaffPages):
    """The console's staff pages, which also look clinics up in the directory."""

    def __init__(self, pages: Pages, directory: Directory) -> None:
        super().__init__(pages, "_konsol.html", extra={"labels": labels, "label": labels.label})
        self.directory = directory

    def not_found(self, request: Request, principal: Principal) -> HTMLResponse:
        """The one answer for what is missing and for what belongs to another clinic."""
        return self.render(request, principal, "tidak_ditemukan.html", 404)
