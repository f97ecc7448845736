"""The demo district seeded by ``make run``: two districts from the SOPs' own clinics, and a
demo account for every role (their passwords are printed by ``make run`` and ``sigap seed-demo``;
they are for a demo machine only)."""

from __future__ import annotations

from ops.register import open_register
from shared.auth import Role
from shared.directory import Clinic, District, Unit
from shared.settings import Settings
from shared.users import NewUser, Passwords

STANDARD_UNITS = (
    Unit(code="pendaftaran", name="Pendaftaran"),
    Unit(code="poli_umum", name="Poli Umum"),
    Unit(code="poli_gigi", name="Poli Gigi"),
    Unit(code="kia_kb", name="KIA-KB"),
    Unit(code="farmasi", name="Farmasi"),
    Unit(code="laboratorium", name="Laboratorium"),
    Unit(code="ugd", name="UGD"),
)

DEMO_DISTRICTS = (
    District(code="banjarnegara", name="Dinas Kesehatan Kabupaten Banjarnegara"),
    District(code="natuna", name="Dinas Kesehatan Kabupaten Natuna"),
)
DEMO_CLINICS = (
    Clinic(
        code="MDRJ1",
        name="UPTD Puskesmas Mandiraja 1",
        district="banjarnegara",
        units=STANDARD_UNITS,
        whatsapp_phone_number_id="100000000000001",
        sms_number="+6228641147801",
    ),
    Clinic(
        code="MDRJ2",
        name="UPTD Puskesmas Mandiraja 2",
        district="banjarnegara",
        units=STANDARD_UNITS[:6],
        whatsapp_phone_number_id="100000000000002",
    ),
    Clinic(
        code="BNJR1",
        name="UPTD Puskesmas Banjarnegara 1",
        district="banjarnegara",
        units=STANDARD_UNITS,
    ),
    Clinic(
        code="RANAI",
        name="Puskesmas Ranai",
        district="natuna",
        units=STANDARD_UNITS,
        whatsapp_phone_number_id="100000000000003",
        sms_number="+6277331000001",
    ),
)


DEMO_PASSWORD = "sigap-demo-2026"


def _demo_user(
    username: str,
    name: str,
    role: Role,
    clinic: str | None = None,
    unit: str | None = None,
    district: str | None = None,
) -> NewUser:
    return NewUser(
        username=username,
        name=name,
        role=role,
        clinic=clinic,
        unit=unit,
        district=district,
        password=DEMO_PASSWORD,
    )


DEMO_USERS = (
    _demo_user("mdrj1.petugas", "Petugas Pelayanan Mandiraja 1", Role.OFFICER, "MDRJ1"),
    _demo_user("mdrj1.aduan", "Tim Pengelola Aduan Mandiraja 1", Role.COMPLAINT_TEAM, "MDRJ1"),
    _demo_user("mdrj1.mutu", "Tim Mutu Mandiraja 1", Role.QUALITY_TEAM, "MDRJ1"),
    _demo_user("mdrj1.kepala", "Kepala Puskesmas Mandiraja 1", Role.HEAD, "MDRJ1"),
    _demo_user("mdrj1.poli-umum", "Unit Poli Umum Mandiraja 1", Role.UNIT, "MDRJ1", "poli_umum"),
    _demo_user("ranai.aduan", "Tim Pengelola Aduan Ranai", Role.COMPLAINT_TEAM, "RANAI"),
    _demo_user("ranai.kepala", "Kepala Puskesmas Ranai", Role.HEAD, "RANAI"),
    _demo_user("dinkes.bna", "Dinkes Banjarnegara", Role.DISTRICT, district="banjarnegara"),
    _demo_user("admin.bna", "Operator Dinkes Banjarnegara", Role.ADMIN, district="banjarnegara"),
)


def demo_logins() -> list[tuple[str, str, str, str]]:
    """(username, password, role, clinic or district) of every demo account, to print."""
    return [
        (user.username, user.password, user.role.value, user.clinic or user.district or "")
        for user in DEMO_USERS
    ]


class _HashedOnce(Passwords):
    """Every demo account has the one published demo password: it is hashed once per process
    (argon2 is slow on purpose, and every test seeds a fresh database)."""

    def __init__(self) -> None:
        super().__init__()
        self._hashes: dict[str, str] = {}

    async def hash(self, password: str) -> str:
        if password not in self._hashes:
            self._hashes[password] = await super().hash(password)
        return self._hashes[password]


_DEMO_PASSWORDS = _HashedOnce()


async def seed_demo(settings: Settings) -> tuple[int, int]:
    """Create (or refresh) the demo districts and clinics and create the demo accounts that do
    not exist yet (an existing account, its password included, is left as it is)."""
    async with open_register(settings, _DEMO_PASSWORDS) as register:
        for district in DEMO_DISTRICTS:
            await register.save_district(district)
        for clinic in DEMO_CLINICS:
            await register.save_clinic(clinic)
        for user in DEMO_USERS:
            if await register.users.by_username(user.username) is None:
                await register.create_user(user)
    return len(DEMO_DISTRICTS), len(DEMO_CLINICS)
