"""Automatic triage suggestion for Indonesian complaint text.

Suggests a category, the unit concerned and whether the complaint needs an immediate
answer (SOP: "segera"). A person confirms the suggestion. Lexicons are written in plain
Indonesian and compiled through the same normalise-and-stem pipeline as the complaint,
so "tidak dipanggil" in a lexicon matches "gk dipanggil2" in a chat message.

Scoring: each lexicon term (one word or a short phrase, matched on stems, allowing one
extra word between phrase words) adds its weight once. The highest score wins; a tie goes
to the label mentioned first. Confidence grows with the winning score and with its margin
over the runner-up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from types import MappingProxyType

from services.triage.domain.text_normalize import tokenize

FALLBACK = "lainnya"
MIN_EVIDENCE = 1.0  # below this a category suggestion is not worth making
URGENT_THRESHOLD = 1.0  # sum of urgency weights that makes a complaint urgent
EXTRA_UNIT_WEIGHT = 5.0  # above every built-in unit term: the clinic knows its own units
_NEGATIONS = frozenset({"tidak", "belum", "bukan", "jangan"})

Lexicon = Mapping[str, Sequence[tuple[float, str]]]  # label -> (weight, phrase) pairs


def parse_lexicon(table: str) -> dict[str, list[tuple[float, str]]]:
    """Read ``[label]`` headings followed by ``weight: phrase, phrase`` lines."""
    lexicon: dict[str, list[tuple[float, str]]] = {}
    label = ""
    for line in table.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            label = line[1:-1]
            lexicon.setdefault(label, [])
        elif line:
            weight, _, phrases = line.partition(":")
            lexicon[label].extend((float(weight), p) for p in phrases.split(",") if p.strip())
    return lexicon


CATEGORY_LEXICON: Lexicon = parse_lexicon("""
    [waktu_tunggu]
    3: antri lama, tunggu lama, lama tunggu, lama antri, belum dipanggil, tidak dipanggil
    3: berjam jam, # jam, waktu tunggu, terlalu lama, kelamaan, molor, ngaret, baru buka
    3: dokter belum datang, dokter terlambat, tunggu giliran, lama sekali
    2: antrian, menunggu, lambat, terlambat, giliran, lama
    1: dipanggil, menit, pagi, siang, sore, cepat, datang, sampai
    [sikap_petugas]
    3: tidak ramah, kurang ramah, tidak sopan, kurang sopan, tidak senyum, tidak peduli, main hp
    3: jutek, judes, ketus, galak, membentak, kasar, sinis, cuek, diabaikan, acuh, marah, sombong
    3: nada tinggi, muka masam, cemberut, merendahkan, menghina, tersinggung, seenaknya, semaunya
    3: pilih kasih, dibedakan, mengobrol, bergosip, ngerumpi, berteriak, mengusir, disindir
    3: nyolot, ngegas, mengomel, melotot, sikap, perilaku, ramah, sopan, senyum, sabar, sigap
    3: tanggap, santun, cekatan
    1.5: petugas, perawat, pegawai, nakes, satpam, merokok, tidur, malas, bicara, membantu
    0.5: bidan, melayani
    [kebersihan_sarana]
    3: kotor, bau, pesing, sampah, toilet, kamar mandi, jorok, kumuh, bersih, berantakan, nyamuk
    3: kecoa, tikus, debu, lumut, genangan, banjir, bocor, rusak, tidak terawat, air mati
    3: tidak ada air, air tidak mengalir, keran, wastafel, sabun, kloset, tisu, ruang tunggu
    3: kursi roda, kursi, tempat tidur, kasur, parkir, ac, kipas, pengap, sempit, lampu, listrik
    3: gelap, sarana, fasilitas, gedung, atap, plafon, licin, tangga, wifi, mushola, musala
    3: nyaman
    1.5: air, ruang, lantai, tempat, dinding, kamar, duduk, berdiri, panas, halaman, pintu
    1.5: jendela
    [obat_farmasi]
    3: obat, apotek, apoteker, farmasi, resep, racik, puyer, sirup, tablet, kapsul, salep
    3: antibiotik, paracetamol, parasetamol, amoxicillin, amoksisilin, insulin, metformin
    3: amlodipin, captopril, ibuprofen, antasida, oralit, tablet tambah darah, dosis, stok
    3: kadaluarsa, etiket, aturan minum, aturan pakai, beli di luar, generik, minum obat
    3: efek samping
    1.5: pil, vitamin, diminum, habis, kosong, tetes
    [biaya_administrasi]
    3: bpjs, kis, jkn, askes, jamkesda, kartu indonesia sehat, mobile jkn, faskes, sktm, rujukan
    3: dirujuk, persyaratan, ktp, kartu keluarga, fotokopi, fotocopy, legalisir, biaya, bayar
    3: tarif, mahal, gratis, pungli, pungutan, uang, rupiah, ribu, kwitansi, administrasi, berkas
    3: surat keterangan, surat sehat, tidak aktif, nonaktif, iuran, tunggakan, denda, pasien umum
    3: klaim, berbelit, dipersulit, asuransi, kasir
    1.5: kartu, surat, prosedur, urus, lengkap, rumah sakit, data, nik, kk, ribet
    [pelayanan_medis]
    3: salah diagnosa, diagnosa, diagnosis, tidak diperiksa, diperiksa, tindakan, penanganan
    3: malpraktik, malpraktek, tidak sembuh, makin parah, tambah parah, asal asalan, buru buru
    3: suntik, infus, jahit, tensi, stetoskop, konsultasi, imunisasi, vaksin, cabut, tambal
    3: persalinan, melahirkan, usg, perawatan, dokter jaga, penyakit, gejala, kontrol, terapi
    3: tidak ada dokter, keluhan saya
    2: dokter, sembuh, luka, pengobatan, diobati, kb, rawat, gigi, sampel, jarum, tusuk, cek darah
    2: ambil darah, hasil laboratorium, pemeriksaan
    1.5: ugd, gawat darurat, pingsan, kejang, sesak, pendarahan, ditangani
    1: sakit, demam, batuk, pilek, nyeri, bidan, hamil, bayi, periksa
    [informasi]
    3: informasi, jadwal, jam buka, jam pelayanan, jam praktek, pengumuman, beritahu, petunjuk
    3: papan informasi, penunjuk arah, denah, alur, sosialisasi, brosur, penjelasan
    3: tidak dijelaskan, website, instagram, media sosial, nomor telepon, whatsapp, tidak diangkat
    3: mau tanya, ingin tanya, apakah, kapan, bagaimana cara, libur, tutup
    1.5: tanya, caranya, dimana, berapa, buka, telepon, arah, tidak jelas, ?
    [lainnya]
    3: fogging, penyuluhan, senam, helm, dompet, pencurian, dicuri, kantin, pedagang, lowongan
    3: magang
    1.5: terima kasih, sukses, posyandu, kader, kegiatan, program, desa, warga, motor
    0.5: semoga, mantap, hebat
