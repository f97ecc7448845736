"""`sigap rotate-secret`: replace a channel secret in the secrets directory the services read.

Channel secrets are settings (shared/settings.py), read at start from the environment or from
one file per setting in the secrets directory (``SIGAP_SECRETS_DIR``, Docker secrets). The
register (shared/directory.py) holds only the channel numbers, never a secret. Rotation writes
the new value to its file atomically, readable by whoever could read the old one, and records
the rotation (not the value) in the audit log; the services take it when they restart.

* ``whatsapp-token`` — the clinic's own WhatsApp Cloud API access token, one entry of
  ``whatsapp_access_tokens`` (a JSON object by clinic code; other clinics' entries stay).
* ``whatsapp-app-secret`` and ``sms-token`` — the Meta app secret that signs webhooks and the
  SMS gateway's auth token are one per deployment today: rotating them changes them for every
  clinic.
* ``smtp-password`` — the password notify's e-mail channel logs in to the mail server with
  (``smtp_password``), one per deployment like the server itself (``smtp_host``,
  ``smtp_username`` are plain settings).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from shared.audit import OPERATOR, AuditLog
from shared.directory import Directory
from shared.settings import Settings
from shared.storage import create_client, database

SecretKind = Literal["whatsapp-token", "whatsapp-app-secret", "sms-token", "smtp-password"]
# kind → (setting, one per clinic?)
SETTINGS: dict[str, tuple[str, bool]] = {
    "whatsapp-token": ("whatsapp_access_tokens", True),
    "whatsapp-app-secret": ("whatsapp_app_secret", False),
    "sms-token": ("twilio_auth_token", False),
    "smtp-password": ("smtp_password", False),
}
ROTATED = "secret.rotated"
_SECRET_SHAPE = re.compile(r"^[\x21-\x7e]{16,4096}$")  # printable, no spaces
# A mail server's password is chosen by its provider or its administrator, not issued as a long
# token: shorter ones and inner spaces are accepted.
_PASSWORD_SHAPE = re.compile(r"^[\x21-\x7e][\x20-\x7e]{6,4094}[\x21-\x7e]$")
_SHAPES = {"smtp-password": (_PASSWORD_SHAPE, "8 karakter atau lebih")}
_TOKEN_RULE = (_SECRET_SHAPE, "16 karakter atau lebih, tanpa spasi")


@dataclass(frozen=True)
class Rotation:
    clinic: str
    kind: str
    file: Path
    per_clinic: bool
    # Set when the environment also defines the setting: it wins over the file.
    overridden_by: str | None


def secret_file(secrets_dir: Path, kind: str) -> Path:
    setting, _ = SETTINGS[kind]
    return secrets_dir / f"sigap_{setting}"


def _validated(kind: str, value: str) -> str:
    if kind not in SETTINGS:
        raise ValueError(f"kind: {kind!r} tidak dikenal (pilih: {', '.join(SETTINGS)})")
    value = value.strip()
    shape, rule = _SHAPES.get(kind, _TOKEN_RULE)
    if not shape.fullmatch(value):
        raise ValueError(f"value: rahasia harus {rule}")
    return value


def secret_file_mode(path: Path) -> int:
    """The replaced file's own mode: whoever read the secret before reads the new one (the
    production profile's containers run as other users than the host's owner, and Compose
    mounts the files with their host permissions). A new file is readable by all only inside a
    folder closed to everyone but its owner (what deploy/production/secrets/generate.sh makes),
    else by its owner only."""
    if path.exists():
        return stat.S_IMODE(path.stat().st_mode)
    folder_closed = stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0
    return 0o644 if folder_closed else 0o600


def _write_atomically(path: Path, content: str) -> None:
    """Readers see the old file or the new one, never half of one."""
    mode = secret_file_mode(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def rotated_content(file: Path, clinic: str, kind: str, value: str) -> str:
    current = file.read_text(encoding="utf-8") if file.exists() else None
    if not SETTINGS[kind][1]:
        if current is not None and current.strip() == value:
            raise ValueError("value: sama dengan rahasia yang berlaku; rotasi butuh nilai baru")
        return value
    tokens = json.loads(current) if current and current.strip() else {}
    if not isinstance(tokens, dict):
        raise ValueError(f"{file}: isinya bukan objek JSON per kode puskesmas")
    if tokens.get(clinic) == value:
        raise ValueError("value: sama dengan rahasia yang berlaku; rotasi butuh nilai baru")
    return json.dumps({**tokens, clinic: value}, indent=2, sort_keys=True)


def _store(secrets_dir: Path, clinic: str, kind: str, value: str) -> Path:
    if not secrets_dir.is_dir():
        raise ValueError(f"secrets-dir: {secrets_dir} bukan direktori")
    file = secret_file(secrets_dir, kind)
    _write_atomically(file, rotated_content(file, clinic, kind, value))
    return file


async def rotate_secret(
    settings: Settings, clinic: str, kind: str, value: str, secrets_dir: Path
) -> Rotation:
    value = _validated(kind, value)
    client = create_client(settings)
    try:
        directory_db = database(client, settings, "directory")
        found = await Directory(directory_db).clinic(clinic)
        if found is None:
            raise LookupError(f"clinic: puskesmas {clinic!r} tidak ada")
        file = await asyncio.to_thread(_store, secrets_dir, clinic, kind, value)
        setting, per_clinic = SETTINGS[kind]
        await AuditLog(directory_db).record(
            ROTATED,
            actor=OPERATOR,
            target=kind,
            clinic=clinic,
            district=found.district,
            detail={"kind": kind, "scope": "clinic" if per_clinic else "deployment"},
        )
    finally:
        await client.close()
    variable = f"SIGAP_{setting.upper()}"
    return Rotation(clinic, kind, file, per_clinic, variable if variable in os.environ else None)
