"""The world the access matrix runs in: real accounts for every role at one clinic, and objects
(complaints, staff accounts, failed messages, report data) at the caller's own clinic, at
another clinic of the same district and in another district, written where each service keeps
them. Every complaint carries the same reporter, so a response that shows their contact can be
recognised."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ops.register import open_register
from ops.seed import seed_demo
from services.triage.domain.complaint import (
    SYSTEM,
    Actor,
    Channel,
    Complaint,
    FollowUpPlan,
    IdentityLevel,
    Kind,
    PlanMaker,
    Status,
)
from services.triage.domain.complaint import (
    Role as DomainRole,
)
from services.triage.domain.deadlines import WorkingCalendar
from services.triage.store import ComplaintStore
from shared.auth import Principal, Role
from shared.events import Actor as WireActor
from shared.events import ComplaintReceived, ComplaintReceivedData, Reporter
from shared.settings import Settings
from shared.storage import Client, Database, create_client, database
from shared.users import NewUser

UNIT = "pendaftaran"  # the unit user's unit


@dataclass(frozen=True)
class Target:
    """Where the object a call is about lives, as seen from the callers at MDRJ1."""

    name: str
    clinic: str
    district: str
    unit: str = UNIT


OWN = Target("own clinic", "MDRJ1", "banjarnegara")
OTHER_UNIT = Target("own clinic, another unit", "MDRJ1", "banjarnegara", "farmasi")
SIBLING = Target("other clinic of the district", "MDRJ2", "banjarnegara")
FOREIGN = Target("other district", "RANAI", "natuna")
DISTRICT_OF = {"MDRJ1": "banjarnegara", "MDRJ2": "banjarnegara", "BNJR1": "banjarnegara"} | {
    "RANAI": "natuna"
}
# The reporter of every complaint: none of this may reach a role that does not reply.
REPORTER = Reporter(name="Wulan Kusumawati", phone="+6281398765432", email="wulan.k@contoh.id")
CONTACT = (str(REPORTER.name), str(REPORTER.phone), str(REPORTER.email))
CALENDAR = WorkingCalendar("Asia/Jakarta")
TEAM = Actor("matrix-team", DomainRole.COMPLAINT_TEAM, "Tim")


def password_for(name: str) -> str:
    return f"Sandi-{uuid.uuid4().hex[:12]}-{len(name)}"


@dataclass
class World:
    settings: Settings
    principals: dict[Role, Principal] = field(default_factory=dict)
    passwords: dict[Role, str] = field(default_factory=dict)
    users_at: dict[str, str] = field(default_factory=dict)  # clinic -> an officer's user id
    _client: Client | None = None

    def db(self, owner: str) -> Database:
        if self._client is None:
            self._client = create_client(self.settings)
        return database(self._client, self.settings, owner)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()

    async def seed_accounts(self) -> None:
        """The demo districts and clinics, one account per role at MDRJ1 (district and admin
        at its district), and one officer at each target clinic."""
        await seed_demo(self.settings)
        async with open_register(self.settings) as register:
            for role in Role:
                at_clinic = role not in (Role.DISTRICT, Role.ADMIN)
                username = f"matrix.{role.value}"
                self.passwords[role] = password_for(username)
                user = await register.create_user(
                    NewUser(
                        username=username,
                        name=f"Uji {role.value}",
                        role=role,
                        clinic=OWN.clinic if at_clinic else None,
                        unit=UNIT if role is Role.UNIT else None,
                        district=None if at_clinic else OWN.district,
                        password=self.passwords[role],
                    )
                )
                self.principals[role] = user.principal()
            for target in (OWN, SIBLING, FOREIGN):
                username = f"petugas.{target.clinic.lower()}"
                user = await register.create_user(
                    NewUser(
                        username=username,
                        name=f"Petugas {target.clinic}",
                        role=Role.OFFICER,
                        clinic=target.clinic,
                        password=password_for(username),
                    )
                )
                self.users_at[target.clinic] = user.id

    async def complaint(self, target: Target, ready_for: frozenset[Status]) -> tuple[str, int]:
        """A new suggestion at ``target`` in the first status of triaged, planned, responded,
        closed that ``ready_for`` holds; its id and version."""
        now = datetime.now(UTC)
        complaint = Complaint.receive(
            complaint_id=str(uuid.uuid4()),
            tracking_number=f"{target.clinic}-{uuid.uuid4().hex[:10].upper()}",
            district=target.district,
            clinic=target.clinic,
            channel=Channel.WHATSAPP,
            identity=IdentityLevel.BIASA,
            kind=Kind.SARAN,
            text="Mohon ruang tunggu pendaftaran diberi kipas angin",
            received_at=now - timedelta(hours=1),
            calendar=CALENDAR,
        )
        complaint.triage(
            kind=Kind.SARAN,
            category="sarana",
            unit=target.unit,
            urgent=False,
            actor=SYSTEM,
            now=now,
            calendar=CALENDAR,
        )
        steps: list[Callable[[], object]] = [
            lambda: complaint.record_plan(plan=_plan(now), actor=TEAM, now=now, calendar=CALENDAR),
            lambda: complaint.record_reply(text="Dipasang", actor=TEAM, now=now, calendar=CALENDAR),
            lambda: complaint.close(reason=None, satisfied=None, actor=TEAM, now=now),
        ]
        for step in steps:
            if complaint.status in ready_for:
                break
            step()
        assert complaint.status in ready_for, (complaint.status, ready_for)
        extra = {"reporter": REPORTER.model_dump(mode="json")}
        store = ComplaintStore(self.db("triage"))
        await store.add(None, complaint, extra)  # type: ignore[arg-type]  # no transaction
        return complaint.id, complaint.version

    async def failed_notification(self, target: Target) -> str:
        """A message to the reporter that failed for good, waiting for an operator's retry."""
        notification_id = uuid.uuid4()
        now = datetime.now(UTC)
        await self.db("notify")["notifications"].insert_one(
            {
                "_id": notification_id,
                "clinic": target.clinic,
                "district": target.district,
                "complaint_id": uuid.uuid4(),
                "cause_event_id": uuid.uuid4(),
                "recipient_key": "user:matrix:email",
                "audience": "complaint_team",
                "channel": "email",
                "address": "tim@contoh.id",
                "template": "staf_aduan_baru",
                "status": "failed",
                "attempts": 3,
                "last_error": "550 mailbox unavailable",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        return str(notification_id)

    def received(self, target: Target) -> ComplaintReceived:
        """A complaint of ``target`` as reporting learns of it (the same reporter)."""
        complaint_id = uuid.uuid4()
        return ComplaintReceived.create(
            ComplaintReceivedData(
                complaint_id=complaint_id,
                tracking_number=f"{target.clinic}-{complaint_id.hex[:10].upper()}",
                pin="123456",
                channel="whatsapp",
                kind="keluhan",
                text="Antrean pendaftaran lama",
                reporter=REPORTER,
                received_at=datetime.now(UTC),
            ),
            district=target.district,
            clinic=target.clinic,
            actor=WireActor(kind="public"),
            correlation_id=str(uuid.uuid4()),
        )


def _plan(now: datetime) -> FollowUpPlan:
    return FollowUpPlan(
        actions=("Pasang kipas angin",),
        owner="Koordinator",
        due_date=(now + timedelta(days=30)).date(),
        made_by=PlanMaker.TIM_PENGADUAN,
    )


def leaks(body: str) -> list[str]:
    """Which parts of the reporter's contact a response shows whole."""
    return [part for part in CONTACT if part in body]


def month_now() -> str:
    return f"{datetime.now(UTC):%Y-%m}"
