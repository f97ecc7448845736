"""One row per staff JSON route of every service: what the route is about (an object, a clinic,
a district, a list, the caller's own account), the status it answers when it lets the caller
act, and how to build a valid call about a target. The status expected of every role on every
target is derived, never listed: the role's permissions (``shared.auth.PERMISSIONS`` through
``Principal.may``) first — 403 — then the scope rule — 404, so that nothing outside the caller's
scope is seen to exist — then the row's success status."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from services.triage.commands import COMMANDS
from services.triage.domain.complaint import TRANSITIONS, Status
from shared.auth import Action, Principal, Role
from tests.support.access_world import (
    DISTRICT_OF,
    FOREIGN,
    OTHER_UNIT,
    OWN,
    SIBLING,
    Target,
    World,
    month_now,
    password_for,
)

Scope = Literal["object", "clinic", "district", "list", "self"]
Key = tuple[str, str, str]  # service, method, path


@dataclass(frozen=True)
class Call:
    path: Mapping[str, str] | None = None  # path parameters
    params: Mapping[str, str] | None = None
    json: Any = None


Prepare = Callable[[World, Target, Principal], Awaitable[Call]]
Listed = Callable[[Any], Iterable[Mapping[str, Any]]]


def sees(
    principal: Principal, clinic: str | None, district: str, unit: str | None, *, unit_bound: bool
) -> bool:
    """The scope rule (SPEC §1): clinic staff see their clinic, district and admin users the
    clinics of their district; unit users only what is routed to their unit."""
    if clinic is None:  # a district-level object (a district account, say)
        return principal.clinic is None and district == principal.district
    if not principal.sees_clinic(clinic, district):
        return False
    return not (unit_bound and principal.role is Role.UNIT and unit != principal.unit)


@dataclass(frozen=True)
class Case:
    scope: Scope
    success: int
    prepare: Prepare
    variant: str = ""
    needs: frozenset[Action] = frozenset()  # what this call needs beyond the route's require()
    unit_bound: bool = False  # complaints: unit users see only their unit's (object, items)
    listed: Listed | None = None  # a list's items, each with its clinic (and district, unit)

    def targets(self) -> tuple[Target, ...]:
        if self.scope == "self":
            return (OWN,)
        if self.unit_bound:
            return (OWN, OTHER_UNIT, SIBLING, FOREIGN)
        return (OWN, SIBLING, FOREIGN)

    def expected(self, route_actions: Iterable[Action | None], who: Principal, at: Target) -> int:
        needed = {action for action in route_actions if action is not None} | self.needs
        if not all(who.may(action) for action in needed):
            return 403
        # A unit user's own clinic exists for them; only its objects are bound to their unit.
        unit_bound = self.unit_bound and self.scope == "object"
        if self.scope in ("object", "clinic") and not sees(
            who, at.clinic, at.district, at.unit, unit_bound=unit_bound
        ):
            return 404
        if self.scope == "district" and at.district != who.district:
            return 404
        return self.success

    def outside_scope(self, who: Principal, answer: Any) -> list[Mapping[str, Any]]:
        """The listed items the caller may not see (none, or the list leaks)."""
        if self.listed is None:
            return []
        return [
            item
            for item in self.listed(answer)
            if not sees(
                who,
                item.get("clinic"),
                item.get("district") or DISTRICT_OF[str(item.get("clinic"))],
                item.get("unit"),
                unit_bound=self.unit_bound,
            )
        ]


def call(**parts: Any) -> Prepare:
    """A call built from the target alone: values are functions of the target."""

    async def prepare(_world: World, target: Target, _who: Principal) -> Call:
        resolved = {k: v(target) if callable(v) else v for k, v in parts.items()}
        return Call(resolved.get("path"), resolved.get("params"), resolved.get("json"))

    return prepare


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def _period(**extra: str) -> dict[str, str]:
    first = datetime.now(UTC).date().replace(day=1).isoformat()
    return {"from": first, "to": _today(), **extra}


def clinic_period(**extra: str) -> Callable[[Target], dict[str, str]]:
    return lambda t: _period(clinic=t.clinic, **extra)


def district_period(**extra: str) -> Callable[[Target], dict[str, str]]:
    return lambda t: _period(district=t.district, **extra)


def clinic_month(**extra: str) -> Callable[[Target], dict[str, str]]:
    return lambda t: {"clinic": t.clinic, "month": month_now(), **extra}


# --- triage: the workflow -----------------------------------------------------------------

COMMAND_BODIES: dict[str, dict[str, Any]] = {
    "triage": {"kind": "saran", "category": "sarana", "unit": "pendaftaran", "urgent": False},
    "assign": {"assignee": "Budi (pendaftaran)"},
    "plan": {
        "actions": ["Pasang kipas angin"],
        "owner": "Koordinator",
        "due_date": (datetime.now(UTC) + timedelta(days=30)).date().isoformat(),
        "made_by": "tim_pengaduan",
    },
    "progress": {},
    "escalate": {"reason": "Perlu keputusan Kepala Puskesmas"},
    "wait": {"question": "Jam berapa Anda datang?"},
    "reply": {"text": "Kipas angin dipasang minggu ini."},
    "close": {},
    "reopen": {"reason": "Kipas belum dipasang"},
    "reject": {"reason": "Bukan layanan puskesmas"},
}


def complaint_command(name: str) -> Case:
    ready_for = TRANSITIONS[COMMANDS[name].domain_command][0]

    async def prepare(world: World, target: Target, _who: Principal) -> Call:
        complaint_id, version = await world.complaint(target, ready_for)
        body = {"version": version, **COMMAND_BODIES[name]}
        return Call({"complaint_id": complaint_id}, json=body)

    return Case("object", 200, prepare, unit_bound=True)


async def a_complaint(world: World, target: Target, _who: Principal) -> Call:
    complaint_id, _ = await world.complaint(target, frozenset({Status.TRIAGED}))
    return Call({"complaint_id": complaint_id})


def items(key: str) -> Listed:
    return lambda answer: answer[key]


COMPLAINTS = "/api/v1/staff/complaints"
TRIAGE: dict[Key, tuple[Case, ...]] = {
    ("triage", "GET", COMPLAINTS): (
        Case(
            "clinic",
            200,
            call(params=lambda t: {"clinic": t.clinic}),
            unit_bound=True,
            listed=items("items"),
        ),
    ),
    ("triage", "GET", COMPLAINTS + "/{complaint_id}"): (
        Case("object", 200, a_complaint, unit_bound=True),
    ),
    **{
        ("triage", "POST", f"{COMPLAINTS}/{{complaint_id}}/{name}"): (complaint_command(name),)
        for name in COMMANDS
    },
    ("triage", "GET", "/api/v1/staff/triage/accuracy"): (
        Case("clinic", 200, call(params=lambda t: {"clinic": t.clinic})),
    ),
}


# --- triage: identity and settings ------------------------------------------------------------


async def change_own_password(world: World, _target: Target, who: Principal) -> Call:
    new = password_for(who.role.value)
    current, world.passwords[who.role] = world.passwords[who.role], new
    return Call(json={"current_password": current, "new_password": new})


async def a_user(world: World, target: Target, _who: Principal) -> Call:
    return Call({"user_id": world.users_at[target.clinic]})


def user_call(json: dict[str, Any]) -> Prepare:
    async def prepare(world: World, target: Target, who: Principal) -> Call:
        return Call((await a_user(world, target, who)).path, json=json)

    return prepare


async def new_officer(_world: World, target: Target, _who: Principal) -> Call:
    username = f"baru.{target.clinic.lower()}.{datetime.now(UTC):%H%M%S%f}"
    body = {
        "username": username,
        "name": "Petugas Baru",
        "role": "officer",
        "clinic": target.clinic,
        "password": password_for(username),
    }
    return Call(json=body)


STAFF = "/api/v1/staff"
SETTINGS = STAFF + "/deadline-settings/{scope}/{code}"
SETTINGS_BODY = {"policy": {"response_days": 5}, "days_off": []}
IDENTITY: dict[Key, tuple[Case, ...]] = {
    ("triage", "POST", STAFF + "/auth/logout"): (Case("self", 204, call()),),
    ("triage", "POST", STAFF + "/auth/password"): (Case("self", 204, change_own_password),),
    ("triage", "GET", STAFF + "/me"): (Case("self", 200, call()),),
    ("triage", "GET", STAFF + "/users"): (Case("list", 200, call(), listed=items("users")),),
    ("triage", "POST", STAFF + "/users"): (Case("clinic", 201, new_officer),),
    ("triage", "GET", STAFF + "/users/{user_id}"): (Case("object", 200, a_user),),
    ("triage", "PATCH", STAFF + "/users/{user_id}"): (
        Case("object", 200, user_call({"name": "Nama Diubah"})),
    ),
    ("triage", "POST", STAFF + "/users/{user_id}/password"): (
        Case("object", 204, user_call({"password": password_for("reset")})),
    ),
    ("triage", "GET", STAFF + "/audit"): (Case("list", 200, call(), listed=items("entries")),),
    **{
        ("triage", method, SETTINGS): (
            Case(
                "clinic",
                200,
                call(path=lambda t: {"scope": "clinic", "code": t.clinic}, json=body),
                "clinic",
            ),
            Case(
                "district",
                200,
                call(path=lambda t: {"scope": "district", "code": t.district}, json=body),
                "district",
            ),
        )
        for method, body in (("GET", None), ("PUT", SETTINGS_BODY))
    },
}


# --- notify -----------------------------------------------------------------------------------


async def a_failed_message(world: World, target: Target, _who: Principal) -> Call:
    return Call({"notification_id": await world.failed_notification(target)})


NOTIFY: dict[Key, tuple[Case, ...]] = {
    ("notify", "GET", "/api/v1/notify/failed"): (
        Case("list", 200, call(), listed=lambda answer: answer),
    ),
    ("notify", "POST", "/api/v1/notify/failed/{notification_id}/retry"): (
        Case("object", 202, a_failed_message),
    ),
}


# --- reporting ----------------------------------------------------------------------------------

EXPORT = frozenset({Action.REPORT_EXPORT})
DISTRICT = frozenset({Action.DISTRICT_READ})
REPORTS = "/api/v1/reports"


def period_report(path: str) -> tuple[Key, tuple[Case, ...]]:
    return ("reporting", "GET", REPORTS + path), (
        Case("clinic", 200, call(params=clinic_period()), "clinic"),
        Case("district", 200, call(params=district_period()), "district", needs=DISTRICT),
        Case("clinic", 200, call(params=clinic_period(format="csv")), "csv", needs=EXPORT),
    )


REPORTING: dict[Key, tuple[Case, ...]] = dict(
    [
        period_report("/summary"),
        period_report("/ikm"),
        (
            ("reporting", "GET", REPORTS + "/register"),
            (
                Case("clinic", 200, call(params=clinic_month()), "json"),
                Case("clinic", 200, call(params=clinic_month(format="xlsx")), "xlsx", EXPORT),
            ),
        ),
        (
            ("reporting", "GET", REPORTS + "/register/print"),
            (Case("clinic", 200, call(params=clinic_month())),),
        ),
        (
            ("reporting", "GET", REPORTS + "/recap/print"),
            (Case("clinic", 200, call(params=clinic_month())),),
        ),
        (
            ("reporting", "GET", REPORTS + "/district/clinics"),
            (
                Case("district", 200, call(params=district_period()), "json"),
                Case("district", 200, call(params=district_period(format="csv")), "csv", EXPORT),
            ),
        ),
        (
            ("reporting", "GET", REPORTS + "/district/trends"),
            (
                Case("district", 200, call(params=district_period())),
                Case("district", 200, call(params=district_period(format="xlsx")), "xlsx", EXPORT),
            ),
        ),
        (
            ("reporting", "POST", REPORTS + "/visits"),
            (
                Case(
                    "clinic",
                    200,
                    call(json=lambda t: {"clinic": t.clinic, "month": month_now(), "visits": 900}),
                ),
            ),
        ),
    ]
)


# --- intake: staff entry ----------------------------------------------------------------------

SURVEY_FORM = {
    "unit": "poli_umum",
    "answers": {f"U{i}": 3 for i in range(1, 10)},
    "respondent": {"sex": "P", "age": 34, "education": "sma", "occupation": "Pedagang"},
}
INTAKE: dict[Key, tuple[Case, ...]] = {
    ("intake", "POST", "/api/v1/entry/complaints"): (
        Case(
            "clinic",
            202,
            call(
                json=lambda t: {
                    "channel": "telepon",
                    "clinic": t.clinic,
                    "kind": "keluhan",
                    "text": "Penelepon: obat di farmasi kosong",
                }
            ),
        ),
    ),
    ("intake", "POST", "/api/v1/entry/suggestion-box"): (
        Case(
            "clinic",
            202,
            call(
                json=lambda t: {
                    "clinic": t.clinic,
                    "opened_on": _today(),
                    "slips": [{"kind": "saran", "text": "Tambah kursi ruang tunggu"}],
                }
            ),
        ),
    ),
    ("intake", "POST", "/api/v1/entry/surveys"): (
        Case("clinic", 202, call(json=lambda t: {"clinic": t.clinic, "forms": [SURVEY_FORM]})),
    ),
}

# Every staff JSON route of every service; the matrix test fails on a route without a row.
CASES: dict[Key, tuple[Case, ...]] = {**INTAKE, **TRIAGE, **IDENTITY, **NOTIFY, **REPORTING}
