"""Retention of personal data (UU 27/2022): a complaint's personal data has been erased.

Triage, which owns the complaint's life, decides that a complaint finished (closed or rejected)
longer ago than the retention period, erases its own copy and announces it; every other service
holding a copy of the complainant's data erases its own on this event. Anonymous statistics
(reporting's aggregates and its masked register) are not affected.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from shared.events.complaints import ComplaintRef
from shared.events.envelope import Event


class PersonalDataPurgedData(ComplaintRef):
    finished_at: AwareDatetime  # when the complaint was closed or rejected
    retention_days: int = Field(ge=1)  # the retention period the purge applied


class ComplaintPersonalDataPurged(Event):
    type: Literal["complaint.personal_data_purged"] = "complaint.personal_data_purged"
    schema_version: Literal[1] = 1
    data: PersonalDataPurgedData
