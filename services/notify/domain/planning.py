"""What to tell whom when something happens to a complaint: pure decisions, no sending."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ReplyChannel = Literal["whatsapp", "sms", "email", "papan_tanggapan"]
Audience = Literal["reporter", "complaint_team", "head", "unit"]


@dataclass(frozen=True, slots=True)
class PlannedNotification:
    audience: Audience
    channel: ReplyChannel | None  # None: staff preference decides at sending time
    template: str


def reporter_channel(
    channel: str, identity: str, has_phone: bool, has_email: bool
) -> ReplyChannel | None:
    """The complainant is answered over the channel the complaint came from (SPEC §3);
    anonymous feedback and the suggestion box are answered on the public board."""
    if identity == "anonim" or channel == "kotak_saran":
        return "papan_tanggapan"
    if channel in ("whatsapp", "sms") and has_phone:
        return channel  # type: ignore[return-value]
    if has_email:
        return "email"
    if has_phone:
        return "sms"
    return None


def on_received(reply_channel: ReplyChannel | None) -> list[PlannedNotification]:
    planned = [PlannedNotification("complaint_team", None, "staf_aduan_baru")]
    if reply_channel in ("whatsapp", "sms", "email"):
        planned.insert(0, PlannedNotification("reporter", reply_channel, "tanda_terima"))
    return planned


def on_triaged(urgent: bool) -> list[PlannedNotification]:
    return [PlannedNotification("head", None, "staf_aduan_segera")] if urgent else []
