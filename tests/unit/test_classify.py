"""The automatic triage suggestion: chat spelling, stemming, negation, urgency, units."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pytest

from services.triage.domain.classify import CATEGORIES, UNITS, Classification, classify
from services.triage.domain.text_normalize import normalize, squeeze_letters, stem, tokenize

LABELLED = Path(__file__).resolve().parents[1] / "data" / "complaints_labelled.jsonl"


# --- contract ---------------------------------------------------------------------------


def test_label_sets_are_the_ones_other_services_rely_on() -> None:
    assert CATEGORIES == (
        "waktu_tunggu",
        "sikap_petugas",
        "kebersihan_sarana",
        "obat_farmasi",
        "biaya_administrasi",
        "pelayanan_medis",
        "informasi",
        "lainnya",
    )
    assert UNITS == (
        "pendaftaran",
        "poli_umum",
        "poli_gigi",
        "kia_kb",
        "farmasi",
        "laboratorium",
        "ugd",
        "lainnya",
    )


def test_classification_is_a_frozen_suggestion_with_category_unit_urgency_confidence() -> None:
    c = classify("antrian di pendaftaran lama bgt, udh 3 jam blm dipanggil")
    assert isinstance(c, Classification)
    assert (c.category, c.unit, c.urgent) == ("waktu_tunggu", "pendaftaran", False)
    assert 0.0 <= c.confidence <= 1.0
    assert c.scores["waktu_tunggu"] > 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.category = "lainnya"  # type: ignore[misc]


def test_text_without_evidence_falls_back_to_lainnya_with_zero_confidence() -> None:
    c = classify("halo min")
    assert (c.category, c.unit, c.urgent, c.confidence) == ("lainnya", "lainnya", False, 0.0)


def test_confidence_is_higher_for_a_clear_complaint_than_for_a_mixed_one() -> None:
    clear = classify("wc nya bau pesing, lantainya kotor, sampah numpuk")
    mixed = classify("obat habis, bayar 20rb, antri lama")
    assert 0.0 <= mixed.confidence < clear.confidence <= 1.0


def test_a_tie_goes_to_the_topic_mentioned_first() -> None:
    assert classify("obat bpjs").category == "obat_farmasi"
    assert classify("bpjs obat").category == "biaya_administrasi"


# --- normalisation ----------------------------------------------------------------------


def test_chat_spelling_is_normalised_before_stemming() -> None:
    assert normalize("Antrian lamaaa bgt, udh 3 jam blm dipanggil!!") == (
        "antrian lama banget sudah # jam belum dipanggil"
    )
    assert normalize("yg jaga gk ada, pdhl jg sdh dtg krn org2 nunggu") == (
        "yang jaga tidak ada padahal juga sudah datang karena orang orang menunggu"
    )


def test_letters_typed_for_emphasis_are_squeezed_but_real_double_letters_stay() -> None:
    assert squeeze_letters("lamaaa") == "lama"
    assert squeeze_letters("bangettt") == "banget"
    assert squeeze_letters("lamaa") == "lama"
    assert squeeze_letters("maaaaf") == "maaf"
    assert squeeze_letters("saat") == "saat"
    assert squeeze_letters("tunggu") == "tunggu"


def test_digit_two_reduplication_is_expanded() -> None:
    assert normalize("obat2nya") == "obat obatnya"
    assert tokenize("obat2") == ["obat", "obat"]


def test_doctor_titles_are_told_apart_from_dari() -> None:
    assert normalize("dr. Budi") == "dokter budi"
    assert normalize("drg. Sari") == "dokter gigi sari"
    assert normalize("dr rumah") == "dari rumah"


def test_durations_in_words_and_money_shorthand_are_recognised() -> None:
    assert normalize("nunggu sejam, dua jam") == "menunggu # jam # jam"
    assert normalize("bayar 50rb") == "bayar # ribu"


# --- stemming ---------------------------------------------------------------------------


def test_perawat_stays_a_nurse_word_when_stemmed() -> None:
    assert stem("perawat") == "perawat"
    assert stem("perawatnya") == "perawat"
    assert stem("pemerintah") == "pemerintah"
    assert classify("perawatnya jutek").category == "sikap_petugas"


def test_overstemmed_words_do_not_fall_onto_another_complaints_root() -> None:
    assert stem("pengumuman") != stem("umum")  # not "poli umum"
    assert stem("berobat") != stem("obat")  # seeking care is not a drug complaint
    assert stem("pendarahan") != stem("darah")  # bleeding is not a blood test
    assert stem("dipukul") != stem("pukul")  # being hit is not the time of day


def test_ordinary_inflections_share_a_root() -> None:
    assert stem("menunggu") == stem("ditunggu") == "tunggu"
    assert stem("pendaftaran") == "daftar"


def test_stems_are_cached() -> None:
    stem("pelayanannya")
    before = stem.cache_info().hits
    stem("pelayanannya")
    assert stem.cache_info().hits == before + 1


# --- negation ---------------------------------------------------------------------------


def test_negations_survive_normalisation_and_stop_words() -> None:
    stems = tokenize("petugasnya gak ramah, obat blm dikasih, kurang sopan")
    assert {"tidak", "belum", "kurang"} <= set(stems)


def test_negated_phrases_carry_the_complaint() -> None:
    assert classify("mbaknya kurang ramah sama pasien").category == "sikap_petugas"
    assert classify("air di kamar mandi gak ngalir").category == "kebersihan_sarana"
    assert classify("udh siang blm dipanggil2").category == "waktu_tunggu"


def test_a_negated_danger_word_is_not_an_emergency() -> None:
    assert not classify("anak sy demam tp tidak sampai kejang, cuma rewel").urgent


# --- urgency ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "anak sy kejang2 di ruang tunggu gak ada yg nolong",
        "ibu sy pingsan pas antri di loket",
        "bapak sy sesak napas tp disuruh antri dulu",
        "istri sy pendarahan abis lahiran, bidan gak dtg2",
        "obat sy ketuker sama pasien lain, udh diminum",
        "bayi sy demam tinggi malah ditolak di igd",
        "abis disuntik muka bengkak semua, alergi parah",
    ],
)
def test_danger_to_a_patient_is_urgent(text: str) -> None:
    assert classify(text).urgent


@pytest.mark.parametrize(
    "text",
    [
        "antrian lama bgt",
        "toilet bau pesing",
        "mohon segera diperbaiki kursi di ruang tunggu",
        "Nomor antrian saya 25 dan baru dipanggil pukul 11.30.",
        "perawatnya galak",
    ],
)
def test_an_ordinary_complaint_is_not_urgent(text: str) -> None:
    assert not classify(text).urgent


# --- units ------------------------------------------------------------------------------


def test_standard_units_are_recognised_from_chat_text() -> None:
    assert classify("petugas apotek lama ngasih obatnya").unit == "farmasi"
    assert classify("gusi sy bengkak abis tambal").unit == "poli_gigi"
    assert classify("imunisasi bayi sy ditunda trs").unit == "kia_kb"
    assert classify("hasil cek darah blm keluar").unit == "laboratorium"
    assert classify("malem2 ke igd dokter jaganya gak ada").unit == "ugd"


def test_a_clinic_specific_unit_is_chosen_when_its_keywords_appear() -> None:
    extra = {"poli_tb": ["tbc", "dahak", "batuk lama"]}
    c = classify("sdh 3 minggu batuk, dahak blm diperiksa jg", extra_units=extra)
    assert c.unit == "poli_tb"
    assert classify("sdh 3 minggu batuk, dahak blm diperiksa jg").unit != "poli_tb"


def test_extra_keywords_for_a_standard_unit_add_to_it() -> None:
    text = "dokter di poli anak jutek"
    assert classify(text).unit == "poli_umum"
    assert classify(text, extra_units={"kia_kb": ["poli anak"]}).unit == "kia_kb"


def test_extra_units_do_not_change_the_category() -> None:
    text = "petugas di ruang tb judes bgt"
    plain = classify(text)
    with_extra = classify(text, extra_units={"poli_tb": ["ruang tb"]})
    assert with_extra.category == plain.category == "sikap_petugas"
    assert with_extra.unit == "poli_tb"


def test_a_single_keyword_string_counts_as_one_keyword() -> None:
    assert classify("ruang tb kotor", extra_units={"poli_tb": "ruang tb"}).unit == "poli_tb"


def test_an_empty_extra_unit_code_is_refused() -> None:
    with pytest.raises(ValueError, match="code"):
        classify("antri lama", extra_units={" ": ["antri"]})


# --- labelled complaints ----------------------------------------------------------------


def _labelled() -> list[dict[str, object]]:
    with LABELLED.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def test_labelled_set_is_large_varied_and_well_formed() -> None:
    rows = _labelled()
    assert len(rows) >= 240
    assert all(set(row) == {"text", "category", "unit", "urgent"} for row in rows)
    categories = Counter(row["category"] for row in rows)
    units = Counter(row["unit"] for row in rows)
    assert set(categories) == set(CATEGORIES) and min(categories.values()) >= 15
    assert set(units) == set(UNITS) and min(units.values()) >= 15
    urgent_share = sum(bool(row["urgent"]) for row in rows) / len(rows)
    assert 0.07 <= urgent_share <= 0.15
    assert len({row["text"] for row in rows}) == len(rows)


def test_labelled_complaints_are_classified_with_useful_accuracy() -> None:
    rows = _labelled()
    results = [(row, classify(str(row["text"]))) for row in rows]
    category = sum(c.category == row["category"] for row, c in results) / len(rows)
    unit = sum(c.unit == row["unit"] for row, c in results) / len(rows)
    flagged = [row["urgent"] for row, c in results if c.urgent]
    actual = [c.urgent for row, c in results if row["urgent"]]
    precision = sum(bool(u) for u in flagged) / max(1, len(flagged))
    recall = sum(actual) / max(1, len(actual))
    report = (
        f"n={len(rows)} category accuracy={category:.3f} unit accuracy={unit:.3f} "
        f"urgent precision={precision:.3f} recall={recall:.3f}"
    )
    print(f"\n{report}")
    assert category >= 0.80, report
    assert unit >= 0.84, report
    assert precision >= 0.90, report
    assert recall >= 0.85, report
