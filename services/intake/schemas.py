"""The public HTTP contract of intake (bodies in and out)."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from shared.events import TEXT_MAX, Kind


class ReporterIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=120)
    phone: str | None = Field(
        default=None,
        pattern=r"^(\+62|62|0)8[0-9]{7,12}$",
        description="Nomor HP Indonesia: 08…, 628… atau +628…",
    )
    email: EmailStr | None = None


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

    @model_validator(mode="after")
    def _anonymous_without_identity(self) -> Self:
        if self.anonymous and self.reporter is not None:
            raise ValueError("reporter harus kosong bila anonymous=true")
        return self


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
