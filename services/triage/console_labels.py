"""What the staff console calls things: the Indonesian label of every code it shows (status,
kind, channel, category, role, plan maker, history step, audit action) and the local time."""

from __future__ import annotations

from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from shared.labels import CHANNEL_LABELS, KIND_LABELS

STATUSES: Final[dict[str, str]] = {
    "received": "Diterima",
    "triaged": "Diverifikasi",
    "planned": "RTL dibuat",
    "in_progress": "Ditindaklanjuti",
    "escalated": "Ke Kepala Puskesmas",
    "waiting_reporter": "Menunggu pelapor",
    "responded": "Dijawab",
    "closed": "Selesai",
    "reopened": "Dibuka kembali",
    "rejected": "Ditolak",
}
KINDS: Final = KIND_LABELS
CHANNELS: Final = CHANNEL_LABELS
CATEGORIES: Final[dict[str, str]] = {
    "waktu_tunggu": "Waktu tunggu",
    "sikap_petugas": "Sikap petugas",
    "kebersihan_sarana": "Kebersihan dan sarana",
    "obat_farmasi": "Obat dan farmasi",
    "biaya_administrasi": "Biaya dan administrasi",
    "pelayanan_medis": "Pelayanan medis",
    "informasi": "Informasi",
    "lainnya": "Lainnya",
}
ROLES: Final[dict[str, str]] = {
    "officer": "Petugas pelayanan",
    "complaint_team": "Tim pengelola aduan",
    "quality_team": "Tim mutu",
    "head": "Kepala Puskesmas",
    "unit": "Unit terkait",
    "district": "Dinas Kesehatan",
    "admin": "Admin",
    "system": "Sistem",
}
ALERT_CHANNELS: Final[dict[str, str]] = {"email": "Email", "whatsapp": "WhatsApp"}
PLAN_MAKERS: Final[dict[str, str]] = {
    "tim_pengaduan": "Tim pengelola aduan",
    "tim_mutu": "Tim mutu",
    "kepala": "Bersama Kepala Puskesmas",
}
IDENTITIES: Final[dict[str, str]] = {
    "biasa": "Biasa",
    "rahasia": "Rahasia",
    "anonim": "Anonim",
}
STEPS: Final[dict[str, str]] = {
    "receive": "Diterima",
    "triage": "Verifikasi (triase)",
    "assign": "Penugasan",
    "record_plan": "Rencana tindak lanjut",
    "start_progress": "Mulai ditindaklanjuti",
    "escalate": "Diteruskan ke Kepala Puskesmas",
    "wait_for_reporter": "Meminta keterangan pelapor",
    "reporter_replied": "Pelapor menjawab",
    "reporter_message": "Pesan pelapor",
    "record_reply": "Jawaban",
    "close": "Ditutup",
    "auto_close": "Ditutup otomatis",
    "reopen": "Dibuka kembali",
    "reject": "Ditolak",
    "deadline_missed": "Tenggat terlewat",
    "feedback": "Penilaian pelapor",
}
AUDIT_ACTIONS: Final[dict[str, str]] = {
    "login.failed": "Gagal masuk",
    "login.throttled": "Masuk ditahan (terlalu banyak percobaan)",
    "login.succeeded": "Masuk",
    "logout": "Keluar",
    "password.changed": "Kata sandi diubah",
    "password.reset": "Kata sandi diatur ulang",
    "user.created": "Pengguna dibuat",
    "user.updated": "Data pengguna diubah",
    "user.role_changed": "Peran diubah",
    "user.deactivated": "Pengguna dinonaktifkan",
    "user.activated": "Pengguna diaktifkan",
    "complaint.identity_viewed": "Identitas pelapor dilihat",
    "district.saved": "Kabupaten disimpan",
    "clinic.saved": "Puskesmas disimpan",
}
ZONE_NAMES: Final[dict[str, str]] = {
    "Asia/Jakarta": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def local_time(moment: datetime | str | None, timezone: str = "Asia/Jakarta") -> str:
    """``26-11-2026 08.30 WIB``: UTC inside, the clinic's zone on the page."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%d-%m-%Y %H.%M} {ZONE_NAMES.get(timezone, timezone)}"


def label(table: dict[str, str], code: str | None) -> str:
    return "" if code is None else table.get(code, code)
