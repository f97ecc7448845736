"""English for the staff entry pages (services/intake/staff_templates and staff_web_forms);
words the public portal already has come from shared.web.i18n."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, dict[str, str]]] = {
    "en": {
        # The staff menu (shared.web.staff.staff_nav).
        "Kotak Masuk": "Inbox",
        "Catat": "Record",
        "Laporan": "Reports",
        "Pengguna": "Users",
        # The entry menu and the refusal.
        "Catat umpan balik": "Record feedback",
        "Aduan, saran, pujian atau pertanyaan": "Complaint, suggestion, compliment or question",
        "Diterima langsung di ruang pengaduan, lewat telepon, buku keluhan, media sosial, email "
        "atau lokmin lintas sektor.": (
            "Received in person at the complaint room, by phone, in the complaint book, on social "
            "media, by e-mail or in a cross-sector meeting (lokmin)."
        ),
        "Pembukaan kotak saran": "Suggestion box opening",
        "Semua slip dari satu kali pembukaan kotak saran (sebulan sekali); setiap slip menjadi "
        "satu laporan.": (
            "Every slip of one opening of the suggestion box (once a month); each slip becomes "
            "a report of its own."
        ),
        "Survei kepuasan (formulir kertas)": "Satisfaction survey (paper forms)",
        "Formulir survei kertas dari unit layanan, beberapa sekaligus.": (
            "Paper survey forms from the service units, several at once."
        ),
        "Akses ditolak": "Access refused",
        "Peran Anda tidak dapat mencatat aduan atau survei di halaman ini.": (
            "Your role cannot record complaints or surveys on this page."
        ),
        "Kembali": "Back",
        # A complaint received by staff.
        "Catat aduan": "Record a complaint",
        "Catat aduan, saran, pujian atau pertanyaan": (
            "Record a complaint, suggestion, compliment or question"
        ),
        "Pelapor menerima nomor pelacakan dan PIN setelah disimpan.": (
            "The reporter gets a tracking number and PIN once it is saved."
        ),
        "Diterima lewat": "Received through",
        "Kanal": "Channel",
        "Langsung (ruang pengaduan)": "In person (complaint room)",
        "Telepon": "Phone",
        "Buku keluhan": "Complaint book",
        "Media sosial / email": "Social media / e-mail",
        "Lokmin lintas sektor": "Cross-sector meeting (lokmin)",
        "Untuk media sosial / email": "For social media / e-mail",
        "Platform": "Platform",
        "— bukan media sosial —": "— not social media —",
        "Facebook": "Facebook",
        "Instagram": "Instagram",
        "Google Review": "Google Review",
        "Lainnya": "Other",
        "Tautan atau akun": "Link or account",
        "Tanggal diterima": "Date received",
        "tulis seperti yang disampaikan pelapor": "write it as the reporter said it",
        "Pelapor": "Reporter",
        "Pelapor ingin anonim: identitasnya tidak disimpan": (
            "The reporter wants to stay anonymous: their identity is not stored"
        ),
        "Isi bila pelapor ingin dihubungi atau dijawab lewat HP atau email.": (
            "Fill in if the reporter wants to be contacted or answered by phone or e-mail."
        ),
        "Rahasiakan identitas pelapor": "Keep the reporter's identity confidential",
        "Simpan": "Save",
        "Pilih platform untuk kanal media sosial": (
            "Choose the platform for the social media channel"
        ),
        "Kosongkan: platform hanya untuk kanal media sosial": (
            "Leave empty: the platform is only for the social media channel"
        ),
        "Aduan tercatat": "Complaint recorded",
        "Berikan nomor pelacakan dan PIN ini kepada pelapor sekarang (bacakan bila lewat "
        "telepon).": (
            "Give this tracking number and PIN to the reporter now (read them out on the phone)."
        ),
        "Dengan nomor dan PIN ini pelapor dapat melihat tindak lanjutnya di": (
            "With this number and PIN the reporter can follow it up at"
        ),
        "Catat aduan lain": "Record another complaint",
        # The suggestion box.
        "Tulis isi setiap slip pada satu baris. Setiap slip menjadi satu laporan anonim; "
        "jawabannya diumumkan di papan tanggapan.": (
            "Write each slip on one row. Each slip becomes an anonymous report; its reply is "
            "posted on the response board."
        ),
        "Baris yang kosong dilewati.": "Empty rows are skipped.",
        "Tanggal kotak saran dibuka": "Date the suggestion box was opened",
        "No": "No.",
        "Baris": "Row",
        "Pilih jenis": "Choose a type",
        "Isi slip": "Slip text",
        "Tambah baris": "Add rows",
        "Simpan semua slip": "Save all slips",
        "Isi paling sedikit satu slip": "Fill in at least one slip",
        "Kotak saran tercatat": "Suggestion box recorded",
        "slip tercatat, masing-masing dengan nomor pelacakannya.": (
            "slips recorded, each with its tracking number."
        ),
        "Tuliskan nomor ini pada slipnya untuk buku rekapan.": (
            "Write each number on its slip for the register."
        ),
        "Catat pembukaan lain": "Record another opening",
        # Paper surveys.
        "Ketik setiap formulir survei kertas apa adanya: jawaban 1 sampai 4 untuk kesembilan "
        "unsur dan data responden.": (
            "Type each paper survey form as it is: answers 1 to 4 for the nine elements and the "
            "respondent's details."
        ),
        "Formulir yang kosong dilewati.": "Empty forms are skipped.",
        "Tambah formulir": "Add forms",
        "Simpan semua formulir": "Save all forms",
        "Isi paling sedikit satu formulir": "Fill in at least one form",
        "Survei tercatat": "Surveys recorded",
        "formulir survei kertas tercatat.": "paper survey forms recorded.",
        "Saran yang ditulis pada formulir dicatat sebagai laporan tersendiri:": (
            "Suggestions written on the forms are recorded as reports of their own:"
        ),
        "Catat formulir lain": "Record more forms",
    }
}
