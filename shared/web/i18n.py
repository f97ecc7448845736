"""Bahasa Indonesia first; English as the second language, chosen by a cookie."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request

LANG_COOKIE = "sigap_lang"
LANGUAGES = ("id", "en")

# Only the shared layout's words live here; pages keep their own text in their templates,
# written in Indonesian with `t('…')` lookups for the English switch.
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "Layanan Pengaduan Puskesmas": "Community Health Centre Feedback Service",
        "Lapor": "Report",
        "Lacak": "Track",
        "Survei": "Survey",
        "Papan Tanggapan": "Response Board",
        "Masuk": "Sign in",
        "Keluar": "Sign out",
        "Kata sandi": "Password",
        "Pemberitahuan": "Alerts",
        "Kirim": "Send",
        "Bahasa": "Language",
        "Wajib diisi": "Required",
        "Periksa isian yang ditandai.": "Please check the marked fields.",
        "Halaman tidak ditemukan": "Page not found",
        "Sesi formulir kedaluwarsa. Silakan kirim ulang.": "The form expired. Please send again.",
        # Public portal (services/intake/templates and services/intake/web_forms.py).
        "Sampaikan keluhan, saran, pujian atau pertanyaan Anda": (
            "Send us your complaint, suggestion, compliment or question"
        ),
        "Pilih Puskesmas": "Choose a health centre",
        "Puskesmas": "Health centre",
        "Isi survei kepuasan": "Fill in the satisfaction survey",
        "Hasil survei": "Survey results",
        "Poster QR": "QR poster",
        "Belum ada Puskesmas yang terdaftar.": "No health centre is registered yet.",
        "Puskesmas atau halaman yang Anda cari tidak ada.": (
            "The health centre or page you are looking for does not exist."
        ),
        "Jenis": "Type",
        "Keluhan": "Complaint",
        "Saran": "Suggestion",
        "Pujian": "Compliment",
        "Pertanyaan": "Question",
        "Ada layanan yang mengecewakan": "A service disappointed you",
        "Usul untuk perbaikan layanan": "An idea to improve the service",
        "Layanan yang memuaskan": "A service that pleased you",
        "Hal yang ingin Anda tanyakan": "Something you want to ask",
        "Unit layanan": "Service unit",
        "boleh dikosongkan": "optional",
        "Tidak tahu / lainnya": "Not sure / other",
        "Isi": "Text",
        "Identitas Anda": "Your identity",
        "Anonim": "Anonymous",
        "Saya ingin anonim: identitas saya tidak disimpan": (
            "I want to stay anonymous: my identity is not stored"
        ),
        "Jawaban untuk laporan anonim diumumkan di papan tanggapan, tanpa identitas.": (
            "Replies to anonymous reports are posted on the response board, without identities."
        ),
        "Nama": "Name",
        "Nomor HP": "Mobile number",
        "contoh": "example",
        "Email": "E-mail",
        "Rahasiakan identitas": "Keep my identity confidential",
        "Formulir": "Form",
        "Laporan diterima": "Report received",
        "Terima kasih, laporan Anda sudah diterima": "Thank you, your report has been received",
        "Nomor pelacakan": "Tracking number",
        "PIN": "PIN",
        "Lihat status laporan": "See the report's status",
        "Cetak": "Print",
        "Lacak laporan Anda": "Track your report",
        "Masukkan nomor pelacakan dan PIN yang Anda terima saat melapor.": (
            "Enter the tracking number and PIN you received when you reported."
        ),
        "Lihat status": "See status",
        "Nomor pelacakan atau PIN tidak cocok": "Tracking number or PIN does not match",
        "Status laporan": "Report status",
        "Status": "Status",
        "Diterima": "Received",
        "Terakhir diperbarui": "Last updated",
        "Alasan": "Reason",
        "Pesan dari tim pengaduan": "Message from the complaint team",
        "Jawaban": "Reply",
        "Selesai": "Closed",
        "Lacak laporan lain": "Track another report",
        "Berhenti menerima pesan": "Stop receiving messages",
        "Tidak ingin menerima pesan lagi dari Puskesmas lewat WhatsApp, SMS atau email? "
        "Laporan Anda tetap ditangani dan statusnya tetap dapat dilihat di halaman ini.": (
            "No more messages from the health centre by WhatsApp, SMS or e-mail? Your report "
            "is still handled and its status can still be seen on this page."
        ),
        "Permintaan diterima. SIGAP tidak akan mengirim pesan lagi ke nomor HP atau email Anda.": (
            "Request received. SIGAP will send no more messages to your mobile number or "
            "e-mail address."
        ),
        "Diverifikasi": "Verified",
        "Rencana tindak lanjut dibuat": "Follow-up planned",
        "Sedang ditindaklanjuti": "Being followed up",
        "Diteruskan ke Kepala Puskesmas": "Referred to the head of the centre",
        "Menunggu keterangan dari Anda": "Waiting for your answer",
        "Sudah dijawab": "Answered",
        "Dibuka kembali": "Reopened",
        "Tidak dapat diproses": "Cannot be processed",
        "Survei Kepuasan Masyarakat": "Public Satisfaction Survey",
        "Unit layanan yang Anda gunakan": "Service unit you used",
        "Pilih unit": "Choose a unit",
        "Tanggal pelayanan": "Date of service",
        "Persyaratan": "Requirements",
        "Sistem, Mekanisme dan Prosedur": "Systems, mechanisms and procedures",
        "Waktu Penyelesaian": "Completion time",
        "Biaya/Tarif": "Cost/fees",
        "Produk Spesifikasi Jenis Pelayanan": "Service product specification",
        "Kompetensi Pelaksana": "Staff competence",
        "Perilaku Pelaksana": "Staff behaviour",
        "Penanganan Pengaduan, Saran dan Masukan": "Handling of complaints, suggestions and input",
        "Sarana dan Prasarana": "Facilities and infrastructure",
        "Tidak sesuai": "Not suitable",
        "Kurang sesuai": "Less suitable",
        "Sesuai": "Suitable",
        "Sangat sesuai": "Very suitable",
        "Tidak mudah": "Not easy",
        "Kurang mudah": "Less easy",
        "Mudah": "Easy",
        "Sangat mudah": "Very easy",
        "Tidak cepat": "Not fast",
        "Kurang cepat": "Less fast",
        "Cepat": "Fast",
        "Sangat cepat": "Very fast",
        "Sangat mahal": "Very expensive",
        "Cukup mahal": "Fairly expensive",
        "Murah": "Cheap",
        "Gratis": "Free",
        "Tidak kompeten": "Not competent",
        "Kurang kompeten": "Less competent",
        "Kompeten": "Competent",
        "Sangat kompeten": "Very competent",
        "Tidak sopan dan ramah": "Not polite and friendly",
        "Kurang sopan dan ramah": "Less polite and friendly",
        "Sopan dan ramah": "Polite and friendly",
        "Sangat sopan dan ramah": "Very polite and friendly",
        "Tidak ada": "None",
        "Ada tetapi tidak berfungsi": "Exists but does not work",
        "Berfungsi kurang maksimal": "Works, but not fully",
        "Dikelola dengan baik": "Well managed",
        "Buruk": "Poor",
        "Cukup": "Fair",
        "Baik": "Good",
        "Sangat baik": "Very good",
        "Tentang Anda": "About you",
        "Jenis kelamin": "Sex",
        "Laki-laki": "Male",
        "Perempuan": "Female",
        "Umur": "Age",
        "tahun": "years",
        "Pendidikan terakhir": "Highest education",
        "Pilih pendidikan": "Choose education",
        "Tidak sekolah": "No schooling",
        "SD": "Primary school",
        "SMP": "Junior high school",
        "SMA/SMK": "Senior high school",
        "D1–D3": "Diploma (D1–D3)",
        "D4/S1": "Bachelor (D4/S1)",
        "S2 ke atas": "Master or higher",
        "Pekerjaan": "Occupation",
        "Saran untuk perbaikan layanan": "Your suggestion to improve the service",
        "Survei diterima": "Survey received",
        "Terima kasih atas penilaian Anda": "Thank you for your assessment",
        "Jawaban survei Anda sudah kami terima.": "We have received your survey answers.",
        "Lihat hasil survei yang sudah diumumkan": "See the published survey results",
        "Cetak poster": "Print poster",
        "Pindai kode QR ini dengan kamera HP Anda": "Scan this QR code with your phone's camera",
        "Pilih jenis laporan dan tulis isinya. Tanpa login, boleh anonim.": (
            "Choose the type of report and write it. No sign-in; you may stay anonymous."
        ),
        "Simpan nomor pelacakan dan PIN yang muncul.": "Keep the tracking number and PIN shown.",
        "Lihat jawabannya di": "Read the reply at",
        "Isi juga survei kepuasan:": "Please also fill in the satisfaction survey:",
        "Layanan sedang sibuk, belum diterima. Silakan coba lagi.": (
            "The service is busy; nothing was received yet. Please try again."
        ),
        "Terlalu banyak permintaan. Silakan coba lagi nanti.": (
            "Too many requests. Please try again later."
        ),
        "Kosongkan nama, nomor HP dan email bila ingin anonim": (
            "Leave name, mobile number and e-mail empty to stay anonymous"
        ),
        "Pilih salah satu jawaban": "Choose one answer",
        "Pilih salah satu pilihan yang tersedia": "Choose one of the options",
        "Nomor HP tidak valid. Contoh: 081234567890": (
            "Invalid mobile number. Example: 081234567890"
        ),
        "Alamat email tidak valid. Contoh: nama@contoh.id": (
            "Invalid e-mail address. Example: name@example.id"
        ),
        "Harus berupa angka": "Must be a number",
        "Tanggal tidak valid": "Invalid date",
        "Isian tidak valid": "Invalid value",
        "Tanpa login. Anda boleh tidak menyebutkan nama.": "No sign-in. You may stay anonymous.",
        "Setiap laporan mendapat nomor pelacakan dan PIN.": (
            "Every report gets a tracking number and a PIN."
        ),
        "Sudah melapor? Lacak laporan Anda": "Already reported? Track your report",
        "Isi bila Anda ingin dihubungi atau dijawab lewat HP atau email.": (
            "Fill in if you want to be contacted or answered by phone or e-mail."
        ),
        "Rahasiakan identitas saya": "Keep my identity confidential",
        "hanya tim pengaduan dan Kepala Puskesmas yang dapat melihatnya": (
            "only the complaint team and the head of the centre see it"
        ),
        "Catat atau foto nomor pelacakan dan PIN ini sekarang.": (
            "Write down or photograph this tracking number and PIN now."
        ),
        "PIN tidak dapat ditampilkan lagi.": "The PIN cannot be shown again.",
        "Dengan nomor dan PIN ini Anda dapat melihat jawaban atas laporan Anda.": (
            "With this number and PIN you can read the reply to your report."
        ),
        "Tim pengaduan menunggu keterangan dari Anda.": (
            "The complaint team is waiting for your answer."
        ),
        "Hubungi Puskesmas atau balas pesan yang Anda terima.": (
            "Contact the health centre or reply to the message you received."
        ),
        "Pilih satu jawaban untuk setiap pertanyaan: 1 paling rendah, 4 paling baik.": (
            "Choose one answer for each question: 1 is the lowest, 4 the best."
        ),
        "Survei ini tanpa nama.": "The survey is anonymous.",
        "Bagaimana pendapat Anda tentang hal-hal berikut?": "What do you think of the following?",
        "Saran Anda dicatat sebagai laporan tersendiri.": (
            "Your suggestion is recorded as a report of its own."
        ),
        "Dengan nomor dan PIN ini Anda dapat melihat tindak lanjutnya.": (
            "With this number and PIN you can see how it is followed up."
        ),
        "Kesesuaian persyaratan pelayanan dengan jenis pelayanannya": (
            "How well the requirements suit the kind of service"
        ),
        "Kemudahan prosedur pelayanan di unit ini": "How easy the procedure in this unit is",
        "Kecepatan waktu dalam memberikan pelayanan": "How fast the service is delivered",
        "Kewajaran biaya/tarif dalam pelayanan": "How fair the costs/fees are",
        "Kesesuaian hasil pelayanan dengan yang tercantum dalam standar pelayanan": (
            "How well what you received matches the published service standard"
        ),
        "Kompetensi/kemampuan petugas dalam pelayanan": "How competent the staff are",
        "Kesopanan dan keramahan petugas dalam pelayanan": "How polite and friendly the staff are",
        "Penanganan pengaduan pengguna layanan": "How complaints from service users are handled",
        "Kualitas sarana dan prasarana": "The quality of facilities and infrastructure",
        # The response board (services/notify/templates/papan_tanggapan*.html).
        "Pengaduan": "Complaint",
        "Tanggapan": "Response",
        "jawaban atas pengaduan, saran dan pertanyaan masyarakat.": (
            "answers to the public's complaints, suggestions and questions."
        ),
        "Identitas pelapor tidak ditampilkan.": "Reporters' identities are not shown.",
        "Versi cetak (A4)": "Print version (A4)",
        "Kembali ke papan tanggapan": "Back to the response board",
        "diterima": "received",
        "dijawab": "answered",
        "unit": "unit",
        "Belum ada tanggapan yang dipublikasikan.": "No response has been published yet.",
        "Diperbarui": "Updated",
        "Disusun oleh SIGAP — Sistem Informasi Pengaduan dan Umpan Balik Puskesmas.": (
            "Compiled by SIGAP, the health centres' complaint and feedback information system."
        ),
        # The published survey results (services/reporting/templates/hasil_survei.html).
        "Hasil Survei Kepuasan Masyarakat": "Public Satisfaction Survey Results",
        "Periode": "Period",
        "s.d.": "to",
        "menurut PermenPAN-RB Nomor 14 Tahun 2017.": (
            "following Ministerial Regulation PermenPAN-RB No. 14 of 2017."
        ),
        "Belum ada hasil survei untuk periode ini.": "No survey results for this period yet.",
        "mutu pelayanan": "service quality",
        "responden": "respondents",
        "Nilai per unsur": "Value per element",
        "Jumlah jawaban": "Answers",
        "Tidak ada data.": "No data.",
        "Tindak lanjut": "Follow-up",
        "target": "due",
        "Belum ada rencana tindak lanjut.": "No follow-up planned yet.",
    }
}


def language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE, "id")
    return chosen if chosen in LANGUAGES else "id"


def translate(lang: str, text: str, own: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """``text`` in ``lang``: a page's own words (``own``) first, then the shared ones."""
    if own is not None and text in own.get(lang, {}):
        return own[lang][text]
    return MESSAGES.get(lang, {}).get(text, text)
