from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.settings import Settings


def test_settings_are_read_from_the_environment_with_the_sigap_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SIGAP_RABBITMQ_URL", "amqp://u:p@broker:5672/")
    monkeypatch.setenv("SIGAP_RETRY_DELAYS_SECONDS", "[2, 4]")
    settings = Settings()
    assert settings.rabbitmq_url.get_secret_value() == "amqp://u:p@broker:5672/"
    assert settings.max_attempts == 3
    assert "u:p" not in repr(settings)


def test_a_non_positive_retry_delay_is_refused() -> None:
    with pytest.raises(ValidationError, match="retry_delays_seconds"):
        Settings(retry_delays_seconds=(1, 0))
