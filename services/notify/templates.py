"""Where message templates come from: a clinic's own file, else the operator's file, else the
one shipped with SIGAP (services/notify/templates/). Files are read when a message is sent,
so an edited template applies to the next message without a restart.

In each folder a channel's own file (``tanda_terima.email.txt``) wins over the common one
(``tanda_terima.txt``): an e-mail cannot be answered with BERHENTI or YA, so its wording
differs."""

from __future__ import annotations

import re
from pathlib import Path

from services.notify.domain.messages import MessageTemplate, parse_template

PACKAGED = Path(__file__).resolve().parent / "templates"
_SAFE_NAME = re.compile(r"^[a-z0-9_]{1,60}$")
_SAFE_CLINIC = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
CHANNELS = ("whatsapp", "sms", "email")


class TemplateNotFoundError(LookupError):
    pass


class TemplateLibrary:
    def __init__(self, operator_dir: str | Path | None = None) -> None:
        self._operator_dir = Path(operator_dir) if operator_dir else None

    def candidates(self, name: str, clinic: str | None, channel: str | None = None) -> list[Path]:
        if not _SAFE_NAME.match(name):
            raise TemplateNotFoundError(name)
        folders: list[Path] = []
        if self._operator_dir is not None:
            if clinic and _SAFE_CLINIC.match(clinic):
                folders.append(self._operator_dir / clinic)
            folders.append(self._operator_dir)
        folders.append(PACKAGED)
        files = [f"{name}.{channel}.txt"] if channel in CHANNELS else []
        files.append(f"{name}.txt")
        return [folder / file for folder in folders for file in files]

    def get(
        self, name: str, clinic: str | None = None, channel: str | None = None
    ) -> MessageTemplate:
        for path in self.candidates(name, clinic, channel):
            if path.is_file():
                return parse_template(path.read_text(encoding="utf-8"))
        raise TemplateNotFoundError(name)

    @staticmethod
    def shipped() -> list[str]:
        """The shipped template names (a channel's own files are variants of these)."""
        return sorted(path.stem for path in PACKAGED.glob("*.txt") if "." not in path.stem)

    @staticmethod
    def shipped_variants() -> list[tuple[str, str]]:
        """(name, channel) of every shipped channel's own file."""
        stems = (path.stem.partition(".") for path in PACKAGED.glob("*.*.txt"))
        return sorted((name, channel) for name, _, channel in stems)
