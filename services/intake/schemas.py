"""The public HTTP contract of intake (bodies in and out)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationInfo, field_validator

from shared.events import TEXT_MAX, Answer, Education, Kind, Sex


class ReporterIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=120)
    phone: str | None = Field(
        default=None,
        pattern=r"^(\+62|62|0)8[0-9]{7,12}$",
        description="Nomor HP Indonesia: 08…, 628… atau +628…",
    )
    email: EmailStr | None = None


def _no_identity_when_anonymous(
    reporter: ReporterIn | None, info: ValidationInfo
) -> ReporterIn | None:
    if info.data.get("anonymous") and reporter is not None:
        raise ValueError("reporter harus kosong bila anonymous=true")
    return reporter


class ComplaintIn(BaseModel):
    """POST /api/v1/complaints"""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    clinic: str = Field(min_length=2, max_length=8)
    kind: Kind
    text: str = Field(min_length=1, max_length=TEXT_MAX)
    unit: str | None = Field(default=None, min_length=1, max_length=40)
    anonymous: bool = False
    # Identity stored but shown only to the complaint team and the head (SPEC §3).
    confidential: bool = False
    reporter: ReporterIn | None = None

    @field_validator("reporter")
    @classmethod
    def _anonymous_without_identity(
        cls, reporter: ReporterIn | None, info: ValidationInfo
    ) -> ReporterIn | None:
        return _no_identity_when_anonymous(reporter, info)


class Receipt(BaseModel):
    tracking_number: str
    pin: str
    status_url: str


class UnitOut(BaseModel):
    code: str
    name: str


class ClinicOut(BaseModel):
    code: str
    name: str
    district: str
    units: list[UnitOut]


class ComplaintView(BaseModel):
    """GET /api/v1/complaints/track/{tracking_number}: what the complainant may see."""

    tracking_number: str
    kind: Kind
    status: str
    status_label: str
    unit: str | None
    received_at: datetime
    updated_at: datetime
    note: str | None = Field(
        default=None, description="Pertanyaan tim pengaduan atau alasan bila tidak diproses"
    )
    reply: str | None = None
    replied_at: datetime | None = None
    closed_at: datetime | None = None


class RespondentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sex: Sex
    age: int = Field(ge=10, le=120)
    education: Education
    occupation: str = Field(min_length=1, max_length=60)


class AnswersIn(BaseModel):
    """The nine elements of PermenPAN-RB 14/2017, each 1 (worst) to 4 (best)."""

    model_config = ConfigDict(extra="forbid")

    U1: Answer
    U2: Answer
    U3: Answer
    U4: Answer
    U5: Answer
    U6: Answer
    U7: Answer
    U8: Answer
    U9: Answer


class SurveyFormIn(BaseModel):
    """One filled survey form (without the clinic: a bulk entry gives it once)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    unit: str = Field(min_length=1, max_length=40)
    service_date: date | None = Field(default=None, description="Default: hari ini")
    answers: AnswersIn
    respondent: RespondentIn
    suggestion: str | None = Field(default=None, max_length=2000)


class SurveyIn(SurveyFormIn):
    """POST /api/v1/surveys"""

    clinic: str = Field(min_length=2, max_length=8)


class SurveyReceipt(BaseModel):
    survey_id: uuid.UUID
    # The free-text suggestion becomes feedback of kind "saran" with its own number.
    suggestion: Receipt | None = None


StaffChannel = Literal["langsung", "telepon", "buku_keluhan", "media_sosial", "lokmin"]


class StaffComplaintIn(BaseModel):
    """POST /api/v1/entry/complaints: feedback a staff member received and records."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: StaffChannel
    clinic: str | None = Field(default=None, description="Default: Puskesmas petugas")
    kind: Kind
    text: str = Field(min_length=1, max_length=TEXT_MAX)
    unit: str | None = Field(default=None, min_length=1, max_length=40)
    anonymous: bool = False
    confidential: bool = False
    reporter: ReporterIn | None = None
    platform: str | None = Field(
        default=None,
        validate_default=True,  # a missing platform is refused for media_sosial
        max_length=40,
        description="Untuk media_sosial: email, facebook, instagram, google_review, …",
    )
    reported_on: date | None = Field(default=None, description="Tanggal di buku keluhan/lokmin")
    source_ref: str | None = Field(
        default=None, max_length=200, description="Tautan unggahan atau akun pengirim"
    )

    @field_validator("reporter")
    @classmethod
    def _anonymous_without_identity(
        cls, reporter: ReporterIn | None, info: ValidationInfo
    ) -> ReporterIn | None:
        return _no_identity_when_anonymous(reporter, info)

    @field_validator("platform")
    @classmethod
    def _platform_for_social_media(cls, platform: str | None, info: ValidationInfo) -> str | None:
        social = info.data.get("channel") == "media_sosial"
        if social and not platform:
            raise ValueError("platform wajib diisi untuk kanal media_sosial")
        if not social and platform:
            raise ValueError("platform hanya untuk kanal media_sosial")
        return platform


class SlipIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Kind
    text: str = Field(min_length=1, max_length=TEXT_MAX)
    unit: str | None = Field(default=None, min_length=1, max_length=40)


class BoxOpeningIn(BaseModel):
    """POST /api/v1/entry/suggestion-box: one opening of the box, every slip found in it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    clinic: str | None = None
    opened_on: date
    # Repeating a request with the same batch_id (after a 503) adds no slip twice.
    batch_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{8,80}$")
    slips: list[SlipIn] = Field(min_length=1, max_length=500)


class BoxOpeningReceipt(BaseModel):
    batch_id: str
    opened_on: date
    tracking_numbers: list[str]


class PaperSurveysIn(BaseModel):
    """POST /api/v1/entry/surveys: paper survey forms typed in, in bulk."""

    model_config = ConfigDict(extra="forbid")

    clinic: str | None = None
    batch_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{8,80}$")
    forms: list[SurveyFormIn] = Field(min_length=1, max_length=500)


class PaperSurveysReceipt(BaseModel):
    batch_id: str
    accepted: int
    suggestions: list[str]  # tracking numbers of the suggestions written on the forms