""")

UNIT_LEXICON: Lexicon = parse_lexicon("""
    [pendaftaran]
    3: pendaftaran, loket, registrasi, nomor antrian, kartu berobat, rekam medis, kasir
    3: administrasi, online, aplikasi
    1.5: berkas, antrian, bpjs, ktp, kk, kartu, persyaratan, surat keterangan, dipanggil, rujukan
    1.5: bayar, pasien umum, mobile jkn
    [poli_umum]
    4: poli umum, balai pengobatan, bp umum
    2: dokter, tensi, ruang periksa, diagnosa, hipertensi, lansia, diperiksa
    1: perawat, periksa, demam, batuk, pilek, sakit kepala, diabetes, kontrol, konsultasi, umum
    1: luka
    [poli_gigi]
    4: gigi, dokter gigi, gusi, tambal, karang gigi, behel, geraham, scaling
    2: cabut, mulut, saraf
    [kia_kb]
    4: kia, kb, bidan, ibu hamil, kehamilan, hamil, imunisasi, persalinan, melahirkan, nifas
    4: implan, iud, spiral, kontrasepsi, susuk, buku kia, tumbuh kembang, mtbs, ketuban, kandungan
    4: balita, bayi
    2: vaksin, usg, posyandu, timbang, menyusui, asi, kontraksi
    1: anak
    [farmasi]
    4: apotek, farmasi, apoteker, obat
    2: resep, aturan minum, aturan pakai, insulin, amoxicillin, racik, puyer, sirup, salep, tablet
    2: kapsul, antibiotik, paracetamol, vitamin, kadaluarsa, dosis, etiket, pil
    [laboratorium]
    4: laboratorium, cek darah, tes darah, periksa darah, ambil darah, sampel, dahak, gula darah
    4: kolesterol, asam urat, hemoglobin, hb, reagen, swab, analis, urine, urin
    2: gula, darah, tes, hasil, jarum, tusuk, kencing, rapid, cek
    [ugd]
    4: ugd, gawat darurat, darurat, kecelakaan, ambulans, tengah malam, dokter jaga, perawat jaga
    2: malam, dini hari, jahit, pingsan, kejang, patah, digigit, keracunan, tidak sadar
    2: rawat inap, infus, sesak
    1: luka, jaga, ditolak, jatuh, pendarahan
    [lainnya]
    2.5: parkir, satpam, mushola, musala, kantin, halaman, gedung, website, toilet, kamar mandi
    2.5: ruang tunggu
