"""The satisfaction index (Indeks Kepuasan Masyarakat, IKM) of PermenPAN-RB 14/2017, SPEC §4.

- NRR(u) = sum of the answers to element u / number of respondents who answered u, kept as an
  exact fraction; shown rounded to 2 decimals.
- IKM = 25 × Σ NRR(u) × 1/9 with the weight exactly 1/9 (never 0.111), computed exactly and
  rounded once to 2 decimals half up; the grade is read from that 2-decimal value.
- An element is graded on its exact NRR with the regulation's bands. The bands leave gaps
  (3.532–3.5324, 3.064–3.0644, 2.5996–2.60); each band's lower bound is its threshold, so a value
  in a gap takes the grade below it (3.5322 → B, 3.0642 → C, 2.5998 → D).
- The regulation assumes every respondent answers all nine elements. When an element has no
  answer at all, it has no NRR and is left out: the IKM is 25 × the mean NRR of the answered
  elements (equal weights 1/k among the k answered) and the result says ``complete=False``.
- A tally is additive: a clinic's tally is the sum of its units', a district's the sum of its
  clinics'. The district IKM computed from the merged tally is the IKM of all its respondents'
  answers, as SPEC §4 asks — not a mean of clinic IKMs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from math import ceil
from typing import Final

from services.reporting.domain.stats import round_half_up


@dataclass(frozen=True, slots=True)
class Element:
    """One element (unsur) of the survey."""

    code: str
    name: str


ELEMENTS: Final[tuple[Element, ...]] = (
    Element("U1", "Persyaratan"),
    Element("U2", "Sistem, Mekanisme dan Prosedur"),
    Element("U3", "Waktu Penyelesaian"),
    Element("U4", "Biaya/Tarif"),
    Element("U5", "Produk Spesifikasi Jenis Pelayanan"),
    Element("U6", "Kompetensi Pelaksana"),
    Element("U7", "Perilaku Pelaksana"),
    Element("U8", "Penanganan Pengaduan, Saran dan Masukan"),
    Element("U9", "Sarana dan Prasarana"),
)
ELEMENT_CODES: Final[tuple[str, ...]] = tuple(element.code for element in ELEMENTS)
ELEMENT_WEIGHT: Final = Fraction(1, len(ELEMENTS))
MIN_ANSWER: Final = 1
MAX_ANSWER: Final = 4
_SCALE: Final = 25  # IKM conversion factor: NRR 1..4 → IKM 25..100


class Grade(StrEnum):
    """Service quality (mutu pelayanan) with its performance label (kinerja unit pelayanan)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS: Final[dict[Grade, str]] = {
    Grade.A: "Sangat Baik",
    Grade.B: "Baik",
    Grade.C: "Kurang Baik",
    Grade.D: "Tidak Baik",
}
_IKM_THRESHOLDS: Final = (
    (Decimal("88.31"), Grade.A),
    (Decimal("76.61"), Grade.B),
    (Decimal("65.00"), Grade.C),
)
_NRR_THRESHOLDS: Final = (
    (Fraction("3.5324"), Grade.A),
    (Fraction("3.0644"), Grade.B),
    (Fraction("2.60"), Grade.C),
)


def ikm_grade(ikm: Decimal) -> Grade:
    """Grade of a 2-decimal IKM: ≥ 88.31 A, ≥ 76.61 B, ≥ 65.00 C, else D."""
    if ikm != ikm.quantize(Decimal("0.01")) or not Decimal(25) <= ikm <= Decimal(100):
        raise ValueError(f"an IKM is graded as a 2-decimal value in 25..100, got {ikm}")
    return next((grade for floor, grade in _IKM_THRESHOLDS if ikm >= floor), Grade.D)


def element_grade(nrr: Fraction) -> Grade:
    """Grade of an exact NRR: ≥ 3.5324 A, ≥ 3.0644 B, ≥ 2.60 C, else D (gaps go down)."""
    if not MIN_ANSWER <= nrr <= MAX_ANSWER:
        raise ValueError(f"an NRR lies in {MIN_ANSWER}..{MAX_ANSWER}, got {nrr}")
    return next((grade for floor, grade in _NRR_THRESHOLDS if nrr >= floor), Grade.D)


class SurveyAnswerError(ValueError):
    """A survey answer the regulation's scale does not allow; names the element."""

    def __init__(self, element: str, reason: str) -> None:
        super().__init__(f"{element}: {reason}")
        self.element = element


def _validated(answers: Mapping[str, int]) -> dict[str, int]:
    for code, value in answers.items():
        if code not in ELEMENT_CODES:
            raise SurveyAnswerError(code, "not a survey element (expected one of U1..U9)")
        if not isinstance(value, int) or isinstance(value, bool):
            raise SurveyAnswerError(code, f"answer must be a whole number 1..4, got {value!r}")
        if not MIN_ANSWER <= value <= MAX_ANSWER:
            raise SurveyAnswerError(code, f"answer {value} is outside {MIN_ANSWER}..{MAX_ANSWER}")
    if not answers:
        raise ValueError("a survey must answer at least one element")
    return dict(answers)


_TALLY_FIELDS: Final = frozenset(
    {"respondents", *(f"{code}_{part}" for code in ELEMENT_CODES for part in ("sum", "count"))}
)


