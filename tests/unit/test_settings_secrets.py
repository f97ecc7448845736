"""Secrets come only from the environment: no default secret works in production."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from shared.settings import DEVELOPMENT_SECRET, Settings

SECRETS = ("SIGAP_AUTH_SECRET", "SIGAP_PIN_PEPPER")
# Defaults that only reach this machine's own broker and database.
LOCAL_CONNECTIONS = {"rabbitmq_url", "mongodb_url"}


@pytest.fixture(autouse=True)
def no_secrets_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*SECRETS, "SIGAP_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)


def secret_fields() -> list[str]:
    return [
        name
        for name, info in Settings.model_fields.items()
        if "SecretStr" in str(info.annotation) and name not in LOCAL_CONNECTIONS
    ]


@pytest.mark.parametrize("name", secret_fields())
def test_no_secret_has_a_default_that_works(name: str) -> None:
    default = Settings.model_fields[name].get_default(call_default_factory=True)
    values = default.values() if isinstance(default, dict) else [default]
    for value in values:
        # Empty refuses (webhooks, providers); the development secret is refused in production.
        assert value is None or isinstance(value, SecretStr)
        assert value is None or value.get_secret_value() in ("", DEVELOPMENT_SECRET), name


def test_production_without_secrets_in_the_environment_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SIGAP_ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="SIGAP_AUTH_SECRET must be set in production"):
        Settings()


def test_production_with_only_one_secret_set_names_the_missing_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SIGAP_ENVIRONMENT", "production")
    monkeypatch.setenv("SIGAP_AUTH_SECRET", "a-long-random-session-secret-from-the-vault")
    with pytest.raises(ValidationError, match="SIGAP_PIN_PEPPER must be set in production"):
        Settings()


def test_production_takes_its_secrets_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SIGAP_ENVIRONMENT", "production")
    monkeypatch.setenv("SIGAP_AUTH_SECRET", "session-secret-from-the-environment")
    monkeypatch.setenv("SIGAP_PIN_PEPPER", "pepper-from-the-environment")
    settings = Settings()
    assert settings.auth_secret.get_secret_value() == "session-secret-from-the-environment"
    assert settings.pin_pepper.get_secret_value() == "pepper-from-the-environment"
    assert "from-the-environment" not in repr(settings)


def test_development_runs_with_the_development_secret() -> None:
    assert Settings(environment="development").auth_secret.get_secret_value() == (
        DEVELOPMENT_SECRET
    )