""")

# The contract's label sets, in the order of the lexicon headings above.
CATEGORIES: tuple[str, ...] = tuple(CATEGORY_LEXICON)
UNITS: tuple[str, ...] = tuple(UNIT_LEXICON)

# Danger to a patient: 1 alone makes a complaint urgent, weaker signs must add up.
URGENCY_LEXICON: Lexicon = parse_lexicon("""
    [urgent]
    1: pingsan, kejang, sesak, sesak napas, tidak bisa napas, susah napas, sulit napas, pendarahan
    1: darah banyak, muntah darah, tidak sadar, syok, sekarat, kritis, meninggal, salah obat
    1: obat salah, obat tertukar, tertukar obat, salah suntik, jarum bekas, keracunan, overdosis
    1: alergi parah, demam tinggi, panas tinggi, bayi demam, bayi panas, bayi biru, ketuban pecah
    1: mau melahirkan, kontraksi, ditolak ugd, nyawa, bunuh diri, kebakaran, korsleting, kesetrum
    1: pelecehan, kekerasan, dipukul
    0.5: bahaya, berbahaya, membahayakan, alergi, bengkak, gawat, darurat, ditolak, parah, jatuh
    0.5: kadaluarsa, ruam, lemas, muntah, mimisan, kecelakaan, patah, terlantar, dibiarkan, biru
    0.25: ugd, bayi, balita, segera, sekarang, luka, gatal, diare, berdarah
