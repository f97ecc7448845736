"""Where message templates come from: a clinic's own file, else the operator's file, else the
one shipped with SIGAP (services/notify/templates/). Files are read when a message is sent,
so an edited template applies to the next message without a restart."""

from __future__ import annotations

import re
from pathlib import Path

from services.notify.domain.messages import MessageTemplate, parse_template

PACKAGED = Path(__file__).resolve().parent / "templates"
_SAFE_NAME = re.compile(r"^[a-z0-9_]{1,60}$")
_SAFE_CLINIC = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")


class TemplateNotFoundError(LookupError):
    pass


class TemplateLibrary:
    def __init__(self, operator_dir: str | Path | None = None) -> None:
        self._operator_dir = Path(operator_dir) if operator_dir else None

    def candidates(self, name: str, clinic: str | None) -> list[Path]:
        if not _SAFE_NAME.match(name):
            raise TemplateNotFoundError(name)
        paths: list[Path] = []
        if self._operator_dir is not None:
            if clinic and _SAFE_CLINIC.match(clinic):
                paths.append(self._operator_dir / clinic / f"{name}.txt")
            paths.append(self._operator_dir / f"{name}.txt")
        paths.append(PACKAGED / f"{name}.txt")
        return paths

    def get(self, name: str, clinic: str | None = None) -> MessageTemplate:
        for path in self.candidates(name, clinic):
            if path.is_file():
                return parse_template(path.read_text(encoding="utf-8"))
        raise TemplateNotFoundError(name)

    @staticmethod
    def shipped() -> list[str]:
        return sorted(path.stem for path in PACKAGED.glob("*.txt"))
