"""What to tell whom when something happens to a complaint: pure decisions, no sending."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

ReplyChannel = Literal["whatsapp", "sms", "email", "papan_tanggapan"]
SendChannel = Literal["whatsapp", "sms", "email"]
Audience = Literal["reporter", "complaint_team", "head", "unit"]
SEND_CHANNELS: tuple[SendChannel, ...] = ("whatsapp", "sms", "email")
STAFF_CHANNELS: tuple[SendChannel, ...] = ("email", "whatsapp")
# The staff role (shared.auth.Role value) each staff audience is made of.
AUDIENCE_ROLE: dict[Audience, str] = {
    "complaint_team": "complaint_team",
    "head": "head",
    "unit": "unit",
}


@dataclass(frozen=True, slots=True)
class PlannedNotification:
    audience: Audience
    template: str
    # Urgent staff alerts go out at once even to a user who asked for a daily digest.
    at_once: bool = False


@dataclass(frozen=True, slots=True)
class StaffMember:
    """The part of a staff user document that decides who is told what, and how."""

    user_id: str
    role: str
    clinic: str | None
    unit: str | None = None
    email: str | None = None
    phone: str | None = None
    notify_channels: tuple[str, ...] = ("email",)
    digest: bool = False
    active: bool = True


@dataclass(frozen=True, slots=True)
class Recipient:
    key: str  # unique per cause event: what makes one message per recipient and event
    audience: Audience
    channel: SendChannel
    address: str
    template: str
    user_id: str | None = None
    hold_for_digest: bool = False


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


def reporter_address(
    channel: ReplyChannel | None, phone: str | None, email: str | None
) -> str | None:
    if channel in ("whatsapp", "sms"):
        return phone
    if channel == "email":
        return email
    return None


def on_received() -> list[PlannedNotification]:
    return [
        PlannedNotification("reporter", "tanda_terima"),
        PlannedNotification("complaint_team", "staf_aduan_baru"),
    ]


def on_triaged(
    urgent: bool, unit: str | None = None, alerted_unit: str | None = None
) -> list[PlannedNotification]:
    head = [PlannedNotification("head", "staf_aduan_segera", at_once=True)] if urgent else []
    return head + on_routed(unit, alerted_unit)


def on_assigned(unit: str | None, alerted_unit: str | None = None) -> list[PlannedNotification]:
    # Assigning a person does not move the complaint: its unit already heard at routing.
    return on_routed(unit, alerted_unit)


def on_routed(unit: str | None, alerted_unit: str | None) -> list[PlannedNotification]:
    """The unit hears once per routing: when triage first routes the complaint to it, and
    again only when a re-triage moves it to another unit (``alerted_unit``: the last told)."""
    return [PlannedNotification("unit", "staf_aduan_unit")] if unit and unit != alerted_unit else []


def on_plan_recorded() -> list[PlannedNotification]:
    return [PlannedNotification("reporter", "status_direncanakan")]


def on_escalated() -> list[PlannedNotification]:
    return [
        PlannedNotification("reporter", "status_dieskalasi"),
        PlannedNotification("head", "staf_eskalasi", at_once=True),
    ]


def on_waiting_reporter() -> list[PlannedNotification]:
    return [PlannedNotification("reporter", "pertanyaan_tim")]


def on_responded() -> list[PlannedNotification]:
    return [PlannedNotification("reporter", "jawaban")]


def on_closed(reason: str) -> list[PlannedNotification]:
    # A duplicate is closed in favour of another complaint; its reporter hears about that one.
    return [] if reason == "duplicate" else [PlannedNotification("reporter", "penutupan")]


def on_deadline_missed() -> list[PlannedNotification]:
    return [PlannedNotification("head", "staf_tenggat_terlewat", at_once=True)]


def reporter_recipient(
    planned: PlannedNotification, channel: ReplyChannel | None, address: str | None
) -> Recipient | None:
    """The complainant's message, when there is a channel to send it over."""
    if channel not in SEND_CHANNELS or not address:
        return None
    return Recipient("reporter", "reporter", channel, address, planned.template)


def staff_recipients(
    planned: PlannedNotification,
    members: Iterable[StaffMember],
    clinic: str,
    unit: str | None = None,
) -> list[Recipient]:
    """Every active member of the audience in the clinic, over each channel they chose."""
    role = AUDIENCE_ROLE.get(planned.audience)
    recipients: list[Recipient] = []
    for member in members:
        if not member.active or member.role != role or member.clinic != clinic:
            continue
        if planned.audience == "unit" and member.unit != unit:
            continue
        for channel in _staff_channels(member):
            address = member.email if channel == "email" else member.phone
            assert address is not None
            recipients.append(
                Recipient(
                    key=f"user:{member.user_id}:{channel}",
                    audience=planned.audience,
                    channel=channel,
                    address=address,
                    template=planned.template,
                    user_id=member.user_id,
                    hold_for_digest=member.digest and not planned.at_once,
                )
            )
    return recipients


def _staff_channels(member: StaffMember) -> Sequence[SendChannel]:
    available = {"email": member.email, "whatsapp": member.phone}
    return [c for c in STAFF_CHANNELS if c in member.notify_channels and available[c]]


def recipients_for(
    planned: Sequence[PlannedNotification],
    *,
    reporter_channel: ReplyChannel | None,
    reporter_address: str | None,
    members: Iterable[StaffMember],
    clinic: str,
    unit: str | None = None,
) -> list[Recipient]:
    staff = list(members)
    recipients: list[Recipient] = []
    for item in planned:
        if item.audience == "reporter":
            found = reporter_recipient(item, reporter_channel, reporter_address)
            recipients.extend([found] if found else [])
        else:
            recipients.extend(staff_recipients(item, staff, clinic, unit))
    return recipients
