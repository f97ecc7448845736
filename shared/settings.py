"""The one settings object: every value comes from the environment (prefix ``SIGAP_``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-change-me-in-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SIGAP_", extra="ignore", frozen=True)

    environment: Literal["development", "test", "production"] = "development"
    log_level: str = "INFO"
    log_format: Literal["json", "console"] = "json"

    rabbitmq_url: SecretStr = SecretStr("amqp://guest:guest@127.0.0.1:5672/")
    # Names are prefixed so that tests (and several deployments on one broker) never collide.
    amqp_prefix: str = "sigap"
    prefetch_count: int = Field(default=64, ge=1, le=5000)
    # Growing delay between attempts of a failing handler; len(retry_delays) + 1 attempts in all,
    # then the message goes to the service's dead-letter queue.
    retry_delays_seconds: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0)
    # Broker-side safety net for messages the application could not even re-route.
    delivery_limit: int = Field(default=20, ge=1)
    publish_timeout_seconds: float = Field(default=5.0, gt=0)

    mongodb_url: SecretStr = SecretStr("mongodb://127.0.0.1:27017/?directConnection=true")
    # One database per service: "<prefix>_<service>", plus "<prefix>_directory" for the
    # clinic register that every service reads.
    mongodb_db_prefix: str = "sigap"
    mongodb_timeout_ms: int = Field(default=5000, ge=100)

    public_base_url: str = "http://localhost:8000"

    # Staff sessions: a signed token every service verifies (shared/auth.py).
    auth_secret: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    auth_issuer: str = "sigap"
    auth_audience: str = "sigap-staff"
    session_minutes: int = Field(default=480, ge=5, le=24 * 60)
    # Kept out of the database: what makes a leaked table of PIN hashes useless.
    pin_pepper: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    outbox_relay_interval_seconds: float = Field(default=1.0, gt=0)

    @field_validator("retry_delays_seconds")
    @classmethod
    def _delays_positive(cls, delays: tuple[float, ...]) -> tuple[float, ...]:
        if any(d <= 0 for d in delays):
            raise ValueError("every retry delay must be positive")
        return delays

    @model_validator(mode="after")
    def _production_has_real_secrets(self) -> Settings:
        if self.environment == "production":
            for name in ("auth_secret", "pin_pepper"):
                if getattr(self, name).get_secret_value() == DEVELOPMENT_SECRET:
                    raise ValueError(f"SIGAP_{name.upper()} must be set in production")
        return self

    @property
    def max_attempts(self) -> int:
        return len(self.retry_delays_seconds) + 1

    @property
    def exchange_name(self) -> str:
        return f"{self.amqp_prefix}.events"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
