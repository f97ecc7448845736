"""The demo district seeded by ``make run``: two districts from the SOPs' own clinics."""

from __future__ import annotations

from shared.directory import Clinic, Directory, District, Unit
from shared.settings import Settings
from shared.storage import create_client, database, ensure_indexes

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


async def seed_demo(settings: Settings) -> tuple[int, int]:
    """Create (or refresh) the demo districts and clinics; safe to run again."""
    client = create_client(settings)
    try:
        db = database(client, settings, "directory")
        await ensure_indexes(db, "directory")
        directory = Directory(db)
        for district in DEMO_DISTRICTS:
            await directory.save_district(district)
        for clinic in DEMO_CLINICS:
            await directory.save_clinic(clinic)
    finally:
        await client.close()
    return len(DEMO_DISTRICTS), len(DEMO_CLINICS)
