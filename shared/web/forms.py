"""What every form page of every service says around its fields, in one place: the alert above
a refused form, the expired-form alert, and the two together as a page's form state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

FORM_EXPIRED: Final = "Sesi formulir kedaluwarsa. Silakan kirim ulang."
CHECK_FIELDS: Final = "Periksa isian yang ditandai."


def form_state(errors: Mapping[str, str] | None, alert: str | None) -> dict[str, Any]:
    """A form page's field errors and its alert (the field check's, unless another is given)."""
    return {"errors": dict(errors or {}), "alert": alert or (CHECK_FIELDS if errors else None)}
