"""Message templates (Indonesian, operator-editable, per clinic)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.notify.domain.messages import (
    channel_label,
    local_time_label,
    parse_template,
    placeholders,
    render,
    single_line,
)
from services.notify.templates import TemplateLibrary, TemplateNotFoundError

KNOWN = {
    "jenis",
    "nomor_tiket",
    "pin",
    "kanal",
    "unit",
    "kategori",
    "puskesmas",
    "alamat_web",
    "alasan",
    "pertanyaan",
    "jawaban",
    "tenggat",
    "batas_waktu",
    "tanggal",
    "jumlah",
    "daftar",
}


@pytest.mark.parametrize("name", TemplateLibrary.shipped())
def test_every_shipped_template_has_a_title_a_body_and_only_known_values(name: str) -> None:
    template = TemplateLibrary().get(name)
    assert template.title and template.body
    assert placeholders(template) <= KNOWN


def test_receipt_carries_tracking_number_and_pin_and_how_to_stop() -> None:
    message = render(
        TemplateLibrary().get("tanda_terima"),
        {
            "jenis": "Pengaduan",
            "nomor_tiket": "MDRJ1-2611-ABCD",
            "pin": "123456",
            "puskesmas": "UPTD Puskesmas Mandiraja 1",
            "alamat_web": "https://sigap.test",
        },
    )
    assert "MDRJ1-2611-ABCD" in message.title
    assert "PIN: 123456" in message.body
    assert "BERHENTI" in message.body
    assert "$" not in message.title + message.body


@pytest.mark.parametrize(("name", "channel"), TemplateLibrary.shipped_variants())
def test_every_channels_own_template_varies_a_shipped_one_with_only_known_values(
    name: str, channel: str
) -> None:
    assert name in TemplateLibrary.shipped()
    template = TemplateLibrary().get(name, channel=channel)
    assert template != TemplateLibrary().get(name)
    assert template.title and template.body
    assert placeholders(template) <= KNOWN


def test_e_mail_never_asks_for_a_reply_nothing_reads_and_says_how_to_stop() -> None:
    for name in ("tanda_terima", "pertanyaan_tim", "penutupan"):
        body = TemplateLibrary().get(name, channel="email").body
        assert "Balas" not in body and "balas pesan" not in body
        assert "balasan ke alamat ini tidak dibaca" in body
    receipt = TemplateLibrary().get("tanda_terima", channel="email").body
    assert "BERHENTI" not in receipt
    assert "$alamat_web/lacak" in receipt and "Berhenti menerima pesan" in receipt
    assert "BERHENTI" in TemplateLibrary().get("tanda_terima", channel="sms").body


def test_a_clinics_common_template_wins_over_the_shipped_channel_one(tmp_path: Path) -> None:
    (tmp_path / "RANAI").mkdir()
    (tmp_path / "RANAI" / "tanda_terima.txt").write_text("Ranai\n\nPIN $pin")
    (tmp_path / "tanda_terima.email.txt").write_text("Kabupaten email\n\nPIN $pin")
    library = TemplateLibrary(tmp_path)
    assert library.get("tanda_terima", "RANAI", "email").title == "Ranai"
    assert library.get("tanda_terima", "MDRJ1", "email").title == "Kabupaten email"
    assert library.get("tanda_terima", "MDRJ1", "sms") == TemplateLibrary().get("tanda_terima")


def test_closing_message_asks_whether_the_answer_helped() -> None:
    body = TemplateLibrary().get("penutupan").body
    assert "Apakah jawaban kami membantu?" in body
    assert "YA" in body and "TIDAK" in body


def test_a_clinics_own_template_wins_over_the_operators_and_the_shipped_one(
    tmp_path: Path,
) -> None:
    (tmp_path / "RANAI").mkdir()
    (tmp_path / "jawaban.txt").write_text("Jawaban kabupaten\n\nIsi: $jawaban")
    (tmp_path / "RANAI" / "jawaban.txt").write_text("Jawaban Ranai\n\nIsi Ranai: $jawaban")
    library = TemplateLibrary(tmp_path)
    assert library.get("jawaban", "RANAI").title == "Jawaban Ranai"
    assert library.get("jawaban", "MDRJ1").title == "Jawaban kabupaten"
    assert library.get("penutupan", "RANAI") == TemplateLibrary().get("penutupan")


def test_template_names_cannot_reach_outside_the_template_folders(tmp_path: Path) -> None:
    with pytest.raises(TemplateNotFoundError):
        TemplateLibrary(tmp_path).get("../../etc/passwd")
    with pytest.raises(TemplateNotFoundError):
        TemplateLibrary(tmp_path).get("tidak_ada")


def test_a_typo_in_an_edited_template_shows_instead_of_failing() -> None:
    message = render(parse_template("Judul\n\nNomor $nomor_tiket, $nomr"), {"nomor_tiket": "X1"})
    assert message.body == "Nomor X1, $nomr"


def test_whatsapp_template_parameter_is_one_line() -> None:
    assert single_line("a\n\tb     c\n") == "a b c"
    assert len(single_line("x" * 2000)) == 1024


def test_times_are_shown_in_the_clinics_zone() -> None:
    moment = datetime(2026, 1, 5, 7, 30, tzinfo=UTC)
    assert local_time_label(moment, "Asia/Jakarta") == "05-01-2026 14:30 WIB"
    assert local_time_label(moment, "Asia/Jayapura") == "05-01-2026 16:30 WIT"


def test_staff_read_channel_names_not_codes() -> None:
    assert channel_label("kotak_saran") == "kotak saran"
    assert channel_label("web") == "formulir web"
