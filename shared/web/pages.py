"""Jinja2 templates with the shared layout, and the static files under /<service>/static/."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from shared.web.csrf import CSRF_FIELD, csrf_token, remember_csrf
from shared.web.i18n import LANG_COOKIE, language, translate

SHARED = Path(__file__).resolve().parent


class Pages:
    """One service's pages: its own templates first, then the shared layout."""

    def __init__(
        self,
        service: str,
        templates_dir: Path,
        messages: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        """``messages``: the pages' own translations (language → Indonesian text → text),
        looked up before the shared ones in shared.web.i18n."""
        self.service = service
        self._messages = messages
        self._templates = Jinja2Templates(directory=str(templates_dir))
        self._templates.env.loader = ChoiceLoader(
            [FileSystemLoader(str(templates_dir)), FileSystemLoader(str(SHARED / "templates"))]
        )

    def mount_static(self, app: FastAPI) -> None:
        # The gateway strips "/<service>", so the browser asks /<service>/static/… of this service.
        app.mount("/static", StaticFiles(directory=str(SHARED / "static")), name="shared-static")

    def render(
        self, request: Request, template: str, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        lang = language(request)
        context = {
            "lang": lang,
            "t": lambda text: translate(lang, text, self._messages),
            "static": lambda path: f"/{self.service}/static/{path}",
            "csrf_field": CSRF_FIELD,
            "csrf_token": csrf_token(request),
            "lang_switch": language_switch(request),
            **context,
        }
        response = self._templates.TemplateResponse(
            request, template, context, status_code=status_code
        )
        remember_csrf(request, response)
        if request.query_params.get("lang") == lang:
            response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=365 * 86400)
        return response


def language_switch(request: Request) -> list[tuple[str, str]] | None:
    """The query the layout's language switch sends again with ``lang``: a GET page's own, so a
    dashboard keeps its period and an inbox its filters. ``None`` (no switch) on the answer to
    a POST: reloading its URL would show the empty form instead, and a receipt's PIN is shown
    only once."""
    if request.method not in ("GET", "HEAD"):
        return None
    return [(name, value) for name, value in request.query_params.multi_items() if name != "lang"]
