"""English for the staff console's Indonesian words (``Pages(messages=…)``); the layout's own
words are in shared.web.i18n."""

from __future__ import annotations

from typing import Final

_EN: Final[dict[str, str]] = {
    # Menu, login and layout
    "Kotak Masuk": "Inbox",
    "Catat": "Record",
    "Laporan": "Reports",
    "Pengguna": "Users",
    "Masuk konsol": "Staff sign-in",
    "Masuk ke konsol petugas": "Sign in to the staff console",
    "Nama pengguna": "Username",
    "Nama pengguna atau kata sandi salah.": "Wrong username or password.",
    "Terlalu banyak percobaan masuk. Coba lagi beberapa menit lagi.": (
        "Too many sign-in attempts. Try again in a few minutes."
    ),
    "Lupa kata sandi? Minta Kepala Puskesmas atau admin Dinas Kesehatan mengatur ulang.": (
        "Forgot your password? Ask the head of the centre or the district admin to reset it."
    ),
    "Tidak berwenang": "Not allowed",
    "Anda tidak berwenang membuka halaman ini.": "You are not allowed to open this page.",
    "Anda tidak berwenang.": "You are not allowed to do this.",
    "Data yang Anda cari tidak ada atau bukan milik Puskesmas Anda.": (
        "What you are looking for does not exist or does not belong to your health centre."
    ),
    "Kembali": "Back",
    "Tersimpan.": "Saved.",
    # Inbox
    "Cari kata": "Search words",
    "Kanal": "Channel",
    "Kategori": "Category",
    "Unit": "Unit",
    "Semua": "All",
    "Urutan": "Order",
    "Terbaru dulu": "Newest first",
    "Tenggat terdekat dulu": "Nearest deadline first",
    "Hanya yang lewat tenggat": "Overdue only",
    "Tampilkan": "Show",
    "Hapus filter": "Clear filters",
    "Filter yang ditandai tidak dipakai.": "The marked filters were not applied.",
    "Jumlah": "Total",
    "Nomor": "Number",
    "Tenggat": "Deadline",
    "Lewat tenggat": "Overdue",
    "Segera": "Urgent",
    "belum diverifikasi": "not yet verified",
    "Tidak ada aduan yang cocok.": "No complaint matches.",
    "Halaman": "Page",
    "Sebelumnya": "Previous",
    "Berikutnya": "Next",
    # Statuses, kinds, channels, categories
    "Dijawab": "Answered",
    "RTL dibuat": "Follow-up planned",
    "Ditindaklanjuti": "In progress",
    "Ke Kepala Puskesmas": "With the head",
    "Menunggu pelapor": "Waiting for reporter",
    "Ditolak": "Rejected",
    "Langsung": "In person",
    "Telepon": "Phone",
    "SMS": "SMS",
    "WhatsApp": "WhatsApp",
    "Kotak saran": "Suggestion box",
    "Buku keluhan": "Complaint book",
    "Media sosial": "Social media",
    "Lokmin": "Cross-sector meeting",
    "Web": "Web",
    "Waktu tunggu": "Waiting time",
    "Sikap petugas": "Staff attitude",
    "Kebersihan dan sarana": "Cleanliness and facilities",
    "Obat dan farmasi": "Medicines and pharmacy",
    "Biaya dan administrasi": "Costs and administration",
    "Pelayanan medis": "Medical care",
    "Informasi": "Information",
    "Lainnya": "Other",
    "Biasa": "Ordinary",
    "Rahasia": "Confidential",
    # Roles and plan makers
    "Petugas pelayanan": "Service officer",
    "Tim pengelola aduan": "Complaint team",
    "Tim mutu": "Quality team",
    "Kepala Puskesmas": "Head of the centre",
    "Unit terkait": "Unit",
    "Dinas Kesehatan": "District health office",
    "Admin": "Admin",
    "Sistem": "System",
    "Bersama Kepala Puskesmas": "With the head of the centre",
    # One complaint
    "Data aduan": "Complaint",
    "Petugas": "Assignee",
    "Verifikasi": "Verification",
    "Sudah dikonfirmasi petugas": "Confirmed by staff",
    "Belum dikonfirmasi (saran otomatis)": "Not confirmed yet (automatic suggestion)",
    "Tenggat verifikasi": "Verification deadline",
    "Tenggat jawaban": "Answer deadline",
    "Tutup otomatis": "Closes automatically",
    "Identitas": "Identity",
    "Pelapor": "Reporter",
    "Mungkin sama dengan": "Possibly the same as",
    "aduan lain dari pelapor yang sama": "another complaint of the same reporter",
    "Rencana tindak lanjut": "Follow-up plan",
    "Rencana tindak lanjut (RTL)": "Follow-up plan (RTL)",
    "Penanggung jawab": "Owner",
    "Batas waktu": "Due date",
    "Riwayat": "History",
    "Tindakan": "Actions",
    "Tidak ada tindakan yang dapat Anda lakukan pada status ini.": (
        "There is nothing you can do in this status."
    ),
    "Verifikasi (triase)": "Verification (triage)",
    "Saran otomatis": "Automatic suggestion",
    "Segera (perlu jawaban hari ini; Kepala Puskesmas diberi tahu)": (
        "Urgent (needs an answer today; the head is notified)"
    ),
    "Konfirmasi verifikasi": "Confirm verification",
    "Tugaskan petugas": "Assign",
    "Tugaskan": "Assign",
    "satu per baris": "one per line",
    "Dibuat oleh": "Made by",
    "Simpan rencana": "Save plan",
    "Mulai tindak lanjut": "Start follow-up",
    "Tandai bahwa rencana tindak lanjut sedang dikerjakan.": (
        "Mark the follow-up plan as being carried out."
    ),
    "Jawab pelapor": "Answer the reporter",
    "dikirim lewat kanal aduan atau papan tanggapan": (
        "sent over the complaint's channel or the response board"
    ),
    "Kirim jawaban": "Send answer",
    "Tampilkan di papan tanggapan": "Show on the response board",
    "tanpa nama, nomor HP dan email": "without name, mobile number and e-mail",
    "Jawaban aduan anonim dan kotak saran selalu ditampilkan di papan tanggapan, tanpa "
    "identitas.": (
        "Answers to anonymous and suggestion-box complaints are always shown on the response "
        "board, without identities."
    ),
    "Minta keterangan pelapor": "Ask the reporter",
    "Pertanyaan untuk pelapor": "Question for the reporter",
    "Kirim pertanyaan": "Send question",
    "Teruskan ke Kepala Puskesmas": "Escalate to the head",
    "Teruskan": "Escalate",
    "Tutup aduan": "Close complaint",
    "Pelapor puas": "Reporter satisfied",
    "Tidak diketahui": "Unknown",
    "Ya": "Yes",
    "Tidak": "No",
    "wajib bila masih menunggu pelapor": "required while waiting for the reporter",
    "Buka kembali": "Reopen",
    "Tolak (bukan aduan / spam)": "Reject (not feedback / spam)",
    "Tolak": "Reject",
    "Aduan sudah diubah oleh pengguna lain. Periksa keadaan terbaru lalu ulangi.": (
        "Someone else changed this complaint. Check its current state and try again."
    ),
    "Muat ulang halaman lalu ulangi": "Reload the page and try again",
    "Versi": "Version",
    # History steps
    "Penugasan": "Assignment",
    "Mulai ditindaklanjuti": "Follow-up started",
    "Diteruskan ke Kepala Puskesmas": "Escalated to the head",
    "Meminta keterangan pelapor": "Asked the reporter",
    "Pelapor menjawab": "Reporter answered",
    "Pesan pelapor": "Reporter's message",
    "Ditutup": "Closed",
    "Ditutup otomatis": "Closed automatically",
    "Tenggat terlewat": "Deadline missed",
    "Penilaian pelapor": "Reporter's rating",
    # Users
    "Log audit": "Audit log",
    "Peran": "Role",
    "Aktif": "Active",
    "Nonaktif": "Inactive",
    "Tambah pengguna": "Add user",
    "Pilih peran": "Choose a role",
    "kosongkan untuk peran dinas/admin": "leave empty for district/admin roles",
    "hanya untuk peran unit terkait": "only for the unit role",
    "Kata sandi awal": "Initial password",
    "minimal 10 karakter": "at least 10 characters",
    "Ulangi kata sandi": "Repeat the password",
    "Kedua kata sandi tidak sama": "The two passwords differ",
    "Huruf kecil, angka, titik, minus atau garis bawah; 3–40 karakter": (
        "Lower-case letters, digits, dots, hyphens or underscores; 3–40 characters"
    ),
    "Nomor HP tidak valid. Contoh: +6281234567890": (
        "Invalid mobile number. Example: +6281234567890"
    ),
    "Kabupaten": "District",
    "Kata sandi terakhir diubah": "Password last changed",
    "Ubah peran": "Change role",
    "Simpan peran": "Save role",
    "Status akun": "Account status",
    "Pengguna nonaktif tidak dapat masuk; sesinya diakhiri.": (
        "An inactive user cannot sign in; their sessions end."
    ),
    "Nonaktifkan": "Deactivate",
    "Aktifkan kembali": "Activate again",
    "Atur ulang kata sandi": "Reset password",
    "Untuk pengguna yang lupa kata sandinya. Semua sesinya diakhiri; sampaikan kata sandi "
    "baru secara langsung.": (
        "For a user who forgot their password. All their sessions end; hand over the new "
        "password in person."
    ),
    "Kata sandi baru": "New password",
    "Ganti kata sandi": "Change password",
    "Kata sandi lama": "Current password",
    "Ulangi kata sandi baru": "Repeat the new password",
    "Setelah diganti, semua sesi Anda berakhir dan Anda masuk lagi dengan kata sandi baru.": (
        "Once changed, all your sessions end and you sign in again with the new password."
    ),
    "Kata sandi diganti. Silakan masuk dengan kata sandi baru.": (
        "Password changed. Sign in with the new password."
    ),
    "Kata sandi lama salah": "The current password is wrong",
    "Kata sandi baru harus berbeda": "The new password must be different",
    "Simpan kata sandi baru": "Save new password",
    "Ini akun Anda sendiri: peran, status dan kata sandinya tidak diubah di sini.": (
        "This is your own account: its role, status and password are not changed here."
    ),
    "Pengguna dibuat.": "User created.",
    "Peran disimpan. Sesi pengguna itu diakhiri.": "Role saved. That user's sessions ended.",
    "Status akun disimpan.": "Account status saved.",
    "Kata sandi baru disimpan. Semua sesi pengguna itu diakhiri.": (
        "New password saved. All of that user's sessions ended."
    ),
    # Alert preferences
    "Preferensi pemberitahuan": "Alert preferences",
    "Atur cara SIGAP memberi tahu Anda tentang aduan baru, aduan yang diteruskan ke unit "
    "Anda, eskalasi dan tenggat terlewat.": (
        "Choose how SIGAP tells you about new complaints, complaints routed to your unit, "
        "escalations and missed deadlines."
    ),
    "Kirim pemberitahuan aduan lewat": "Send complaint alerts by",
    "Tanpa pilihan, tidak ada pemberitahuan yang dikirim.": (
        "With nothing ticked, no alert is sent."
    ),
    "Ringkasan harian": "Daily digest",
    "Satu pesan sehari berisi semua pemberitahuan; aduan segera, eskalasi dan tenggat "
    "terlewat tetap dikirim saat itu juga.": (
        "One message a day with every alert; urgent complaints, escalations and missed "
        "deadlines are still sent at once."
    ),
    "Nomor HP (WhatsApp)": "Mobile number (WhatsApp)",
    "Simpan preferensi": "Save preferences",
    "Preferensi pemberitahuan disimpan.": "Alert preferences saved.",
    "Pemberitahuan": "Alerts",
    "Ubah pemberitahuan": "Change alerts",
    "Pemberitahuan lewat email memerlukan alamat email": "E-mail alerts need an e-mail address",
    "Pemberitahuan lewat WhatsApp memerlukan nomor HP": "WhatsApp alerts need a mobile number",
    # Audit log
    "Kejadian": "Event",
    "Waktu": "Time",
    "Oleh": "By",
    "Sasaran": "Target",
    "Keterangan": "Details",
    "aduan": "complaint",
    "Belum ada catatan.": "No entries yet.",
    "Lebih lama": "Older",
    "Gagal masuk": "Sign-in failed",
    "Masuk ditahan (terlalu banyak percobaan)": "Sign-in held (too many attempts)",
    "Kata sandi diubah": "Password changed",
    "Kata sandi diatur ulang": "Password reset",
    "Pengguna dibuat": "User created",
    "Data pengguna diubah": "User details changed",
    "Peran diubah": "Role changed",
    "Pengguna dinonaktifkan": "User deactivated",
    "Pengguna diaktifkan": "User activated",
    "Identitas pelapor dilihat": "Reporter identity viewed",
    "Kabupaten disimpan": "District saved",
    "Puskesmas disimpan": "Health centre saved",
}
MESSAGES: Final[dict[str, dict[str, str]]] = {"en": _EN}
