"""The satisfaction index (IKM) as PermenPAN-RB 14/2017 and SPEC §4 define it."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.reporting.domain.ikm import (
    ELEMENT_CODES,
    ELEMENT_WEIGHT,
    ELEMENTS,
    Grade,
    IkmTally,
    SurveyAnswerError,
    compute_ikm,
    element_grade,
    ikm_grade,
    required_sample,
)


def all_answered(value: int) -> dict[str, int]:
    return dict.fromkeys(ELEMENT_CODES, value)


def tally_of_total(respondents: int, total: int) -> IkmTally:
    """All respondents answer all nine elements; the answers add up to ``total``.

    Then Σ NRR = total / respondents and IKM = 25 × total / (9 × respondents), however the total is
    spread over the elements.
    """
    base, extra = divmod(total, len(ELEMENT_CODES))
    data = {"respondents": respondents}
    for i, code in enumerate(ELEMENT_CODES):
        data[f"{code}_sum"] = base + (1 if i < extra else 0)
        data[f"{code}_count"] = respondents
    return IkmTally.from_dict(data)


# Ten respondents, columns U1..U9. Column sums: 32 30 27 38 31 33 35 26 29.
TEN_RESPONDENTS = [
    [4, 3, 3, 4, 3, 3, 4, 2, 3],
    [4, 3, 3, 4, 3, 3, 4, 3, 3],
    [3, 3, 3, 4, 4, 3, 4, 3, 3],
    [3, 3, 2, 4, 3, 3, 3, 3, 2],
    [3, 3, 2, 4, 3, 3, 3, 3, 3],
    [3, 3, 2, 4, 3, 4, 3, 3, 3],
    [3, 3, 3, 4, 3, 4, 3, 3, 3],
    [3, 3, 3, 3, 3, 4, 3, 2, 3],
    [3, 3, 3, 3, 3, 3, 4, 2, 3],
    [3, 3, 3, 4, 3, 3, 4, 2, 3],
]


def test_elements_are_the_nine_of_the_regulation_in_order() -> None:
    assert [e.code for e in ELEMENTS] == [f"U{i}" for i in range(1, 10)]
    assert ELEMENTS[3].name == "Biaya/Tarif"
    assert ELEMENTS[7].name == "Penanganan Pengaduan, Saran dan Masukan"
    assert ELEMENT_WEIGHT * 9 == 1 and isinstance(ELEMENT_WEIGHT, Fraction)


def test_all_four_scores_exactly_100_grade_a() -> None:
    # NRR = 4 for every element; IKM = 25 × 9 × 4 / 9 = 100 (with 0.111 it would be 99.90).
    result = compute_ikm(IkmTally.of([all_answered(4)] * 7))
    assert result.ikm == Decimal("100.00") and str(result.ikm) == "100.00"
    assert result.ikm_exact == 100
    assert (result.grade, result.label) == (Grade.A, "Sangat Baik")
    assert result.respondents == 7 and result.complete


def test_all_one_scores_25_grade_d() -> None:
    # NRR = 1 for every element; IKM = 25 × 9 × 1 / 9 = 25.
    result = compute_ikm(IkmTally.of([all_answered(1)] * 3))
    assert str(result.ikm) == "25.00"
    assert (result.grade, result.label) == (Grade.D, "Tidak Baik")


def test_ten_respondents_worked_example() -> None:
    # NRR = column sum / 10: U1 3.2, U2 3.0, U3 2.7, U4 3.8, U5 3.1, U6 3.3, U7 3.5, U8 2.6, U9 2.9
    # Σ NRR = 28.1; IKM = 25 × 28.1 / 9 = 702.5 / 9 = 78.0555… → 78.06, B "Baik" (76.61–88.30).
    # Element grades: U4 3.8 ≥ 3.5324 A; U1, U5, U6, U7 in 3.0644–3.532 B (3.5 < 3.5324);
    # U2 3.0, U3 2.7, U8 2.6 (exactly the C floor), U9 2.9 C.
    surveys = [dict(zip(ELEMENT_CODES, row, strict=True)) for row in TEN_RESPONDENTS]
    result = compute_ikm(IkmTally.of(surveys))
    assert result.ikm_exact == Fraction(7025, 90)
    assert result.ikm == Decimal("78.06")
    assert (result.grade, result.label) == (Grade.B, "Baik")
    assert [str(e.nrr) for e in result.elements] == [
        "3.20", "3.00", "2.70", "3.80", "3.10", "3.30", "3.50", "2.60", "2.90",
    ]  # fmt: skip
    assert "".join(e.grade or "-" for e in result.elements) == "BCCABBBCC"
    assert [e.code for e in result.priorities] == [
        "U8", "U3", "U9", "U2", "U5", "U1", "U6", "U7", "U4",
    ]  # fmt: skip
    assert result.priorities[0].name == "Penanganan Pengaduan, Saran dan Masukan"


def test_ikm_rounds_half_up_not_half_even() -> None:
    # 8 respondents; U1 answers 3 + 7 × 2 = 17 → NRR 2.125; U2..U9 all 1 → NRR 1.
    # Σ NRR = 10.125; IKM = 25 × 10.125 / 9 = 28.125 exactly → 28.13 (half even would give 28.12).
    surveys = [all_answered(1) | {"U1": 3}] + [all_answered(1) | {"U1": 2}] * 7
    result = compute_ikm(IkmTally.of(surveys))
    assert result.ikm_exact == Fraction("28.125")
    assert str(result.ikm) == "28.13"
    assert str(result.elements[0].nrr) == "2.13"  # NRR 2.125 shown half up too


@pytest.mark.parametrize(
    ("respondents", "total", "shown", "grade"),
    [
        (24, 763, "88.31", Grade.A),  # 25 × 763 / 216 = 88.3101…
        (19, 604, "88.30", Grade.B),  # 25 × 604 / 171 = 88.3040…
        (19, 524, "76.61", Grade.B),  # 25 × 524 / 171 = 76.6081…
        (26, 717, "76.60", Grade.C),  # 25 × 717 / 234 = 76.6025…
        (5, 117, "65.00", Grade.C),  # 25 × 117 / 45 = 65 exactly
        (38, 889, "64.99", Grade.D),  # 25 × 889 / 342 = 64.9853…
    ],
)
def test_grade_boundaries_on_the_two_decimal_ikm(
    respondents: int, total: int, shown: str, grade: Grade
) -> None:
    result = compute_ikm(tally_of_total(respondents, total))
    assert str(result.ikm) == shown
    assert result.grade == grade


@pytest.mark.parametrize(
    ("ikm", "grade"),
    [("100.00", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
     ("65.00", "C"), ("64.99", "D"), ("25.00", "D")],
)  # fmt: skip
def test_ikm_grade_table(ikm: str, grade: str) -> None:
    assert ikm_grade(Decimal(ikm)) == grade


@pytest.mark.parametrize("ikm", ["88.305", "24.99", "100.01"])
def test_ikm_grade_refuses_unrounded_or_out_of_range_values(ikm: str) -> None:
    with pytest.raises(ValueError, match="2-decimal"):
        ikm_grade(Decimal(ikm))


@pytest.mark.parametrize(
    ("nrr", "grade"),
    [
        ("4", "A"), ("3.5324", "A"),
        ("3.5322", "B"),  # in the gap 3.532–3.5324: takes the band below
        ("3.532", "B"), ("3.0644", "B"),
        ("3.0642", "C"),  # gap 3.064–3.0644
        ("3.064", "C"), ("2.60", "C"),
        ("2.5998", "D"),  # gap 2.5996–2.60
        ("2.5996", "D"), ("1", "D"),
    ],
)  # fmt: skip
def test_element_grade_bands_and_gaps(nrr: str, grade: str) -> None:
    assert element_grade(Fraction(nrr)) == grade


def test_element_band_boundary_reached_from_real_counts() -> None:
    # 10,000 respondents answering U1 with a sum of 35,324 → NRR exactly 3.5324 → A;
    # one answer less → 3.5323, shown 3.53 like the A but graded B.
    def u1_grade(total: int) -> tuple[str, Grade | None]:
        data = tally_of_total(10_000, 270_000).to_dict() | {"U1_sum": total}
        u1 = compute_ikm(IkmTally.from_dict(data)).elements[0]
        return str(u1.nrr), u1.grade

    assert u1_grade(35_324) == ("3.53", Grade.A)
    assert u1_grade(35_323) == ("3.53", Grade.B)


def test_district_tally_is_the_merge_not_the_mean_of_clinic_ikms() -> None:
    # Clinic A: 10 respondents all 4 → IKM 100. Clinic B: 30 respondents all 2 → IKM 50.
    # Mean of the two IKMs = 75.00 (C). All 40 respondents: NRR = (10×4 + 30×2)/40 = 2.5 for every
    # element → IKM = 25 × 2.5 = 62.50 (D).
    clinic_a = IkmTally.of([all_answered(4)] * 10)
    clinic_b = IkmTally.of([all_answered(2)] * 30)
    district = clinic_a + clinic_b
    assert district == IkmTally.of([all_answered(4)] * 10 + [all_answered(2)] * 30)
    assert district == clinic_a.merge(clinic_b) == sum([clinic_a, clinic_b], IkmTally())
    assert str(compute_ikm(district).ikm) == "62.50"
    assert compute_ikm(district).grade == Grade.D
    mean = (compute_ikm(clinic_a).ikm + compute_ikm(clinic_b).ikm) / 2
    assert mean == Decimal("75") != compute_ikm(district).ikm
    assert clinic_a.respondents == 10  # operands unchanged


def test_unanswered_element_is_left_out_and_flagged_incomplete() -> None:
    # Nobody answers U4 (Biaya/Tarif). Two respondents: all others 4 and 3 → NRR 3.5 each.
    # IKM = 25 × (8 × 3.5) / 8 = 87.50 with weights 1/8 among the answered (not 77.78 from 1/9).
    surveys = [
        {c: 4 for c in ELEMENT_CODES if c != "U4"},
        {c: 3 for c in ELEMENT_CODES if c != "U4"},
    ]
    result = compute_ikm(IkmTally.of(surveys))
    assert not result.complete
    assert str(result.ikm) == "87.50"
    u4 = result.elements[3]
    assert (u4.code, u4.answered, u4.nrr, u4.nrr_exact, u4.grade) == ("U4", 0, None, None, None)
    assert "U4" not in [e.code for e in result.priorities]


def test_element_answered_by_fewer_respondents_uses_its_own_count() -> None:
    # Respondent 1 answers all with 4; respondent 2 answers only U1 with 2.
    # NRR U1 = 6/2 = 3; others 4/1 = 4. IKM = 25 × (3 + 8 × 4) / 9 = 875/9 = 97.22.
    tally = IkmTally.of([all_answered(4), {"U1": 2}])
    assert (tally.respondents, tally.answered("U1"), tally.answered("U2")) == (2, 2, 1)
    result = compute_ikm(tally)
    assert result.complete and str(result.ikm) == "97.22"


def test_empty_tally_has_no_ikm() -> None:
    with pytest.raises(ValueError, match="no survey answers"):
        compute_ikm(IkmTally())


@pytest.mark.parametrize(
    ("answers", "element"),
    [({"U3": 5}, "U3"), ({"U1": 4, "U7": 0}, "U7"), ({"U10": 3}, "U10"), ({"U2": True}, "U2")],
)
def test_answers_outside_the_scale_are_refused_naming_the_element(
    answers: dict[str, int], element: str
) -> None:
    tally = IkmTally.of([all_answered(3)])
    with pytest.raises(SurveyAnswerError, match=f"^{element}: ") as error:
        tally.add(answers)
    assert error.value.element == element
    assert tally == IkmTally.of([all_answered(3)])  # nothing of the bad survey was counted


def test_survey_without_any_answer_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one element"):
        IkmTally().add({})


def test_tally_dict_is_flat_and_round_trips() -> None:
    tally = IkmTally.of([all_answered(4), {"U1": 2}])
    data = tally.to_dict()
    assert data["respondents"] == 2 and data["U1_sum"] == 6 and data["U1_count"] == 2
    assert len(data) == 19
    assert IkmTally.from_dict(data) == tally
    assert IkmTally.from_dict({}) == IkmTally()  # missing fields are zero


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"U10_sum": 1}, "unknown"),
        ({"respondents": -1}, "count >= 0"),
        ({"respondents": 1.0}, "count >= 0"),
        ({"respondents": 1, "U1_count": 2, "U1_sum": 8}, "impossible"),
        ({"respondents": 1, "U1_count": 1, "U1_sum": 5}, "impossible"),
        ({"respondents": 1, "U1_count": 1, "U1_sum": 0}, "impossible"),
    ],
)
def test_tally_dict_that_no_surveys_could_make_is_refused(
    data: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        IkmTally.from_dict(data)


@pytest.mark.parametrize(
    ("population", "sample"),
    [(0, 0), (1, 1), (2, 2), (10, 10), (100, 80), (1_000, 278), (10_000, 370), (10**9, 385)],
)
def test_required_sample_krejcie_morgan(population: int, sample: int) -> None:
    # N = 100: 96.025 / (0.2475 + 0.96025) = 79.51 → 80; N = 1,000: 960.25 / 3.45775 = 277.7 → 278;
    # N = 10,000: 9,602.5 / 25.95775 = 369.9 → 370.
    assert required_sample(population) == sample


def test_required_sample_refuses_negative_population() -> None:
    with pytest.raises(ValueError, match="negative"):
        required_sample(-1)


@given(st.integers(min_value=0, max_value=10**7))
def test_required_sample_never_exceeds_population_and_grows(population: int) -> None:
    sample = required_sample(population)
    assert sample <= population and sample <= 385
    assert required_sample(population + 1) >= sample


surveys_strategy = st.lists(
    st.dictionaries(st.sampled_from(ELEMENT_CODES), st.integers(1, 4), min_size=1), max_size=30
)


@given(surveys_strategy, surveys_strategy)
def test_merge_equals_tally_of_all_respondents(
    first: list[dict[str, int]], second: list[dict[str, int]]
) -> None:
    a, b = IkmTally.of(first), IkmTally.of(second)
    assert a + b == IkmTally.of(first + second) == b + a
    assert IkmTally.from_dict((a + b).to_dict()) == a + b


@given(surveys_strategy.filter(bool))
def test_ikm_lies_between_25_and_100_and_matches_the_formula(surveys: list[dict[str, int]]) -> None:
    result = compute_ikm(IkmTally.of(surveys))
    nrrs = [e.nrr_exact for e in result.elements if e.nrr_exact is not None]
    assert result.ikm_exact == 25 * sum(nrrs, Fraction(0)) / len(nrrs)
    assert Decimal(25) <= result.ikm <= Decimal(100)
    assert abs(result.ikm - Decimal(result.ikm_exact.numerator) / result.ikm_exact.denominator) <= (
        Decimal("0.005")
    )
    assert [e.nrr_exact for e in result.priorities] == sorted(nrrs)