class IkmTally:
    """Per element: sum of answers and number of respondents who answered; plus respondents.

    Stored as a flat dict (:meth:`to_dict`): ``{"respondents": n, "U1_sum": s, "U1_count": c, …}``
    — every key always present, so one survey's tally is exactly its ``$inc`` document.
    """

    __slots__ = ("_counts", "_respondents", "_sums")

    def __init__(self) -> None:
        self._respondents = 0
        self._sums: dict[str, int] = dict.fromkeys(ELEMENT_CODES, 0)
        self._counts: dict[str, int] = dict.fromkeys(ELEMENT_CODES, 0)

    @classmethod
    def of(cls, surveys: Iterable[Mapping[str, int]]) -> IkmTally:
        """The tally of these surveys (each a mapping element code → answer)."""
        tally = cls()
        for answers in surveys:
            tally.add(answers)
        return tally

    @property
    def respondents(self) -> int:
        return self._respondents

    def answer_sum(self, code: str) -> int:
        return self._sums[code]

    def answered(self, code: str) -> int:
        """Number of respondents who answered the element."""
        return self._counts[code]

    def add(self, answers: Mapping[str, int]) -> None:
        """Count one respondent; unanswered elements are left out. All or nothing: a bad answer
        leaves the tally unchanged."""
        for code, value in _validated(answers).items():
            self._sums[code] += value
            self._counts[code] += 1
        self._respondents += 1

    def merge(self, *others: IkmTally) -> IkmTally:
        """A new tally of this one's respondents and the others'; the operands are unchanged."""
        merged = IkmTally()
        for tally in (self, *others):
            merged._respondents += tally._respondents
            for code in ELEMENT_CODES:
                merged._sums[code] += tally._sums[code]
                merged._counts[code] += tally._counts[code]
        return merged

    def __add__(self, other: IkmTally) -> IkmTally:
        return self.merge(other)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IkmTally):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"IkmTally({self.to_dict()!r})"

    def to_dict(self) -> dict[str, int]:
        data = {"respondents": self._respondents}
        for code in ELEMENT_CODES:
            data[f"{code}_sum"] = self._sums[code]
            data[f"{code}_count"] = self._counts[code]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> IkmTally:
        """Read :meth:`to_dict`'s shape back, checking it could come from real surveys."""
        for key, value in data.items():
            if key not in _TALLY_FIELDS:
                raise ValueError(f"unknown IKM tally field {key!r}")
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"IKM tally field {key!r} must be a count >= 0, got {value!r}")
        tally = cls()
        tally._respondents = _count(data, "respondents")
        for code in ELEMENT_CODES:
            total, count = _count(data, f"{code}_sum"), _count(data, f"{code}_count")
            if count > tally._respondents or not MIN_ANSWER * count <= total <= MAX_ANSWER * count:
                raise ValueError(
                    f"IKM tally {code}: sum {total} of {count} answers "
                    f"from {tally._respondents} respondents is impossible"
                )
            tally._sums[code], tally._counts[code] = total, count
        return tally


def _count(data: Mapping[str, object], key: str) -> int:
    value = data.get(key, 0)
    assert isinstance(value, int)  # checked by from_dict
    return value


@dataclass(frozen=True, slots=True)
class ElementResult:
    """One element's value: ``nrr`` for display (2 decimals), ``nrr_exact`` for computing."""

    code: str
    name: str
    answered: int
    nrr_exact: Fraction | None
    nrr: Decimal | None
    grade: Grade | None


@dataclass(frozen=True, slots=True)
class IkmResult:
    """The IKM of a tally: per element in U1..U9 order, and priorities lowest NRR first."""

    ikm: Decimal
    ikm_exact: Fraction
    grade: Grade
    respondents: int
    complete: bool
    elements: tuple[ElementResult, ...]
    priorities: tuple[ElementResult, ...]

    @property
    def label(self) -> str:
        return self.grade.label


def _element_result(element: Element, tally: IkmTally) -> ElementResult:
    count = tally.answered(element.code)
    if count == 0:
        return ElementResult(element.code, element.name, 0, None, None, None)
    nrr = Fraction(tally.answer_sum(element.code), count)
    return ElementResult(
        element.code, element.name, count, nrr, round_half_up(nrr, 2), element_grade(nrr)
    )


def compute_ikm(tally: IkmTally) -> IkmResult:
    """The IKM of the tally; refuses a tally without any answer (there is no IKM to show)."""
    elements = tuple(_element_result(element, tally) for element in ELEMENTS)
    scored = [(result.nrr_exact, result) for result in elements if result.nrr_exact is not None]
    if not scored:
        raise ValueError("no survey answers: the IKM is undefined")
    weight = Fraction(1, len(scored))  # ELEMENT_WEIGHT when all nine are answered
    exact = _SCALE * weight * sum((nrr for nrr, _ in scored), Fraction(0))
    ikm = round_half_up(exact, 2)
    # sorted() is stable: elements with equal NRR keep the U1..U9 order.
    priorities = tuple(result for _, result in sorted(scored, key=lambda pair: pair[0]))
    return IkmResult(
        ikm=ikm,
        ikm_exact=exact,
        grade=ikm_grade(ikm),
        respondents=tally.respondents,
        complete=len(scored) == len(ELEMENTS),
        elements=elements,
        priorities=priorities,
    )


# Krejcie & Morgan (1970): chi-square for 1 d.f. at 95 %, P = 0.5, margin of error 5 %.
_CHI_SQUARE: Final = Fraction("3.841")
_P_TIMES_Q: Final = Fraction(1, 4)
_MARGIN_SQUARED: Final = Fraction("0.0025")


def required_sample(population: int) -> int:
    """Respondents needed for a population served of N: ⌈3.841·N·0.25 / (0.0025·(N−1) + 0.96025)⌉.

    Exact arithmetic, so a value just over an integer is never rounded away. N = 0 needs 0, N = 1
    needs 1; the result never exceeds N and tends to 385 for large N.
    """
    if population < 0:
        raise ValueError(f"population cannot be negative, got {population}")
    numerator = _CHI_SQUARE * population * _P_TIMES_Q
    denominator = _MARGIN_SQUARED * (population - 1) + _CHI_SQUARE * _P_TIMES_Q
    return ceil(numerator / denominator)
