"""Normalisation of Indonesian complaint text as patients write it.

Complaints arrive in chat spelling ("antrian lamaaa bgt, obat2 gk ada"). Before any
keyword can match, the text is lowercased, letters typed for emphasis are squeezed,
"2"-style reduplication is expanded, chat abbreviations are spelled out and every word is
reduced to its root with Sastrawi. Negations ("tidak", "belum", "kurang") are kept: they
carry the complaint.

Pure functions, no I/O. Sastrawi is created once and every stem is cached.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Protocol

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

NUMBER = "#"
QUESTION = "?"


def parse_word_table(table: str) -> dict[str, str]:
    """Read lines of ``target: variant variant ...`` into ``{variant: target}``.

    Entries may share a line separated by ``;``. Lines starting with ``#`` are comments.
    """
    mapping: dict[str, str] = {}
    for line in table.splitlines():
        if line.strip().startswith("#"):
            continue
        for entry in line.split(";"):
            target, _, variants = entry.partition(":")
            for variant in variants.split():
                mapping[variant] = target.strip()
    return mapping


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a text block."""
    return frozenset(text.split())


# Chat spelling and colloquial forms -> standard Indonesian (a target may be two words).
SLANG: dict[str, str] = parse_word_table("""
    # negation is kept, never dropped
    tidak: gak ga gk g nggak ngga nggk ngak enggak engga tdk tak ndak nda kagak kaga kgk
    tidak ada: gada gaada; tidak bisa: gabisa; tidak apa apa: gpp; belum: blm blum belom
    kurang: kurg krg; bukan: bkn
    # function words
    yang: yg; dengan: dgn dg; sudah: sdh udh udah dah sudh; padahal: pdhl pdhal; juga: jg jga
    karena: krn karna krna; orang: org orng; tapi: tp tpi; untuk: utk untk; sama: sm ama
    kalau: klo kalo kl; bisa: bs; lagi: lg lgi; saja: sj aja aj doang; dapat: dpt dapet
    sangat: sgt; banget: bgt bngt; banyak: bnyk byk; sekarang: skrg; kemarin: kmrn kemaren
    tanggal: tgl; jadi: jd jdi; terus: trs trus mulu; bagaimana: gmn gmna gimana bgmn
    kenapa: knp napa; tolong: tlg; mohon: mhn; saya: sy sya gw gue gua aku; dari: dr dri
    pada: pd; kepada: kpd; tentang: ttg; seperti: spt kyk kayak kaya; hanya: cm cuma cuman
    masih: msh masi; sebelum: sblm; setelah: stlh; sampai: smpe sampe nyampe ampe; sejak: sjk
    beberapa: bbrp; semua: smua; memang: emg emang mmg; benar: bener bnr; begitu: gitu gt
    begini: gini; itu: tu; ini: ni; bilang: blg; pakai: pake pk; datang: dtg; pukul: pkl
    jam: jm; menit: mnt; hari: hr; bulan: bln; tahun: thn; minggu: mgg; jangan: jgn
    tersebut: tsb; saudara: sdr; mereka: mrk; bikin: bkin; habis: abis; hilang: ilang
    cepat: cepet; lambat: lelet lemot; terlambat: telat tlat; ramai: rame; depan: dpn
    telepon: tlp telp telpon; informasi: info
    terima kasih: trims makasih makasi mksh terimakasih thx tq; uang: duit; rupiah: rp
    capek: cape; malas: males mls
    # people, places and things of a puskesmas
    dokter: dok; dokter gigi: drg; petugas: ptgs; perawat: prwt; puskesmas: pkm puskes pusk
    ibu hamil: bumil; ibu menyusui: busui; ugd: igd; darurat: emergency
    ambulans: ambulan ambulance; laboratorium: lab labor; administrasi: adm; obat: obt
    nomor: no; rumah sakit: rs rsud; kamar: kmr; ruang: rg; toilet: wc
    antri: antre antrean ngantri ngantre; kadaluarsa: expired kedaluwarsa kadaluwarsa
    napas: nafas; kejang: step; kesetrum: nyetrum setrum; tertukar: ketuker ketukar kecampur
    # Jakarta-style verbs (nasal prefix, -in suffix)
    menunggu: nunggu nungguin; bertanya: nanya nanyain; ditanya: ditanyain
    memberi: ngasih kasihin; diberi: dikasih dikasihin; mengambil: ngambil; diambil: diambilin
    mengurus: ngurus; berbicara: ngomong; mengobrol: ngobrol; merokok: ngerokok
    menyuruh: nyuruh; membentak: ngebentak bentakin nyentak; dibentak: dibentakin disentak
    cek: ngecek; dicek: dicekin; melayani: ngelayanin layanin; dilayani: dilayanin
    menolak: nolak; mencari: nyari; mengeluh: ngeluh; memarahi: marahin ngomelin
    dimarahi: dimarahin diomelin; mengomel: ngomel; mengabaikan: cuekin; diabaikan: dicuekin
    memeriksa: periksain; diperiksa: diperiksain; menjelaskan: jelasin; dijelaskan: dijelasin
    membersihkan: bersihin; dibersihkan: dibersihin; memperbaiki: benerin
    diperbaiki: dibenerin; dipanggil: dipanggilin; membeli: beliin; mengalir: ngalir
""")

