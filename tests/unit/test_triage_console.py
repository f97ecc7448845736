"""Pure parts of the staff console: where a login may send the browser back to, which commands
a role is offered in a status, and how a command form becomes the API's request body."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.datastructures import FormData

from services.triage.api_schemas import CloseBody, PlanBody, TriageBody
from services.triage.console_auth import NOTICES, local_path
from services.triage.console_complaint import offered
from services.triage.console_forms import CommandFormError, body_from_form
from services.triage.console_messages import MESSAGES as CONSOLE_MESSAGES
from services.triage.console_password import PASSWORDS_DIFFER
from services.triage.console_users import DONE
from shared.auth import Principal, Role
from shared.web.forms import CHECK_FIELDS, FORM_EXPIRED
from shared.web.i18n import MESSAGES as SHARED_MESSAGES

ROOT = Path(__file__).resolve().parents[2]
CONSOLE_TEMPLATES = ROOT / "services" / "triage" / "templates"
SHARED_TEMPLATES = ROOT / "shared" / "web" / "templates"


def principal(role: Role) -> Principal:
    return Principal(user_id="u1", role=role, district="banjarnegara", clinic="MDRJ1")


@pytest.mark.parametrize(
    "target", ["/konsol/", "/konsol/aduan/x?status=received", "/dasbor/puskesmas/MDRJ1"]
)
def test_a_local_path_is_a_place_to_return_to(target: str) -> None:
    assert local_path(target) == target


@pytest.mark.parametrize(
    "target",
    ["", "https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)",
     "/konsol/\r\nSet-Cookie:x", "/konsol/masuk?next=/x", "konsol/"],
)  # fmt: skip
def test_another_site_or_the_login_page_itself_is_never_returned_to(target: str) -> None:
    assert local_path(target) is None


def test_offered_commands_follow_the_role_and_the_workflow_table() -> None:
    assert set(offered(principal(Role.COMPLAINT_TEAM), "triaged")) == {
        "triage", "assign", "plan", "escalate", "wait", "reply", "reject",
    }  # fmt: skip
    assert offered(principal(Role.QUALITY_TEAM), "triaged") == ["plan"]
    assert offered(principal(Role.UNIT), "planned") == ["plan", "progress"]
    assert set(offered(principal(Role.HEAD), "closed")) == {"reopen"}
    assert offered(principal(Role.OFFICER), "rejected") == []


def test_command_forms_become_the_same_bodies_as_the_api() -> None:
    plan = body_from_form(
        "plan",
        FormData([("version", "3"), ("actions", "Tambah kursi\n\n  Cat ulang  \n"),
                  ("owner", "Koordinator"), ("due_date", "2030-01-02"),
                  ("made_by", "tim_mutu")]),
    )  # fmt: skip
    assert isinstance(plan, PlanBody)
    assert plan.actions == ["Tambah kursi", "Cat ulang"] and plan.version == 3
    triage = body_from_form(
        "triage",
        FormData([("version", "2"), ("kind", "saran"), ("category", "informasi"),
                  ("unit", "farmasi"), ("urgent", "on")]),
    )  # fmt: skip
    assert isinstance(triage, TriageBody) and triage.urgent is True
    close = body_from_form("close", FormData([("version", "5"), ("satisfied", "0")]))
    assert isinstance(close, CloseBody) and close.satisfied is False and close.reason is None


def test_a_refused_form_names_each_field_in_indonesian() -> None:
    with pytest.raises(CommandFormError) as refused:
        body_from_form("plan", FormData([("version", "3"), ("made_by", "siapa")]))
    assert refused.value.errors == {
        "actions": "Wajib diisi",
        "owner": "Wajib diisi",
        "due_date": "Wajib diisi",
        "made_by": "Pilih salah satu pilihan yang tersedia",
    }


def test_every_literal_word_of_the_console_pages_has_an_english_text() -> None:
    templates = [*CONSOLE_TEMPLATES.glob("*.html"), *SHARED_TEMPLATES.glob("*.html")]
    shown: set[str] = set()
    for template in templates:
        shown |= set(re.findall(r"(?<![\w.])t\('([^']+)'\)", template.read_text(encoding="utf-8")))
    shown |= {*NOTICES.values(), *DONE.values(), FORM_EXPIRED, CHECK_FIELDS}
    shown |= {PASSWORDS_DIFFER, "Kata sandi lama salah", "Kata sandi baru harus berbeda"}
    known = CONSOLE_MESSAGES["en"].keys() | SHARED_MESSAGES["en"].keys()
    assert sorted(shown - known) == []
