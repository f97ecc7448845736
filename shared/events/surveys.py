"""The satisfaction survey (SPEC §4, PermenPAN-RB 14/2017)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from shared.events.envelope import Contract, Event

ELEMENT_CODES: tuple[str, ...] = tuple(f"U{i}" for i in range(1, 10))
Answer = Annotated[int, Field(ge=1, le=4)]
Sex = Literal["L", "P"]
Education = Literal["tidak_sekolah", "sd", "smp", "sma", "d1_d3", "d4_s1", "s2_keatas"]


class Respondent(Contract):
    age: int = Field(ge=10, le=120)
    sex: Sex
    education: Education
    occupation: str = Field(min_length=1, max_length=60)


class Answers(Contract):
    """One answer per element, in the regulation's order, each 1 (worst) to 4 (best)."""

    U1: Answer
    U2: Answer
    U3: Answer
    U4: Answer
    U5: Answer
    U6: Answer
    U7: Answer
    U8: Answer
    U9: Answer


class SurveySubmittedData(Contract):
    survey_id: uuid.UUID
    unit: str = Field(min_length=1, max_length=40)
    service_date: date
    answers: Answers
    respondent: Respondent
    suggestion: str | None = Field(default=None, max_length=2000)
    form: Literal["web", "kertas"] = "web"


class SurveySubmitted(Event):
    type: Literal["survey.submitted"] = "survey.submitted"
    schema_version: Literal[1] = 1
    data: SurveySubmittedData