# Words that carry no complaint. Negations, "ada", "lama", "kurang" are deliberately absent.
STOPWORDS: frozenset[str] = word_set(
    """
    yang di ke dari dan atau itu ini tersebut saya kami kita kamu anda dia mereka nya
    sih dong deh kok ya yah nih tuh lah pun kah loh lho mah kan saja juga akan pada
    untuk dengan karena tapi namun jadi kalau sama adalah sangat banget sekali terus
    bapak pak bu mbak mba mas dek kak min sebagai oleh bagi agar supaya bahwa secara
    nah eh wkwk wkwkwk hehe haha hmm pas seperti begitu begini memang hanya tadi
    pula the tolong mohon yth bpk sdri para si
    """
)

# Stems Sastrawi gets wrong for this domain, as ``stem: words``: it over-stems some words
# ("perawat" -> "awat", "pemerintah" -> "perintah"), and merges others onto another
# complaint's root ("pengumuman" -> "umum" as in poli umum, "berobat" -> "obat",
# "pendarahan" -> "darah" as in a blood test, "dipukul" -> "pukul" as in the time).
STEM_OVERRIDES: dict[str, str] = parse_word_table("""
    perawat: perawat; rawat: perawatan keperawatan; pemerintah: pemerintah pemerintahan
    pengumuman: pengumuman diumumkan mengumumkan
    beritahu: pemberitahuan diberitahu diberitahukan memberitahu memberitahukan
    pendarahan: pendarahan perdarahan; berdarah: berdarah; suntik: suntikan; rusak: kerusakan
    berantakan: berantakan; puas: memuaskan; layan: pelayanan; pasien: pasien
    pegawai: pegawai; ruang: ruangan; antri: antrian; kesal: kesal
    kecewa: kecewa mengecewakan; keluarga: keluarga; berobat: berobat; pengobatan: pengobatan
    obati: diobati mengobati; meninggal: meninggal; kekerasan: kekerasan; poli: poli
    dipukul: dipukul memukul; seenaknya: seenaknya; semaunya: semaunya; dibiarkan: dibiarkan
""")

_CLITICS: tuple[str, ...] = ("nya", "lah", "kah", "pun", "ku", "mu")
_KNOWN_DOUBLES: frozenset[str] = frozenset({"maaf", "saat", "taat", "keadaan"})

_DOCTOR_TITLE = re.compile(r"\bdrg\.")
_DOCTOR_ABBREV = re.compile(r"\bdr\.")
_MONEY = re.compile(r"(\d)[.,]?\s*(rb|ribu|k)\b")
_DURATION = re.compile(
    r"\b(?:se|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|setengah)"
    r"\s*(jam|menit|hari|minggu|bulan)\b"
)
_REDUPLICATION = re.compile(r"\b([a-z]{2,})2([a-z]*)\b")
_LETTER_RUN = re.compile(r"([a-z])\1{2,}")
_TOKEN = re.compile(r"[a-z]+|\d+(?:[.,]\d+)*|[?#]")


def squeeze_letters(word: str) -> str:
    """Squeeze letters typed for emphasis: "lamaaa" -> "lama", "maaaf" -> "maaf"."""
    if _LETTER_RUN.search(word):
        doubled = _LETTER_RUN.sub(r"\1\1", word)
        if doubled in _KNOWN_DOUBLES:
            return doubled
        word = _LETTER_RUN.sub(r"\1", word)
    # A doubled final letter is not Indonesian spelling ("bangett", "lamaa").
    if len(word) > 3 and word[-1] == word[-2] and word not in _KNOWN_DOUBLES:
        word = word[:-1]
    return word


def normalize(text: str) -> str:
    """Return the text in lowercase standard spelling, words separated by one space.

    Numbers become ``#`` and question marks stay as ``?``: both are evidence.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DOCTOR_TITLE.sub(" dokter gigi ", text)
    text = _DOCTOR_ABBREV.sub(" dokter ", text)
    text = _MONEY.sub(r"\1 ribu", text)
    text = _DURATION.sub(r"# \1", text)  # "sejam", "dua jam" -> "# jam"
    text = _REDUPLICATION.sub(r"\1 \1\2", text)  # "obat2nya" -> "obat obatnya"
    words: list[str] = []
    for token in _TOKEN.findall(text):
        if token[0].isdigit():
            words.append(NUMBER)
        elif token in (QUESTION, NUMBER):
            words.append(token)
        else:
            word = squeeze_letters(token)
            words.append(SLANG.get(word, word))
    return " ".join(words)


class _Stemmer(Protocol):
    def stem(self, text: str) -> str: ...


@cache
def _stemmer() -> _Stemmer:
    stemmer: _Stemmer = StemmerFactory().create_stemmer()
    return stemmer


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Root of one normalised word, honouring the override list."""
    if not word.isalpha():
        return word
    if word in STEM_OVERRIDES:
        return STEM_OVERRIDES[word]
    for clitic in _CLITICS:
        base = word[: -len(clitic)]
        if word.endswith(clitic) and base in STEM_OVERRIDES:
            return STEM_OVERRIDES[base]
    root = _stemmer().stem(word)
    if root == word and word.endswith("nya") and len(word) > 5:
        # Sastrawi leaves a word it does not know whole, clitic included ("diagnosanya").
        return stem(word[:-3])
    return root


def tokenize(text: str) -> list[str]:
    """Normalise, drop stop words and stem: the sequence the lexicons are matched on."""
    stems: list[str] = []
    for word in normalize(text).split():
        if word in STOPWORDS:
            continue
        root = stem(word)
        if root and root not in STOPWORDS:
            stems.append(root)
    return stems
