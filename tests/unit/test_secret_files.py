"""A rotated secret stays readable by the services that read the old one."""

from __future__ import annotations

from pathlib import Path

from ops.secret_rotation import secret_file_mode


def test_a_replaced_secret_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    secret = tmp_path / "sigap_sms_auth_token"
    secret.write_text("old")
    secret.chmod(0o640)
    assert secret_file_mode(secret) == 0o640


def test_a_new_secret_is_readable_by_all_only_inside_a_folder_closed_to_others(
    tmp_path: Path,
) -> None:
    closed, open_ = tmp_path / "closed", tmp_path / "open"
    closed.mkdir(mode=0o700)
    open_.mkdir(mode=0o755)
    closed.chmod(0o700)
    open_.chmod(0o755)
    assert secret_file_mode(closed / "sigap_smtp_password") == 0o644
    assert secret_file_mode(open_ / "sigap_smtp_password") == 0o600
