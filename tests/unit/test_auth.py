"""Session tokens are refused unless signed by us, for us, and still valid; the permission table
says what SPEC §1 says."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from shared.auth import (
    ALGORITHM,
    PERMISSIONS,
    Action,
    InvalidTokenError,
    Principal,
    Requirement,
    Role,
    TokenCodec,
    require,
    signed_in,
)
from shared.users import placement_problem

SECRET = "a-test-secret-that-is-long-enough-for-hs256"
HEAD = Principal(user_id="u1", role=Role.HEAD, district="banjarnegara", clinic="MDRJ1", name="Bu")


def codec(secret: str = SECRET, issuer: str = "sigap", audience: str = "sigap-staff") -> TokenCodec:
    return TokenCodec(secret, issuer=issuer, audience=audience)


def test_a_valid_token_gives_back_the_principal_with_its_token_id_and_expiry() -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    token = codec().issue(HEAD, timedelta(minutes=30), now=now)
    principal = codec().verify(token)
    assert (principal.user_id, principal.role, principal.clinic) == ("u1", Role.HEAD, "MDRJ1")
    assert principal.district == "banjarnegara" and principal.name == "Bu"
    assert principal.token_id and principal.expires_at == now + timedelta(minutes=30)


def test_each_token_gets_its_own_id() -> None:
    first = codec().verify(codec().issue(HEAD, timedelta(minutes=5)))
    second = codec().verify(codec().issue(HEAD, timedelta(minutes=5)))
    assert first.token_id != second.token_id


def test_an_expired_token_is_refused() -> None:
    issued = datetime.now(UTC) - timedelta(hours=2)
    token = codec().issue(HEAD, timedelta(hours=1), now=issued)
    with pytest.raises(InvalidTokenError, match="expired"):
        codec().verify(token)


def test_a_tampered_token_is_refused() -> None:
    header, payload, signature = codec().issue(HEAD, timedelta(minutes=5)).split(".")
    forged_claims = jwt.decode(
        codec().issue(replace(HEAD, role=Role.ADMIN), timedelta(1)),
        options={"verify_signature": False},
    )
    forged_payload = jwt.encode(forged_claims, "x" * 40, algorithm=ALGORITHM).split(".")[1]
    with pytest.raises(InvalidTokenError):
        codec().verify(f"{header}.{forged_payload}.{signature}")
    flipped = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    with pytest.raises(InvalidTokenError):
        codec().verify(f"{header}.{payload}.{flipped}")


def test_a_token_signed_with_another_secret_is_refused() -> None:
    token = codec(secret="another-secret-that-is-also-long-enough!").issue(HEAD, timedelta(1))
    with pytest.raises(InvalidTokenError):
        codec().verify(token)


def test_a_token_for_another_audience_is_refused() -> None:
    token = codec(audience="sigap-public").issue(HEAD, timedelta(minutes=5))
    with pytest.raises(InvalidTokenError, match=r"(?i)audience"):
        codec().verify(token)


def test_a_token_from_another_issuer_is_refused() -> None:
    token = codec(issuer="someone-else").issue(HEAD, timedelta(minutes=5))
    with pytest.raises(InvalidTokenError, match=r"(?i)issuer"):
        codec().verify(token)


def test_an_unsigned_token_is_refused() -> None:
    claims = jwt.decode(codec().issue(HEAD, timedelta(1)), options={"verify_signature": False})
    with pytest.raises(InvalidTokenError):
        codec().verify(jwt.encode(claims, None, algorithm="none"))


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "aud", "iss", "jti", "role", "district"])
def test_a_token_without_a_required_claim_is_refused(missing: str) -> None:
    claims = jwt.decode(codec().issue(HEAD, timedelta(1)), options={"verify_signature": False})
    del claims[missing]
    with pytest.raises(InvalidTokenError):
        codec().verify(jwt.encode(claims, SECRET, algorithm=ALGORITHM))


def test_a_token_with_an_unknown_role_is_refused() -> None:
    claims = jwt.decode(codec().issue(HEAD, timedelta(1)), options={"verify_signature": False})
    claims["role"] = "superuser"
    with pytest.raises(InvalidTokenError):
        codec().verify(jwt.encode(claims, SECRET, algorithm=ALGORITHM))


def test_a_short_secret_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="32"):
        TokenCodec("short")


# SPEC §1 as a grid, written out literally: the derived access matrix follows PERMISSIONS, so this
# is what pins PERMISSIONS itself. Columns: officer, complaint team, quality team, head, unit,
# district, admin.
PERMISSION_GRID = """
complaint.record         x x . x . . .
complaint.read           x x x x x . .
complaint.triage         . x . x . . .
complaint.assign         x x . x . . .
complaint.plan           . x x x x . .
complaint.progress       . x . x x . .
complaint.escalate       . x . x . . .
complaint.reply          . x . x . . .
complaint.close          . x . x . . .
complaint.reopen         . x . x . . .
complaint.reject         . x . x . . .
complaint.identity.read  . x . x . . .
survey.record            x x x x . . .
report.read              . x x x . x x
report.export            . x x x . x .
district.read            . . . . . x x
visits.record            . . . x . x x
user.manage              . . . x . . x
audit.read               . . . x . . x
settings.manage          . . . . . . x
"""
GRID_ROLES = (
    Role.OFFICER,
    Role.COMPLAINT_TEAM,
    Role.QUALITY_TEAM,
    Role.HEAD,
    Role.UNIT,
    Role.DISTRICT,
    Role.ADMIN,
)


def test_the_permission_table_is_the_grid_of_spec_section_one() -> None:
    granted: dict[Role, set[Action]] = {role: set() for role in GRID_ROLES}
    for line in PERMISSION_GRID.strip().splitlines():
        action, *marks = line.split()
        for role, mark in zip(GRID_ROLES, marks, strict=True):
            if mark == "x":
                granted[role].add(Action(action))
    assert {role: set(actions) for role, actions in PERMISSIONS.items()} == granted


def test_every_role_has_a_row_and_every_action_a_role() -> None:
    assert set(PERMISSIONS) == set(Role)
    granted = set().union(*PERMISSIONS.values())
    assert granted == set(Action)


def test_only_the_complaint_team_and_the_head_see_reporter_identities() -> None:
    allowed = {role for role, actions in PERMISSIONS.items() if Action.IDENTITY_READ in actions}
    assert allowed == {Role.COMPLAINT_TEAM, Role.HEAD}


def test_district_and_admin_never_touch_a_complaint_itself() -> None:
    for role in (Role.DISTRICT, Role.ADMIN):
        assert not {a for a in PERMISSIONS[role] if a.value.startswith("complaint.")}


def test_only_the_head_and_the_admin_manage_users_and_read_the_audit_log() -> None:
    for action in (Action.USER_MANAGE, Action.AUDIT_READ):
        assert {r for r, actions in PERMISSIONS.items() if action in actions} == {
            Role.HEAD,
            Role.ADMIN,
        }


def test_visits_are_entered_by_the_head_the_district_office_and_the_operator() -> None:
    assert {r for r, actions in PERMISSIONS.items() if Action.VISITS_RECORD in actions} == {
        Role.HEAD,
        Role.DISTRICT,
        Role.ADMIN,
    }


def test_a_clinic_principal_sees_only_its_clinic_and_a_district_one_only_its_district() -> None:
    district = Principal(user_id="d", role=Role.DISTRICT, district="banjarnegara")
    assert HEAD.sees_clinic("MDRJ1", "banjarnegara")
    assert not HEAD.sees_clinic("MDRJ2", "banjarnegara")
    assert district.sees_clinic("MDRJ2", "banjarnegara")
    assert not district.sees_clinic("RANAI", "natuna")
    assert HEAD.sees_identity and not district.sees_identity


def test_require_carries_its_action_so_routes_can_be_checked_against_the_table() -> None:
    dependency = require(Action.REPORT_READ)
    assert isinstance(dependency, Requirement) and dependency.action is Action.REPORT_READ
    assert signed_in().action is None


@pytest.mark.parametrize(
    ("role", "clinic", "unit", "field"),
    [
        (Role.HEAD, None, None, "clinic"),
        (Role.UNIT, "MDRJ1", None, "unit"),
        (Role.OFFICER, "MDRJ1", "farmasi", "unit"),
        (Role.DISTRICT, "MDRJ1", None, "clinic"),
        (Role.ADMIN, None, "farmasi", "unit"),
    ],
)
def test_a_role_placed_where_it_does_not_belong_is_refused_naming_the_field(
    role: Role, clinic: str | None, unit: str | None, field: str
) -> None:
    problem = placement_problem(role, clinic, unit)
    assert problem is not None and problem.field == field


def test_roles_placed_where_they_belong_are_accepted() -> None:
    assert placement_problem(Role.UNIT, "MDRJ1", "farmasi") is None
    assert placement_problem(Role.COMPLAINT_TEAM, "MDRJ1", None) is None
    assert placement_problem(Role.DISTRICT, None, None) is None