""")


@dataclass(frozen=True)
class Classification:
    """A triage suggestion: category, unit, urgency and how sure the category is.

    ``scores`` holds the raw category scores, for showing why a category was suggested.
    """

    category: str
    unit: str
    urgent: bool
    confidence: float
    scores: Mapping[str, float] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class _Term:
    label: str
    stems: tuple[str, ...]
    weight: float


@dataclass
class _Tally:
    scores: dict[str, float] = field(default_factory=dict)
    first_seen: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, weight: float, position: int) -> None:
        self.scores[label] = self.scores.get(label, 0.0) + weight
        self.first_seen[label] = min(position, self.first_seen.get(label, position))

    def ranked(self) -> list[tuple[str, float]]:
        """Labels by score, then by earliest mention."""
        order = sorted(self.scores, key=lambda lb: (-self.scores[lb], self.first_seen[lb]))
        return [(label, self.scores[label]) for label in order]


def _compile(lexicon: Lexicon) -> tuple[_Term, ...]:
    """Stem every phrase; a phrase listed twice for a label keeps its higher weight."""
    best: dict[tuple[str, tuple[str, ...]], float] = {}
    for label, entries in lexicon.items():
        for weight, phrase in entries:
            stems = tuple(tokenize(phrase))
            if stems:
                key = (label, stems)
                best[key] = max(weight, best.get(key, 0.0))
    return tuple(_Term(label, stems, weight) for (label, stems), weight in best.items())


_LEXICONS: Mapping[str, Lexicon] = {
    "category": CATEGORY_LEXICON,
    "unit": UNIT_LEXICON,
    "urgency": URGENCY_LEXICON,
}


@cache
def _terms(kind: str) -> tuple[_Term, ...]:
    """A lexicon compiled to stems, once per process (Sastrawi is slow)."""
    return _compile(_LEXICONS[kind])


@lru_cache(maxsize=256)
def _extra_unit_terms(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[_Term, ...]:
    return _compile({code: [(EXTRA_UNIT_WEIGHT, word) for word in words] for code, words in extra})


def _find(stems: Sequence[str], starts: Mapping[str, list[int]], term: _Term) -> int | None:
    """Position where the term starts, allowing one extra word between its words."""
    for start in starts.get(term.stems[0], ()):
        position = start
        for wanted in term.stems[1:]:
            window = stems[position + 1 : position + 3]
            if wanted not in window:
                break
            position += 1 + window.index(wanted)
        else:
            return start
    return None


def _tally(stems: Sequence[str], terms: Sequence[_Term], *, negatable: bool = False) -> _Tally:
    starts: dict[str, list[int]] = {}
    for index, word in enumerate(stems):
        starts.setdefault(word, []).append(index)
    tally = _Tally()
    for term in terms:
        found = _find(stems, starts, term)
        if found is None:
            continue
        if negatable and _NEGATIONS.intersection(stems[max(0, found - 2) : found]):
            continue  # "tidak sampai pingsan" is not an emergency
        tally.add(term.label, term.weight, found)
    return tally


def _confidence(ranked: Sequence[tuple[str, float]]) -> float:
    """Strength of the winning score (0 -> 1) scaled by its share of the margin (0.5 -> 1)."""
    top = ranked[0][1]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    strength = 1.0 - math.exp(-top / 3.0)
    margin = (top - second) / top
    return round(strength * (0.5 + 0.5 * margin), 3)


# Where a complaint of a category usually lands when the text names no unit.
_UNIT_PRIOR: Mapping[str, tuple[str, float]] = {
    "obat_farmasi": ("farmasi", 2.0),
    "biaya_administrasi": ("pendaftaran", 1.0),
    "waktu_tunggu": ("pendaftaran", 0.75),
    "pelayanan_medis": ("poli_umum", 0.75),
    "kebersihan_sarana": ("lainnya", 1.5),
    "informasi": ("lainnya", 0.5),
    "lainnya": ("lainnya", 0.5),
}


def _choose_unit(stems: Sequence[str], category: str, extra: tuple[_Term, ...]) -> str:
    tally = _tally(stems, (*_terms("unit"), *extra))
    prior = _UNIT_PRIOR.get(category)
    if prior is not None:
        tally.add(prior[0], prior[1], len(stems))
    ranked = tally.ranked()
    return ranked[0][0] if ranked else FALLBACK


def _freeze_extra(extra: Mapping[str, Sequence[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A hashable copy of a clinic's extra units (a bare string is one keyword)."""
    if any(not code.strip() for code in extra):
        raise ValueError("extra unit code must not be empty")
    frozen = {code: (kw,) if isinstance(kw, str) else tuple(kw) for code, kw in extra.items()}
    return tuple(sorted(frozen.items()))


def classify(text: str, extra_units: Mapping[str, Sequence[str]] | None = None) -> Classification:
    """Suggest category, unit and urgency for one complaint text.

    ``extra_units`` maps a clinic's own unit codes to keywords (e.g. ``{"poli_tb":
    ["tbc", "batuk lama", "dahak"]}``); a code that is already a standard unit adds
    keywords to it.
    """
    stems = tokenize(text)
    category_tally = _tally(stems, _terms("category"))
    ranked = [(lb, s) for lb, s in category_tally.ranked() if s >= MIN_EVIDENCE]
    category = ranked[0][0] if ranked else FALLBACK
    confidence = _confidence(ranked) if ranked else 0.0
    unit = _choose_unit(stems, category, _extra_unit_terms(_freeze_extra(extra_units or {})))
    urgency = sum(_tally(stems, _terms("urgency"), negatable=True).scores.values())
    return Classification(
        category=category,
        unit=unit,
        urgent=urgency >= URGENT_THRESHOLD,
        confidence=confidence,
        scores=MappingProxyType(dict(category_tally.scores)),
    )
