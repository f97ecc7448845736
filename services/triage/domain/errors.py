"""Domain exceptions of the triage service.

Messages are in Indonesian because staff read them; the attributes let the edge map an error
to its HTTP status (IllegalTransition -> 409, InvalidCommand -> 422) and name the field.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every rule the complaint domain refuses."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IllegalTransition(DomainError):  # noqa: N818 - name is the domain's contract
    """The command is not allowed in the complaint's current status."""

    def __init__(
        self,
        command: str,
        status: str,
        target: str | None = None,
        detail: str | None = None,
    ) -> None:
        if target is not None and target != status:
            message = f"Status '{status}' tidak dapat diubah ke '{target}' (perintah '{command}')"
        else:
            message = f"Perintah '{command}' tidak dapat dijalankan pada status '{status}'"
        if detail:
            message = f"{message}: {detail}"
        super().__init__(message)
        self.command = command
        self.status = status
        self.target = target


class InvalidCommand(DomainError):  # noqa: N818 - name is the domain's contract
    """An argument of a command (or a configuration value) is missing or wrong."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"Isian '{field}' tidak valid: {reason}")
        self.field = field
        self.reason = reason
